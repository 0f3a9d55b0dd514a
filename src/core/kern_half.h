/*
 * kern_half.h: how the kernels compute the half dtypes (float16,
 * bfloat16): widened exactly to float32 (or double) and, for results that
 * keep the dtype, narrowed back from float32, as PyTorch computes half
 * tensors in float32.  So a half result is the float32 result of the
 * widened inputs, rounded to the half dtype.
 */
#ifndef DOTEXT_KERN_HALF_H
#define DOTEXT_KERN_HALF_H

#include <stdint.h>

#include "dtype.h"
#include "half.h"

/* elements widened per block on the stack by the loops that widen */
#define DTX_HALF_BLOCK 256

/*
 * A result v (computed in double) stored into element i of out: float64
 * as is, float32 rounded once, a half dtype rounded to float32 first (its
 * compute dtype), then to nearest even.  Returns 0 for a dtype that holds
 * no float result.
 */
static inline int
dtx_store_float_result(int dtype, void *out, int64_t i, double v)
{
	float		f = (float) v;

	switch (dtype)
	{
		case DTX_FLOAT32:
			((float *) out)[i] = f;
			return 1;
		case DTX_FLOAT64:
			((double *) out)[i] = v;
			return 1;
		case DTX_FLOAT16:
			((uint16_t *) out)[i] = dtx_double_to_f16(f);
			return 1;
		case DTX_BFLOAT16:
			((uint16_t *) out)[i] = dtx_float_to_bf16(f);
			return 1;
		case DTX_INT32:
		case DTX_INT64:
			return 0;
	}
	return 0;
}

/*
 * The dtype of a cosine result (rowcosine, cosine axis_dot), as the SQL
 * interface states it for rowcosine: float32 for float32 inputs, float64
 * for every other dtype.  So half inputs give
 * float64 (PyTorch would keep float16, and lose the similarity's digits
 * below 1e-3), and cosine axis_dot stays equal to rowcosine.
 */
static inline int
dtx_cosine_result_dtype(int dtype)
{
	return dtype == DTX_FLOAT32 ? DTX_FLOAT32 : DTX_FLOAT64;
}

#endif
