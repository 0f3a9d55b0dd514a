/*
 * test_decimal.c: src/core/decimal.c against the C library's correctly
 * rounded strtod/strtof, on random and adversarial decimal text: random
 * doubles and floats at every precision, random digit strings with
 * exponents inside and outside the fast path, exact halfway points between
 * neighbouring floats and doubles (and their truncations and neighbours),
 * subnormals, and 17 to 800 digits.  Plus float32 -> float64 through the
 * shortest decimal on a sweep of float32 bit patterns.
 *
 *   build/test_decimal            CI: 400,000 inputs per family
 *   build/test_decimal 100000000  the long form (per family)
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "tap.h"

extern int	float_to_shortest_decimal_bufn(float f, char *result);

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t
rnd(void)
{
	/* splitmix64: deterministic, so a failure can be replayed */
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static long checked,
			bad64,
			bad32;

/* compare both conversions of one token with strtod/strtof, bit for bit */
static void
check(const char *s)
{
	size_t		len = strlen(s);
	double		want_d = strtod(s, NULL),
				got_d = dtx_decimal_to_f64(s, len);
	float		want_f = strtof(s, NULL),
				got_f = dtx_decimal_to_f32(s, len);

	checked++;
	if (memcmp(&want_d, &got_d, 8) != 0 && !(isnan(want_d) && isnan(got_d)))
	{
		if (bad64++ < 5)
			printf("# float64 \"%s\": got %a, strtod %a\n", s, got_d, want_d);
	}
	if (memcmp(&want_f, &got_f, 4) != 0 && !(isnan(want_f) && isnan(got_f)))
	{
		if (bad32++ < 5)
			printf("# float32 \"%s\": got %a, strtof %a\n", s, (double) got_f, (double) want_f);
	}
}

static double
random_double(void)
{
	double		d;
	uint64_t	bits;

	do
	{
		bits = rnd();
		memcpy(&d, &bits, 8);
	} while (!isfinite(d));
	return d;
}

static float
random_float(void)
{
	float		f;
	uint32_t	bits;

	do
	{
		bits = (uint32_t) rnd();
		memcpy(&f, &bits, 4);
	} while (!isfinite(f));
	return f;
}

/* random doubles and floats printed at every precision from 1 to 20 digits */
static void
family_printed(long n)
{
	char		buf[64];

	for (long i = 0; i < n; i++)
	{
		int			prec = 1 + (int) (rnd() % 20);

		if (i & 1)
			snprintf(buf, sizeof buf, "%.*g", prec, random_double());
		else
			snprintf(buf, sizeof buf, "%.*g", prec, (double) random_float());
		check(buf);
	}
}

/* random digit strings: 1-25 digits, a point anywhere, exponents -60..60 */
static void
family_digits(long n)
{
	char		buf[96];

	for (long i = 0; i < n; i++)
	{
		int			nd = 1 + (int) (rnd() % 25);
		int			point = (int) (rnd() % (nd + 1));
		int			p = 0;

		if (rnd() & 1)
			buf[p++] = '-';
		for (int k = 0; k < nd; k++)
		{
			if (k == point && k > 0)
				buf[p++] = '.';
			buf[p++] = (char) ('0' + rnd() % 10);
		}
		if (rnd() % 4)
			p += snprintf(buf + p, sizeof buf - p, "e%d", (int) (rnd() % 121) - 60);
		buf[p] = '\0';
		check(buf);
	}
}

/*
 * Exact halfway points between neighbours, printed exactly (glibc's printf
 * is exact) and then cut to a random length or nudged by one in the last
 * digit, which lands just below, on, or just above the midpoint.
 */
static void
family_halfway(long n)
{
	static char buf[1200];

	for (long i = 0; i < n; i++)
	{
		long double mid;
		size_t		len;

		if (i & 1)
		{
			double		d = fabs(random_double());

			/* keep most inside the fast path's range, some anywhere */
			if (rnd() % 4)
				d = ldexp(1.0 + (double) (rnd() >> 11) / 9007199254740992.0, (int) (rnd() % 160) - 80);
			mid = ((long double) d + (long double) nextafter(d, INFINITY)) / 2;
		}
		else
		{
			float		f = fabsf(random_float());

			if (rnd() % 4)
				f = ldexpf(1.0f + (float) (rnd() >> 41) / 8388608.0f, (int) (rnd() % 160) - 80);
			mid = ((long double) f + (long double) nextafterf(f, INFINITY)) / 2;
		}
		len = (size_t) snprintf(buf, sizeof buf, "%.*Le", 1 + (int) (rnd() % 780), mid);
		switch (rnd() % 4)
		{
			case 0:				/* exact */
				break;
			case 1:				/* cut to 12..30 significant digits */
				{
					char	   *e = strchr(buf, 'e');
					char		exp[16];
					size_t		keep = 2 + rnd() % 28;

					snprintf(exp, sizeof exp, "%s", e);
					if (keep < (size_t) (e - buf))
					{
						memcpy(buf + keep, exp, strlen(exp) + 1);
						len = strlen(buf);
					}
					break;
				}
			default:			/* last mantissa digit up or down by one */
				{
					char	   *e = strchr(buf, 'e');
					char	   *last = e - 1;

					if (*last == '.')
						break;
					if (rnd() & 1)
					{
						if (*last < '9')
							(*last)++;
					}
					else if (*last > '0')
						(*last)--;
					break;
				}
		}
		(void) len;
		check(buf);
	}
}

