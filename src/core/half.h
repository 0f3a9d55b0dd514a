/*
 * half.h: float16 (IEEE binary16) and bfloat16 elements, one at a time, in
 * portable C.  The bulk conversions with F16C / AVX-512 instructions are in
 * half.c; these are their reference and the fallback.
 *
 * Both formats are "small floats": a sign, E exponent bits with bias
 * 2^(E-1)-1, M fraction bits, subnormals, infinities and NaN, so one pair
 * of functions serves both.  Narrowing rounds once, from the double, to
 * nearest with ties to even (a float64 never passes through float32 on the
 * way, which would round twice).
 */
#ifndef DOTEXT_HALF_H
#define DOTEXT_HALF_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define DTX_F16_EBITS 5
#define DTX_F16_MBITS 10
#define DTX_BF16_EBITS 8
#define DTX_BF16_MBITS 7

/* the value of a small float's bits, exactly */
static inline double
dtx_small_to_double(uint32_t bits, int ebits, int mbits)
{
	int			bias = (1 << (ebits - 1)) - 1;
	uint32_t	emax = (1u << ebits) - 1;
	uint32_t	e = (bits >> mbits) & emax;
	uint32_t	m = bits & ((1u << mbits) - 1);
	int			neg = (bits >> (ebits + mbits)) & 1;
	double		v;

	if (e == emax)
		v = m ? NAN : INFINITY;
	else if (e == 0)
		v = ldexp((double) m, 1 - bias - mbits);
	else
		v = ldexp((double) (m | (1u << mbits)), (int) e - bias - mbits);
	return neg ? -v : v;
}

/*
 * The small float nearest d, ties to even; values that round beyond the
 * largest finite one give an infinity, NaN a quiet NaN of d's sign.
 */
static inline uint32_t
dtx_double_to_small(double d, int ebits, int mbits)
{
	int			bias = (1 << (ebits - 1)) - 1;
	uint32_t	emax = (1u << ebits) - 1;
	uint32_t	sign = signbit(d) ? 1u << (ebits + mbits) : 0;
	double		a = fabs(d);
	int			e;
	int64_t		bits;

	if (isnan(d))
		return sign | (emax << mbits) | (1u << (mbits - 1));
	if (a < ldexp(1.0, 1 - bias))
		/* subnormal or zero: a multiple of 2^(1-bias-mbits); 2^mbits is the smallest normal */
		return sign | (uint32_t) nearbyint(ldexp(a, bias - 1 + mbits));
	if (isinf(a) || a >= ldexp(1.0, (int) emax - bias + 1))
		return sign | (emax << mbits);
	frexp(a, &e);
	e -= 1;						/* a in [2^e, 2^(e+1)) */
	/* the significand rounded to mbits+1 bits; a carry to 2^(mbits+1) moves into the exponent */
	bits = ((int64_t) (e + bias) << mbits) +
		((int64_t) nearbyint(ldexp(a, mbits - e)) - ((int64_t) 1 << mbits));
	if (bits >= ((int64_t) emax << mbits))
		return sign | (emax << mbits);
	return sign | (uint32_t) bits;
}

/*
 * A float16 element as float32, exactly, by bit arithmetic (the scalar
 * loops and the SIMD loops' tails use it; dtx_small_to_double is the
 * reference the unit tests compare it with): normal numbers rebias the
 * exponent, subnormals are m * 2^-24 exactly.
 */
static inline float
dtx_f16_to_float(uint16_t h)
{
	uint32_t	sign = (uint32_t) (h & 0x8000) << 16;
	uint32_t	em = h & 0x7fff;
	uint32_t	u;
	float		f;

	if (em >= 0x7c00)			/* infinity or NaN (payload kept) */
		u = sign | 0x7f800000u | ((em & 0x3ff) << 13);
	else if (em >= 0x0400)		/* exponent bias 15 -> 127 */
		u = sign | ((em + ((127 - 15) << 10)) << 13);
	else
	{
		f = (float) em * 0x1p-24f;
		memcpy(&u, &f, 4);
		u |= sign;
	}
	memcpy(&f, &u, 4);
	return f;
}

static inline uint16_t
dtx_double_to_f16(double d)
{
	return (uint16_t) dtx_double_to_small(d, DTX_F16_EBITS, DTX_F16_MBITS);
}

/* bfloat16 is the top half of a float32: widening is a shift */
static inline float
dtx_bf16_to_float(uint16_t h)
{
	uint32_t	u = (uint32_t) h << 16;
	float		f;

	memcpy(&f, &u, 4);
	return f;
}

static inline uint16_t
dtx_double_to_bf16(double d)
{
	return (uint16_t) dtx_double_to_small(d, DTX_BF16_EBITS, DTX_BF16_MBITS);
}

/* float32 to bfloat16, ties to even, by integer arithmetic (no double) */
static inline uint16_t
dtx_float_to_bf16(float f)
{
	uint32_t	u;

	memcpy(&u, &f, 4);
	if ((u & 0x7fffffffu) > 0x7f800000u)
		return (uint16_t) ((u >> 16) | 0x0040);	/* quiet NaN, sign kept */
	u += 0x7fffu + ((u >> 16) & 1);
	return (uint16_t) (u >> 16);
}

/* nonzero when this CPU has F16C (and the AVX it needs); half.c, looked once */
int			dtx_cpu_f16c(void);

/* largest finite values, for messages and range checks */
#define DTX_F16_MAX 65504.0
#define DTX_BF16_MAX 3.3895313892515355e38

#endif
