/*
 * tap.h: a minimal TAP producer for the C unit tests.
 */
#ifndef DOTEXT_TAP_H
#define DOTEXT_TAP_H

#include <stdio.h>
#include <stdarg.h>

static int	tap_n = 0;
static int	tap_failed = 0;

static inline int
tap_ok(int cond, const char *fmt, ...)
{
	va_list		ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

/* prints the plan and returns the exit status for main() */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		fprintf(stderr, "# %d of %d failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif
