/*
 * kern_dot.c: dot, sum of squares, rowdot and rowcosine.
 *
 * Integers are exact: int32 and int64 products are summed in __int128
 * (int64 additions checked), and the result must fit the dtype
 * (int64 for a dot of int32, which torch.dot would return as int32 but
 * which SQL returns as double precision anyway).  float16 and bfloat16
 * run the float32 loops on their exactly widened elements (kern_simd.h),
 * and results that keep the dtype are the float32 result narrowed.
 */
#include <math.h>

#include "distance.h"
#include "kern_half.h"
#include "kern_simd.h"
#include "prefetch.h"
#include "kernels.h"

/*
 * int32 products are below 2^62 and a tensor has fewer than 2^28 of them,
 * so a 128-bit sum never overflows: only the final value is checked, and
 * element order never decides between a value and an overflow error.
 */
static DtxStatus
dot_i32(const int32_t *a, const int32_t *b, int64_t n, int64_t *out)
{
	__int128	s = 0;

	for (int64_t i = 0; i < n; i++)
		s += (int64_t) a[i] * b[i];
	if (s > INT64_MAX || s < INT64_MIN)
		return DTX_ERR_OVERFLOW;
	*out = (int64_t) s;
	return DTX_OK;
}

static DtxStatus
dot_i64(const int64_t *a, const int64_t *b, int64_t n, int64_t *out)
{
	__int128	s = 0;

	for (int64_t i = 0; i < n; i++)
		if (__builtin_add_overflow(s, (__int128) a[i] * b[i], &s))
			return DTX_ERR_OVERFLOW;
	if (s > INT64_MAX || s < INT64_MIN)
		return DTX_ERR_OVERFLOW;
	*out = (int64_t) s;
	return DTX_OK;
}

/* a dot computed in double for any dtype (cosine, norms of integers) */
static DtxStatus
dot_as_double(int dtype, const void *a, const void *b, int64_t n, double *out)
{
	double		s = 0;

	switch (dtype)
	{
		case DTX_FLOAT32:
			*out = dtx_f32dot(a, b, n);
			return DTX_OK;
		case DTX_FLOAT64:
			*out = dtx_f64dot(a, b, n);
			return DTX_OK;
		case DTX_FLOAT16:
		case DTX_BFLOAT16:
			*out = dtx_simd_half(dtx_simd(), dtype)->dot(a, b, n);
			return DTX_OK;
		case DTX_INT32:
			for (int64_t i = 0; i < n; i++)
				s += (double) ((const int32_t *) a)[i] * (double) ((const int32_t *) b)[i];
			*out = s;
			return DTX_OK;
		case DTX_INT64:
			for (int64_t i = 0; i < n; i++)
				s += (double) ((const int64_t *) a)[i] * (double) ((const int64_t *) b)[i];
			*out = s;
			return DTX_OK;
	}
	return DTX_ERR_DTYPE;
}

DtxStatus
dtx_dot(int dtype, const void *a, const void *b, int64_t n, double *out)
{
	int64_t		r;
	DtxStatus	st;

	dtx_simd_init();
	dtx_prefetch_row(a, (size_t) n * dtx_elem_size(dtype));
	dtx_prefetch_row(b, (size_t) n * dtx_elem_size(dtype));
	switch (dtype)
	{
		case DTX_FLOAT32:
		case DTX_FLOAT64:
		case DTX_FLOAT16:
		case DTX_BFLOAT16:
			return dot_as_double(dtype, a, b, n, out);
		case DTX_INT32:
			st = dot_i32(a, b, n, &r);
			break;
		case DTX_INT64:
			st = dot_i64(a, b, n, &r);
			break;
		default:
			return DTX_ERR_DTYPE;
	}
	if (st == DTX_OK)
		*out = (double) r;
	return st;
}

DtxStatus
dtx_sumsq(int dtype, const void *a, int64_t n, double *out)
{
	dtx_simd_init();
	return dot_as_double(dtype, a, a, n, out);
}

/* row offsets (in rows) of output row r, from the broadcast spec */
static void
row_offsets(const DtxRowSpec *spec, int64_t r, int64_t *ao, int64_t *bo, int64_t *idx)
{
	*ao = 0;
	*bo = 0;
	for (int k = spec->nlead - 1; k >= 0; k--)
	{
		idx[k] = r % spec->out_dims[k];
		r /= spec->out_dims[k];
		*ao += idx[k] * spec->a_stride[k];
		*bo += idx[k] * spec->b_stride[k];
	}
}

