/*
 * kern_distance.c: the metrics of distance.h for any dtype, and the exact
 * integer-to-float conversion of the ranking operators.
 */
#include "distance.h"
#include "kern_poll.h"
#include "kern_util.h"
#include "prefetch.h"

/* L2 (squared) or L1 of integers, in double as cosine of integers is */
static double
int_distance(DtxMetric m, int dtype, const void *a, const void *b, int64_t n)
{
	double		s = 0;

	for (int64_t i = 0; i < n; i++)
	{
		double		d = dtx_load_double(dtype, a, i) - dtx_load_double(dtype, b, i);

		s += m == DTX_METRIC_L2 ? d * d : fabs(d);
	}
	return s;
}

DtxStatus
dtx_metric(DtxMetric m, int dtype, const void *a, const void *b, int64_t n, double *out)
{
	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	if (m == DTX_METRIC_DOT)
		return dtx_dot(dtype, a, b, n, out);
	if (m == DTX_METRIC_COSINE)
		return dtx_cosine(dtype, a, b, n, out);
	if (dtx_dtype_is_float(dtype))
	{
		dtx_prefetch_row(a, (size_t) n * dtx_elem_size(dtype));
		dtx_prefetch_row(b, (size_t) n * dtx_elem_size(dtype));
		*out = dtx_row_metric(dtx_simd(), m, dtype, a, b, n);
		return DTX_OK;
	}
	*out = int_distance(m, dtype, a, b, n);
	if (m == DTX_METRIC_L2)
		*out = sqrt(*out);
	return DTX_OK;
}

DtxStatus
dtx_int_to_float_exact(int src_dtype, const void *src, int dst_dtype, void *dst,
					   int64_t n, int64_t *bad)
{
	int64_t		limit;
	DtxPoll		poll = DTX_POLL_INIT;

	if ((src_dtype != DTX_INT32 && src_dtype != DTX_INT64) ||
		(dst_dtype != DTX_FLOAT32 && dst_dtype != DTX_FLOAT64))
		return DTX_ERR_DTYPE;
	limit = dst_dtype == DTX_FLOAT32 ? INT64_C(1) << 24 : INT64_C(1) << 53;
	for (int64_t i = 0; i < n; i++)
	{
		if ((i & 0xFFFFF) == 0xFFFFF)
			dtx_poll(&poll, DTX_POLL_WORK);
		int64_t		v = src_dtype == DTX_INT32 ? ((const int32_t *) src)[i] :
			((const int64_t *) src)[i];

		if (v > limit || v < -limit)
			return *bad = i, DTX_ERR_RANGE;
		if (dst_dtype == DTX_FLOAT32)
			((float *) dst)[i] = (float) v;
		else
			((double *) dst)[i] = (double) v;
	}
	return DTX_OK;
}
