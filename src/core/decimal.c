/*
 * decimal.c: correctly rounded decimal to float32/float64 (see decimal.h).
 *
 * Fast path: a token of at most 19 significant digits w and a decimal
 * exponent e with |e| <= 27 is w * 10^e with both factors exact in x87
 * extended precision (64-bit significand; 5^27 < 2^64), so one extended
 * multiplication or division gives L, x rounded once to 64 bits.  Rounding
 * L again to the target is the correct rounding of x unless L lies exactly
 * on a midpoint between two targets: any midpoint strictly between x and L
 * would be a 64-bit number nearer to x than L.  So a midpoint L (about one
 * value in 2^11 for float64, 2^40 for float32) and everything outside the
 * fast path go to strtod/strtof, which are exact.  Most text, dotext's own
 * shortest-digit output included (at most 9 digits for float32, 17 for
 * float64), takes the fast path.
 */
#include "decimal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * PostgreSQL's Ryu (src/common/f2s.c), the digits text output prints: the
 * server provides it, the unit tests link libpgcommon.  Weak, so that the
 * kernel benchmarks and the GPU harness, which link every core file but
 * never convert float32 to float64 this way, need no PostgreSQL library.
 */
extern int	float_to_shortest_decimal_bufn(float f, char *result) __attribute__((weak));

#if LDBL_MANT_DIG == 64 && defined(__x86_64__)
#define DTX_HAVE_X87 1
static const long double pow10_ld[28] = {
	1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L,
	1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L,
	1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L
};

/* the low `bits` bits of L's 64-bit significand are 100...0: a midpoint */
static inline int
ld_is_midpoint(long double L, int bits)
{
	uint64_t	mant;

	memcpy(&mant, &L, sizeof(mant));	/* x86: significand in the low 8 bytes */
	return (mant & ((UINT64_C(1) << bits) - 1)) == (UINT64_C(1) << (bits - 1));
}
#endif

static void
scan_decimal(const char *s, size_t len, DtxDecimal *d)
{
	const char *p = s,
			   *end = s + len;
	int64_t		exp10 = 0;

	memset(d, 0, sizeof(*d));
	if (p < end && (*p == '+' || *p == '-'))
		d->negative = *p++ == '-';
	if (p < end && (*p == 'i' || *p == 'I' || *p == 'n' || *p == 'N'))
	{
		d->special = (*p == 'i' || *p == 'I') ? 'i' : 'n';
		return;
	}
	for (; p < end && *p >= '0' && *p <= '9'; p++)
	{
		if (d->ndigits == 0 && *p == '0')
			continue;			/* leading zeros */
		if (d->ndigits < 19)
			d->w = d->w * 10 + (uint64_t) (*p - '0'), d->ndigits++;
		else
		{
			exp10++;
			d->inexact |= *p != '0';
		}
	}
	if (p < end && *p == '.')
	{
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
		{
			if (d->ndigits == 0 && *p == '0')
			{
				exp10--;
				continue;
			}
			if (d->ndigits < 19)
				d->w = d->w * 10 + (uint64_t) (*p - '0'), d->ndigits++, exp10--;
			else
				d->inexact |= *p != '0';
		}
	}
	if (p < end && (*p == 'e' || *p == 'E'))
	{
		int			eneg = 0;
		int64_t		x = 0;

		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (x < 100000)
				x = x * 10 + (*p - '0');	/* beyond, the value is 0 or inf anyway */
		exp10 += eneg ? -x : x;
	}
	d->e = (int32_t) (exp10 < -100000 ? -100000 : exp10 > 100000 ? 100000 : exp10);
}

#ifdef DTX_HAVE_X87
/* w * 10^e rounded once to 64 bits; the caller checked |e| <= 27 */
static inline long double
scale_ld(const DtxDecimal *d)
{
	return d->e >= 0 ? (long double) d->w * pow10_ld[d->e]
		: (long double) d->w / pow10_ld[-d->e];
}
#endif

double
dtx_decimal_f64(const DtxDecimal *d, const char *tok)
{
	if (d->special)
		return d->special == 'n' ? NAN : d->negative ? -INFINITY : INFINITY;
	if (d->ndigits == 0 && !d->inexact)
		return d->negative ? -0.0 : 0.0;
#ifdef DTX_HAVE_X87
	if (!d->inexact && d->e >= -27 && d->e <= 27)
	{
		long double L = scale_ld(d);

		if (!ld_is_midpoint(L, 11))
			return d->negative ? -(double) L : (double) L;
	}
#endif
	return strtod(tok, NULL);
}

float
dtx_decimal_f32(const DtxDecimal *d, const char *tok)
{
	if (d->special)
		return d->special == 'n' ? NAN : d->negative ? -INFINITY : INFINITY;
	if (d->ndigits == 0 && !d->inexact)
		return d->negative ? -0.0f : 0.0f;
#ifdef DTX_HAVE_X87
	if (!d->inexact && d->e >= -27 && d->e <= 27)
	{
		long double L = scale_ld(d);

		if (!ld_is_midpoint(L, 40))
			return d->negative ? -(float) L : (float) L;
	}
#endif
	return strtof(tok, NULL);
}

double
dtx_decimal_to_f64(const char *s, size_t len)
{
	DtxDecimal	d;

	scan_decimal(s, len, &d);
	return dtx_decimal_f64(&d, s);
}

float
dtx_decimal_to_f32(const char *s, size_t len)
{
	DtxDecimal	d;

	scan_decimal(s, len, &d);
	return dtx_decimal_f32(&d, s);
}

void
dtx_f32_to_f64_shortest(const float *src, double *dst, int64_t n)
{
	char		buf[32];

	for (int64_t i = 0; i < n; i++)
	{
		float		f = src[i];

		/* NaN keeps no payload, as text output does; infinities and zeros widen exactly */
		if (isnan(f) || isinf(f) || f == 0)
			dst[i] = (double) f;
		else
		{
			int			len;

			if (float_to_shortest_decimal_bufn == NULL)
				abort();		/* a standalone program that did not link libpgcommon */
			len = float_to_shortest_decimal_bufn(f, buf);

			buf[len] = '\0';	/* bufn does not terminate; strtod may need it */
			dst[i] = dtx_decimal_to_f64(buf, (size_t) len);
		}
	}
}
