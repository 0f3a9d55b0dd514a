/*
 * heap_walk.c: the memory floor of a per-row ranking scan, without the
 * server.
 *
 * 409 MB of 8 kB "heap pages", each holding two 3 kB rows of 768 float32
 * at its end as PostgreSQL lays them out, are walked in scan order (row
 * at the page's end first, then the one below it, then the next page),
 * and each row is dotted with a query by dtx_dot, as <#> does.  Compared:
 *   contiguous   the same rows packed end to end (the stored-batch floor)
 *   heap         the heap layout, dtx_dot alone (it prefetches its row)
 *   heap+next    also prefetching the next row into L2, as
 *                src/heap_prefetch.c does during a scan
 * Prints the median of 7 walks of each.
 *   make -C test/bench build/heap_walk && test/bench/build/heap_walk
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels.h"
#include "prefetch.h"

#define PAGE 8192
#define NPAGES 50000
#define DIM 768
#define ROW_BYTES 3104			/* tuple header, id and tensor header, data */
#define RUNS 7

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

/* data of row t (0 or 1) of page p; rows sit 8-aligned at the page's end */
static const float *
heap_row(const char *buf, size_t p, int t)
{
	return (const float *) (buf + p * PAGE + PAGE - (t + 1) * ROW_BYTES + 32);
}

static double
walk(const char *buf, const float *q, int mode)
{
	double		s = 0,
				r;

	for (size_t p = 0; p < NPAGES; p++)
		for (int t = 0; t < 2; t++)
		{
			const float *row = mode == 0 ? (const float *) (buf + (p * 2 + t) * DIM * 4)
				: heap_row(buf, p, t);

			if (mode == 2)
				dtx_prefetch(t == 0 ? heap_row(buf, p, 1) : heap_row(buf, p + 1, 0),
							 DIM * 4, 0);	/* into L2, as heap_prefetch.c does */
			dtx_dot(DTX_FLOAT32, row, q, DIM, &r);
			s += r;
		}
	return s;
}

int
main(void)
{
	static const char *names[] = {"contiguous", "heap", "heap+next"};
	char	   *buf = aligned_alloc(4096, (size_t) (NPAGES + 1) * PAGE);
	float		q[DIM];
	double		med[3];

	for (int i = 0; i < DIM; i++)
		q[i] = (float) (i % 13) * 0.25f;
	for (size_t i = 0; i < (size_t) (NPAGES + 1) * PAGE / 4; i++)
		((float *) buf)[i] = (float) (i % 97) * 0.01f;
	for (int mode = 0; mode < 3; mode++)
	{
		double		t[RUNS],
					sink = 0;

		for (int r = 0; r < RUNS; r++)
		{
			double		t0 = now_ms();

			sink += walk(buf, q, mode);
			t[r] = now_ms() - t0;
		}
		qsort(t, RUNS, sizeof(double), cmp);
		med[mode] = t[RUNS / 2];
		printf("%-11s %7.1f ms  %5.1f GB/s of row data%s\n", names[mode], med[mode],
			   NPAGES * 2.0 * DIM * 4 / med[mode] / 1e6, sink == 42 ? " " : "");
	}
	printf("heap+next is %.2fx heap; contiguous is %.2fx heap\n", med[1] / med[2],
		   med[1] / med[0]);
	return 0;
}
