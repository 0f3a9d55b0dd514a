/*
 * kern_convert.c: Tensor.to() between the four dtypes, with range checks.
 */
#include <math.h>
#include <string.h>

#include "kern_util.h"
#include "kernels.h"

/* truncation toward zero fits: the bounds are exact powers of two */
#define FITS_I64(v) (!isnan(v) && trunc(v) >= -9223372036854775808.0 && trunc(v) < 9223372036854775808.0)
#define FITS_I32(v) (!isnan(v) && trunc(v) >= -2147483648.0 && trunc(v) <= 2147483647.0)


DtxStatus
dtx_convert(int src_dtype, const void *src, int dst_dtype, void *dst,
			int64_t n, int64_t *bad)
{
	if (!dtx_dtype_supported(src_dtype) || !dtx_dtype_supported(dst_dtype))
		return DTX_ERR_DTYPE;
	if (src_dtype == dst_dtype)
	{
		memcpy(dst, src, (size_t) n * dtx_elem_size(src_dtype));
		return DTX_OK;
	}
	for (int64_t i = 0; i < n; i++)
	{
		/* integer to integer stays exact, not through double */
		if (src_dtype == DTX_INT32 && dst_dtype == DTX_INT64)
		{
			((int64_t *) dst)[i] = ((const int32_t *) src)[i];
			continue;
		}
		if (src_dtype == DTX_INT64 && dst_dtype == DTX_INT32)
		{
			int64_t		v = ((const int64_t *) src)[i];

			if (v < INT32_MIN || v > INT32_MAX)
				return *bad = i, DTX_ERR_RANGE;
			((int32_t *) dst)[i] = (int32_t) v;
			continue;
		}
		{
			double		v = dtx_load_double(src_dtype, src, i);

			switch (dst_dtype)
			{
				case DTX_FLOAT32:
					/* int64 to float32 rounds once: (float) of the integer */
					if (src_dtype == DTX_INT64)
						((float *) dst)[i] = (float) ((const int64_t *) src)[i];
					else
					{
						float		f = (float) v;

						if (isinf(f) && !isinf(v))
							return *bad = i, DTX_ERR_RANGE;
						((float *) dst)[i] = f;
					}
					break;
				case DTX_FLOAT64:
					((double *) dst)[i] = v;
					break;
				case DTX_INT32:
					if (!FITS_I32(v))
						return *bad = i, DTX_ERR_RANGE;
					((int32_t *) dst)[i] = (int32_t) v;
					break;
				default:
					if (!FITS_I64(v))
						return *bad = i, DTX_ERR_RANGE;
					((int64_t *) dst)[i] = (int64_t) v;
					break;
			}
		}
	}
	return DTX_OK;
}
