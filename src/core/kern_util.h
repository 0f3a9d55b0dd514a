/*
 * kern_util.h: small helpers shared by the kernels.
 */
#ifndef DOTEXT_KERN_UTIL_H
#define DOTEXT_KERN_UTIL_H

#include <stdint.h>
#include "dtype.h"

/* element i of any supported dtype, as a double (int64 beyond 2^53 rounds) */
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
		default:
			return (double) ((const int64_t *) p)[i];
	}
}

#endif