/* advance the odometer to the next output row */
static void
row_next(const DtxRowSpec *spec, int64_t *ao, int64_t *bo, int64_t *idx)
{
	for (int k = spec->nlead - 1; k >= 0; k--)
	{
		*ao += spec->a_stride[k];
		*bo += spec->b_stride[k];
		if (++idx[k] < spec->out_dims[k])
			return;
		*ao -= spec->a_stride[k] * spec->out_dims[k];
		*bo -= spec->b_stride[k] * spec->out_dims[k];
		idx[k] = 0;
	}
}

DtxStatus
dtx_rowdot(int dtype, const DtxRowSpec *spec, const void *a, const void *b,
		   void *out, int64_t row0, int64_t nrows)
{
	int64_t		idx[16],
				ao,
				bo;
	int64_t		n = spec->n;
	size_t		es = dtx_elem_size(dtype);

	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	if (nrows <= 0)				/* an empty output may have a zero dim */
		return DTX_OK;
	dtx_simd_init();
	row_offsets(spec, row0, &ao, &bo, idx);
	for (int64_t r = 0; r < nrows; r++)
	{
		const char *pa = (const char *) a + ao * n * es;
		const char *pb = (const char *) b + bo * n * es;
		int64_t		v;

		switch (dtype)
		{
			case DTX_FLOAT32:
				((float *) out)[r] = (float) dtx_f32dot((const float *) pa, (const float *) pb, n);
				break;
			case DTX_FLOAT64:
				((double *) out)[r] = dtx_f64dot((const double *) pa, (const double *) pb, n);
				break;
			case DTX_FLOAT16:
			case DTX_BFLOAT16:
				dtx_store_float_result(dtype, out, r,
									   dtx_simd_half(dtx_simd(), dtype)->dot((const uint16_t *) pa,
																			 (const uint16_t *) pb, n));
				break;
			case DTX_INT32:
				if (dot_i32((const int32_t *) pa, (const int32_t *) pb, n, &v) != DTX_OK ||
					v < INT32_MIN || v > INT32_MAX)
					return DTX_ERR_OVERFLOW;
				((int32_t *) out)[r] = (int32_t) v;
				break;
			case DTX_INT64:
				if (dot_i64((const int64_t *) pa, (const int64_t *) pb, n, &v) != DTX_OK)
					return DTX_ERR_OVERFLOW;
				((int64_t *) out)[r] = v;
				break;
			default:
				return DTX_ERR_DTYPE;
		}
		row_next(spec, &ao, &bo, idx);
	}
	return DTX_OK;
}

DtxStatus
dtx_cosine(int dtype, const void *a, const void *b, int64_t n, double *out)
{
	DtxRowSpec	spec = {0};

	if (dtx_dtype_is_float(dtype))
	{
		dtx_prefetch_row(a, (size_t) n * dtx_elem_size(dtype));
		dtx_prefetch_row(b, (size_t) n * dtx_elem_size(dtype));
		*out = dtx_row_metric(dtx_simd(), DTX_METRIC_COSINE, dtype, a, b, n);
		return DTX_OK;
	}
	spec.n = n;
	return dtx_rowcosine(dtype, &spec, a, b, out, 0, 1);
}

DtxStatus
dtx_rowcosine(int dtype, const DtxRowSpec *spec, const void *a, const void *b,
			  void *out, int64_t row0, int64_t nrows)
{
	int64_t		idx[16],
				ao,
				bo;
	int64_t		n = spec->n;
	size_t		es = dtx_elem_size(dtype);

	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	if (nrows <= 0)				/* an empty output may have a zero dim */
		return DTX_OK;
	dtx_simd_init();
	row_offsets(spec, row0, &ao, &bo, idx);
	for (int64_t r = 0; r < nrows; r++)
	{
		const char *pa = (const char *) a + ao * n * es;
		const char *pb = (const char *) b + bo * n * es;
		double		ab,
					aa,
					bb,
					c;

		if (dtype == DTX_FLOAT32)
		{
			dtx_prefetch_row(pa, n * es);
			dtx_f32dot3((const float *) pa, (const float *) pb, n, &ab, &aa, &bb);
		}
		else if (dtype == DTX_FLOAT64)
			dtx_simd()->f64dot3((const double *) pa, (const double *) pb, n, &ab, &aa, &bb);
		else if (dtx_dtype_is_half(dtype))
			dtx_simd_half(dtx_simd(), dtype)->dot3((const uint16_t *) pa, (const uint16_t *) pb,
												   n, &ab, &aa, &bb);
		else
		{
			dot_as_double(dtype, pa, pb, n, &ab);
			dot_as_double(dtype, pa, pa, n, &aa);
			dot_as_double(dtype, pb, pb, n, &bb);
		}
		c = dtx_cosine_of_sums(ab, aa, bb);
		dtx_store_float_result(dtx_cosine_result_dtype(dtype), out, r, c);
		row_next(spec, &ao, &bo, idx);
	}
	return DTX_OK;
}
