/*
 * kern_convert.c: Tensor.to() between any two dtypes, with range checks,
 * through the descriptors (dtype.h).
 *
 * Every conversion rounds once:
 *   - integer to integer: exact, or out of range (through double, which
 *     holds every value of a narrower integer dtype exactly, and an int64
 *     reaches int32 only when it is no wider than 2^31);
 *   - int64 to float32 or a half dtype: from the integer itself, not from a
 *     double that already rounded it: a double rounded to odd, which the
 *     target's store then rounds to nearest as it would the integer (for
 *     float32 the same bits as (float) of the integer);
 *   - float32 to float16/bfloat16 and back: the descriptor's bulk to_f32 /
 *     from_f32 (F16C where the CPU has it); between the two half dtypes
 *     through float32, which holds either exactly;
 *   - the rest: the source's load (exact widening to double: a float16
 *     becomes the float64 of the same value, as PyTorch's Tensor.to()
 *     gives) and the target's store (round to nearest even, range check).
 * float32 to float64 through the shortest decimal is the caller's
 * (TensorConvert): that rule is float32's alone.
 */
#include <math.h>
#include <string.h>

#include "kernels.h"

/* elements converted through the float32 staging buffer at a time */
#define STAGE 256

/*
 * An int64 as a double rounded to odd: exact below 2^53, else the bits
 * beyond 53 folded into a sticky lowest kept bit.  Rounding that double
 * to nearest in any format of at most 51 bits gives what rounding the
 * integer would.
 */
static double
int64_to_double_odd(int64_t v)
{
	uint64_t	u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
	int			bits = 64 - __builtin_clzll(u | 1);

	if (bits > 53)
	{
		int			shift = bits - 53;
		uint64_t	low = u & (((uint64_t) 1 << shift) - 1);

		u -= low;
		if (low)
			u |= (uint64_t) 1 << shift;
	}
	return v < 0 ? -(double) u : (double) u;
}

/* float32 into a half dtype; a finite value that became an infinity is out of range */
static DtxStatus
convert_to_half(const DtxDtypeDesc *d, const float *src, void *dst, int64_t n, int64_t *bad)
{
	d->from_f32(src, dst, n);
	for (int64_t i = 0; i < n; i++)
		if (isfinite(src[i]) && isinf(d->load(dst, i)))
			return *bad = i, DTX_ERR_RANGE;
	return DTX_OK;
}

DtxStatus
dtx_convert(int src_dtype, const void *src, int dst_dtype, void *dst,
			int64_t n, int64_t *bad)
{
	const DtxDtypeDesc *s = dtx_dtype(src_dtype);
	const DtxDtypeDesc *d = dtx_dtype(dst_dtype);

	if (s == NULL || d == NULL)
		return DTX_ERR_DTYPE;
	if (s == d)
	{
		memcpy(dst, src, (size_t) n * s->size);
		return DTX_OK;
	}
	if (s->to_f32 && d->code == DTX_FLOAT32)
	{
		s->to_f32(src, dst, n);
		return DTX_OK;
	}
	if (s->code == DTX_FLOAT32 && d->from_f32)
		return convert_to_half(d, src, dst, n, bad);
	if (s->to_f32 && d->from_f32)
	{
		float		buf[STAGE];

		for (int64_t i0 = 0; i0 < n; i0 += STAGE)
		{
			int64_t		m = n - i0 < STAGE ? n - i0 : STAGE;

			s->to_f32((const char *) src + i0 * s->size, buf, m);
			if (convert_to_half(d, buf, (char *) dst + i0 * d->size, m, bad) != DTX_OK)
				return *bad += i0, DTX_ERR_RANGE;
		}
		return DTX_OK;
	}
	for (int64_t i = 0; i < n; i++)
	{
		double		v = s->code == DTX_INT64 && d->is_float && d->code != DTX_FLOAT64 ?
			int64_to_double_odd(((const int64_t *) src)[i]) : s->load(src, i);

		if (!d->store(v, dst, i))
			return *bad = i, DTX_ERR_RANGE;
	}
	return DTX_OK;
}
