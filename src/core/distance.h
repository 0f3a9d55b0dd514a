/*
 * distance.h: the metrics of the ranking operators (<#>, <=>, <->, <+>)
 * and their functions, for one pair of vectors.
 *
 * Float inputs run the loops of kern_simd.h (one summation order on every
 * CPU); integer inputs are exact for dot and computed in double for the
 * others.  The caller that ranks many rows against one query keeps a
 * DtxSimd and calls dtx_row_metric directly, without a status.
 */
#ifndef DOTEXT_DISTANCE_H
#define DOTEXT_DISTANCE_H

#include <math.h>
#include <stdint.h>

#include "kern_simd.h"
#include "kernels.h"

typedef enum DtxMetric
{
	DTX_METRIC_DOT,				/* sum a*b */
	DTX_METRIC_COSINE,			/* cosine similarity, clamped to [-1, 1] */
	DTX_METRIC_L2,				/* sqrt(sum (a-b)^2) */
	DTX_METRIC_L1				/* sum |a-b| */
} DtxMetric;

/*
 * cosine_similarity from the three sums, PyTorch's rule (each norm at
 * least DTX_NORM_EPS), clamped to [-1, 1].  sqrt(aa * bb) rather than
 * sqrt(aa) * sqrt(bb): the square root of a rounded square is exact, so a
 * vector with itself (ab == aa == bb, the same loop) gives exactly 1.
 */
static inline double
dtx_cosine_of_sums(double ab, double aa, double bb)
{
	const double eps2 = DTX_NORM_EPS * DTX_NORM_EPS;
	double		p = fmax(aa, eps2) * fmax(bb, eps2);
	double		c;

	if (isfinite(p))
		c = ab / sqrt(p);
	else						/* float64 sums near the top of the range */
		c = ab / (fmax(sqrt(aa), DTX_NORM_EPS) * fmax(sqrt(bb), DTX_NORM_EPS));
	if (c > 1)
		return 1;
	if (c < -1)
		return -1;
	return c;					/* NaN stays NaN */
}

/*
 * A metric of two float vectors of one dtype (float32, float64, float16 or
 * bfloat16) with a path's loops; a half dtype gives the bits of the
 * float32 loops on the widened values.  Other dtypes are the caller's
 * mistake: NaN.
 */
static inline double
dtx_row_metric(const DtxSimd *s, DtxMetric m, int dtype, const void *a,
			   const void *b, int64_t n)
{
	double		ab,
				aa,
				bb;
	const DtxSimdHalf *h;

	if (dtype == DTX_FLOAT32)
		switch (m)
		{
			case DTX_METRIC_DOT:
				return s->f32dot(a, b, n);
			case DTX_METRIC_COSINE:
				s->f32dot3(a, b, n, &ab, &aa, &bb);
				return dtx_cosine_of_sums(ab, aa, bb);
			case DTX_METRIC_L2:
				return sqrt(s->f32l2sq(a, b, n));
			case DTX_METRIC_L1:
				return s->f32l1(a, b, n);
		}
	else if (dtype == DTX_FLOAT64)
		switch (m)
		{
			case DTX_METRIC_DOT:
				return s->f64dot(a, b, n);
			case DTX_METRIC_COSINE:
				s->f64dot3(a, b, n, &ab, &aa, &bb);
				return dtx_cosine_of_sums(ab, aa, bb);
			case DTX_METRIC_L2:
				return sqrt(s->f64l2sq(a, b, n));
			case DTX_METRIC_L1:
				return s->f64l1(a, b, n);
		}
	else if ((h = dtx_simd_half(s, dtype)) != NULL)
		switch (m)
		{
			case DTX_METRIC_DOT:
				return h->dot(a, b, n);
			case DTX_METRIC_COSINE:
				h->dot3(a, b, n, &ab, &aa, &bb);
				return dtx_cosine_of_sums(ab, aa, bb);
			case DTX_METRIC_L2:
				return sqrt(h->l2sq(a, b, n));
			case DTX_METRIC_L1:
				return h->l1(a, b, n);
		}
	return NAN;
}

/*
 * The same for a row of dtype (float32 or a half dtype) against a query
 * widened once to double (wq, exact) whose q.q is qq: the bits of
 * dtx_row_metric on the row and the query, both taken as float32.
 */
static inline double
dtx_row_metric_wq(const DtxSimd *s, DtxMetric m, int dtype, const void *a,
				  const double *wq, double qq, int64_t n)
{
	double		ab,
				aa;
	const DtxSimdHalf *h;

	if (dtype == DTX_FLOAT32)
		switch (m)
		{
			case DTX_METRIC_DOT:
				return s->f32wdot(a, wq, n);
			case DTX_METRIC_COSINE:
				s->f32wdot2(a, wq, n, &ab, &aa);
				return dtx_cosine_of_sums(ab, aa, qq);
			case DTX_METRIC_L2:
				return sqrt(s->f32wl2sq(a, wq, n));
			case DTX_METRIC_L1:
				return s->f32wl1(a, wq, n);
		}
	else if ((h = dtx_simd_half(s, dtype)) != NULL)
		switch (m)
		{
			case DTX_METRIC_DOT:
				return h->wdot(a, wq, n);
			case DTX_METRIC_COSINE:
				h->wdot2(a, wq, n, &ab, &aa);
				return dtx_cosine_of_sums(ab, aa, qq);
			case DTX_METRIC_L2:
				return sqrt(h->wl2sq(a, wq, n));
			case DTX_METRIC_L1:
				return h->wl1(a, wq, n);
		}
	return NAN;
}

/*
 * A metric of two vectors of n elements of one dtype, any dtype: dot of
 * integers is exact (DTX_ERR_OVERFLOW beyond int64), the rest in double.
 */
DtxStatus	dtx_metric(DtxMetric m, int dtype, const void *a, const void *b,
					   int64_t n, double *out);

/*
 * The ranking operators' conversion of an integer operand to the other
 * operand's float dtype: exact while |x| <= 2^24 (float32) or 2^53
 * (float64); beyond, DTX_ERR_RANGE with *bad the element's index.
 */
DtxStatus	dtx_int_to_float_exact(int src_dtype, const void *src, int dst_dtype,
								   void *dst, int64_t n, int64_t *bad);

#endif
