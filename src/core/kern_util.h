/*
 * kern_util.h: small helpers shared by the kernels.
 */
#ifndef DOTEXT_KERN_UTIL_H
#define DOTEXT_KERN_UTIL_H

#include <math.h>
#include <stdint.h>
#include "dtype.h"
#include "half.h"

/*
 * Element i of any supported dtype, as a double (int64 beyond 2^53 rounds):
 * the descriptor's load (dtx_dtype(dtype)->load), inlined so that a loop
 * over elements costs no indirect call; test_dtype checks that both agree
 * on every row.  Callers check dtx_dtype_supported() first (kernels return
 * DTX_ERR_DTYPE), so an unknown code never reaches here; if one did, it
 * reads as NaN rather than as some dtype's bits.
 */
static inline double
dtx_load_double(int dtype, const void *p, int64_t i)
{
	switch (dtype)
	{
		case DTX_FLOAT32:
			return ((const float *) p)[i];
		case DTX_FLOAT64:
			return ((const double *) p)[i];
		case DTX_INT32:
			return ((const int32_t *) p)[i];
		case DTX_INT64:
			return (double) ((const int64_t *) p)[i];
		case DTX_FLOAT16:
			return dtx_f16_to_float(((const uint16_t *) p)[i]);
		case DTX_BFLOAT16:
			return dtx_bf16_to_float(((const uint16_t *) p)[i]);
	}
	return NAN;
}

#endif