/* subnormals and the extremes of both types */
static void
family_extremes(long n)
{
	char		buf[64];

	for (long i = 0; i < n; i++)
	{
		uint64_t	r = rnd();
		double		d;

		switch (r % 4)
		{
			case 0:				/* double subnormal */
				d = ldexp((double) (rnd() >> 12), -1074);
				break;
			case 1:				/* float32 subnormal */
				d = ldexp((double) (rnd() >> 41), -149);
				break;
			case 2:				/* near float32 max and past it */
				d = ldexp(1.0 + (double) (rnd() >> 11) / 9007199254740992.0, 126 + (int) (rnd() % 4));
				break;
			default:			/* near double max */
				d = ldexp(1.0 + (double) (rnd() >> 11) / 9007199254740992.0, 1020 + (int) (rnd() % 4));
				break;
		}
		snprintf(buf, sizeof buf, "%.*g", 1 + (int) (rnd() % 20), d);
		check(buf);
	}
}

static void
test_fixed(void)
{
	const char *cases[] = {
		"0", "-0", "0.0", "-0.0e10", "1", "0.1", "0.3", "1e23", "8.5e-5", "1e-45", "7e-46",
		"1.4e-45", "3.4028235e38", "3.4028236e38", "3.40282357e38", "1e39", "1e309", "-1e309",
		"4.9e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "1.7976931348623157e308",
		"1.7976931348623158e308", "9007199254740993", "9007199254740992.5", "16777217",
		"16777216.5", "0.30000000000000004", "123456789012345678901234567890",
		"0.000000000000000000000000000001", "inf", "-Infinity", "nan", "+NaN", ".5", "5.",
		"00000000000000000000000000001.5", "1.00000000000000000000000000000000000000000001",
		"2.2250738585072011e-308", "2.2250738585072012e-308", "1e-400", "1e+400",
		"1.00000005960464477539062499", "1.000000059604644775390625", "1.00000005960464477539062501",
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(cases[i]);
	tap_ok(bad64 == 0 && bad32 == 0, "%zu fixed hard cases agree with strtod/strtof", sizeof cases / sizeof cases[0]);
}

/* float32 -> float64 through the shortest decimal: a sweep of bit patterns */
static void
test_shortest(long n)
{
	long		wrong = 0,
				tested = 0;
	uint32_t	step = (uint32_t) (4294967296.0 / (double) n) | 1;
	char		buf[32];

	for (uint64_t b = 0; b < 4294967296ULL; b += step)
	{
		uint32_t	bits = (uint32_t) b;
		float		f;
		double		got,
					want;
		int			len;

		memcpy(&f, &bits, 4);
		dtx_f32_to_f64_shortest(&f, &got, 1);
		if (isnan(f))
		{
			wrong += !isnan(got);
			continue;
		}
		len = float_to_shortest_decimal_bufn(f, buf);
		buf[len] = '\0';
		want = isinf(f) ? (double) f : strtod(buf, NULL);
		tested++;
		/* the same as strtod of the printed digits, and it rounds back to f */
		if (memcmp(&got, &want, 8) != 0 || (float) got != f)
		{
			if (wrong++ < 5)
				printf("# %a (%s): got %a, want %a\n", (double) f, buf, got, want);
		}
	}
	tap_ok(wrong == 0, "float32 -> float64 via the shortest decimal: %ld bit patterns, %ld wrong", tested, wrong);
	{
		float		f[] = {0.1f, -0.0f, 1e-45f, 3.4028235e38f, 16777216.0f};
		double		d[5];

		dtx_f32_to_f64_shortest(f, d, 5);
		tap_ok(d[0] == 0.1 && d[1] == 0 && signbit(d[1]) && d[2] == 1e-45 &&
			   d[3] == 3.4028235e38 && d[4] == 16777216.0,
			   "0.1f -> 0.1, -0 keeps its sign, 1e-45, float32 max, 2^24");
	}
}

int
main(int argc, char **argv)
{
	long		n = argc > 1 ? atol(argv[1]) : 400000;

	test_fixed();
	bad64 = bad32 = 0;
	family_printed(n);
	tap_ok(bad64 == 0 && bad32 == 0, "%ld random floats and doubles printed at 1-20 digits (%ld/%ld wrong)", n, bad64, bad32);
	bad64 = bad32 = 0;
	family_digits(n);
	tap_ok(bad64 == 0 && bad32 == 0, "%ld random digit strings, exponents -60..60 (%ld/%ld wrong)", n, bad64, bad32);
	bad64 = bad32 = 0;
	family_halfway(n / 4);
	tap_ok(bad64 == 0 && bad32 == 0, "%ld halfway points, cut and nudged, up to 780 digits (%ld/%ld wrong)", n / 4, bad64, bad32);
	bad64 = bad32 = 0;
	family_extremes(n);
	tap_ok(bad64 == 0 && bad32 == 0, "%ld subnormals and near-maximum values (%ld/%ld wrong)", n, bad64, bad32);
	test_shortest(n);
	printf("# %ld inputs checked against strtod and strtof\n", checked);
	return tap_done();
}
