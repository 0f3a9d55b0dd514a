/*
 * kern_matmul.c: matrix products (axis_dot), their normalized form,
 * ranking scores and maxsim.
 *
 * float32/float64 go through OpenBLAS's gemm when the product is big
 * enough to pay for the call; small ones (a (B,N) axis_dot is B products
 * of 1x1 outputs) use double-accumulating loops.  Integers use exact
 * checked loops.  float16 and bfloat16 use the double loops (gemm would
 * need a widened copy) and narrow each result from float32, as PyTorch's
 * half matmul accumulates in float32.  No kernel here allocates: double accumulators live in a
 * fixed tile on the stack, anything user-sized comes from the caller.  The
 * loops poll for cancel (kern_poll.h); each gemm call is bounded by its
 * caller (rows of one sample at a time, tiles of maxsim).
 */
#include <math.h>
#include <string.h>

#include "blas.h"
#include "kern_half.h"
#include "kern_poll.h"
#include "kern_simd.h"
#include "kern_util.h"
#include "kernels.h"

/* below this many multiply-adds per product, a gemm call costs more than it saves */
#define GEMM_MIN_FLOPS 32768
/* output columns accumulated in double at once by the loops below */
#define ACC_TILE 256

/* rounding may take a normalized dot a hair past 1; NaN stays NaN */
static inline double
clamp_unit(double v)
{
	return v > 1.0 ? 1.0 : v < -1.0 ? -1.0 : v;
}

/*
 * Rows [i0, i0+ni) of out (M x P) = x (M x K) @ y (K x P), summed in double
 * for any input dtype.  With ynorm (P column norms of y), each result is
 * divided by its row's and column's norm and clamped to [-1, 1].
 */
static void
rows_double(int dtype, int out_dtype, int64_t K, int64_t P, const void *x,
			const void *y, void *out, int64_t i0, int64_t ni, const double *ynorm)
{
	double		acc[ACC_TILE];
	DtxPoll		poll = DTX_POLL_INIT;

	for (int64_t i = i0; i < i0 + ni; i++)
	{
		double		xn = 1.0;

		if (ynorm)
		{
			double		s = 0;

			for (int64_t k = 0; k < K; k++)
			{
				double		v = dtx_load_double(dtype, x, i * K + k);

				s += v * v;
			}
			xn = fmax(sqrt(s), DTX_NORM_EPS);
		}
		for (int64_t p0 = 0; p0 < P; p0 += ACC_TILE)
		{
			int64_t		np = P - p0 < ACC_TILE ? P - p0 : ACC_TILE;

			memset(acc, 0, sizeof(acc));
			for (int64_t k = 0; k < K; k++)
			{
				double		xv = dtx_load_double(dtype, x, i * K + k);

				for (int64_t p = 0; p < np; p++)
					acc[p] += xv * dtx_load_double(dtype, y, k * P + p0 + p);
			}
			for (int64_t p = 0; p < np; p++)
			{
				double		v = acc[p];

				if (ynorm)
					v = clamp_unit(v / (xn * ynorm[p0 + p]));
				dtx_store_float_result(out_dtype, out, i * P + p0 + p, v);
			}
			dtx_poll(&poll, K * np + 1);
		}
	}
}

static DtxStatus
rows_int(int dtype, int64_t K, int64_t P, const void *x, const void *y,
		 void *out, int64_t i0, int64_t ni)
{
	DtxPoll		poll = DTX_POLL_INIT;

	for (int64_t i = i0; i < i0 + ni; i++)
		for (int64_t p = 0; p < P; p++)
		{
			__int128	s = 0;

			for (int64_t k = 0; k < K; k++)
			{
				__int128	prod = dtype == DTX_INT32 ?
					(__int128) ((const int32_t *) x)[i * K + k] * ((const int32_t *) y)[k * P + p] :
					(__int128) ((const int64_t *) x)[i * K + k] * ((const int64_t *) y)[k * P + p];

				if (__builtin_add_overflow(s, prod, &s))
					return DTX_ERR_OVERFLOW;
			}
			if (dtype == DTX_INT32)
			{
				if (s > INT32_MAX || s < INT32_MIN)
					return DTX_ERR_OVERFLOW;
				((int32_t *) out)[i * P + p] = (int32_t) s;
			}
			else
			{
				if (s > INT64_MAX || s < INT64_MIN)
					return DTX_ERR_OVERFLOW;
				((int64_t *) out)[i * P + p] = (int64_t) s;
			}
			dtx_poll(&poll, K + 1);
		}
	return DTX_OK;
}

/* float rows of one product, through gemm when it pays (float32, float64) */
static void
rows_float(int dtype, int64_t K, int64_t P, const void *x, const void *y,
		   void *out, int64_t i0, int64_t ni)
{
	const DtxBlas *blas = ni * K * P >= GEMM_MIN_FLOPS && !dtx_dtype_is_half(dtype) ?
		dtx_blas() : NULL;
	size_t		es = dtx_elem_size(dtype);
	const char *xi = (const char *) x + i0 * K * es;
	char	   *oi = (char *) out + i0 * P * es;

	if (blas && K > 0)
	{
		if (dtype == DTX_FLOAT32)
			blas->sgemm(DtxRowMajor, DtxNoTrans, DtxNoTrans, (int) ni, (int) P, (int) K,
						1.0f, (const float *) xi, (int) K, y, (int) P, 0.0f, (float *) oi, (int) P);
		else
			blas->dgemm(DtxRowMajor, DtxNoTrans, DtxNoTrans, (int) ni, (int) P, (int) K,
						1.0, (const double *) xi, (int) K, y, (int) P, 0.0, (double *) oi, (int) P);
		return;
	}
	if (P == 1)
	{
		/* a column: contiguous dots (the (B,N) axis_dot case) */
		DtxPoll		poll = DTX_POLL_INIT;

		for (int64_t i = 0; i < ni; i++)
		{
			double		v;

			dtx_dot(dtype, xi + i * K * es, y, K, &v);
			dtx_store_float_result(dtype, oi, i, v);
			dtx_poll(&poll, K + 1);
		}
		return;
	}
	rows_double(dtype, dtype, K, P, x, y, out, i0, ni, NULL);
}

DtxStatus
dtx_matmul_rows(int dtype, int64_t M, int64_t K, int64_t P, const void *x,
				const void *y, void *out, int64_t i0, int64_t ni)
{
	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	if (M == 0 || P == 0 || ni <= 0)
		return DTX_OK;
	dtx_simd_init();
	if (!dtx_dtype_is_float(dtype))
		return rows_int(dtype, K, P, x, y, out, i0, ni);
	rows_float(dtype, K, P, x, y, out, i0, ni);
	return DTX_OK;
}

void
dtx_col_norms(int dtype, int64_t K, int64_t P, const void *y, double *ynorm)
{
	DtxPoll		poll = DTX_POLL_INIT;

	memset(ynorm, 0, (size_t) P * sizeof(double));
	for (int64_t k = 0; k < K; k++)
	{
		for (int64_t p = 0; p < P; p++)
		{
			double		v = dtx_load_double(dtype, y, k * P + p);

			ynorm[p] += v * v;
		}
		dtx_poll(&poll, P + 1);
	}
	for (int64_t p = 0; p < P; p++)
		ynorm[p] = fmax(sqrt(ynorm[p]), DTX_NORM_EPS);
}

DtxStatus
dtx_matmul_rows_normalized(int dtype, int64_t M, int64_t K, int64_t P,
						   const void *x, const void *y, const double *ynorm,
						   void *out, int64_t i0, int64_t ni)
{
	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	if (M == 0 || P == 0 || ni <= 0)
		return DTX_OK;
	rows_double(dtype, dtx_cosine_result_dtype(dtype), K, P, x, y, out, i0, ni, ynorm);
	return DTX_OK;
}

DtxStatus
dtx_batch_matmul(int dtype, int64_t M, int64_t K, int64_t P,
				 const void *x, const void *y, void *out, int64_t b0, int64_t nb)
{
	size_t		es = dtx_elem_size(dtype);

	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	if (M == 0 || P == 0)
		return DTX_OK;
	for (int64_t b = b0; b < b0 + nb; b++)
	{
		DtxStatus	st = dtx_matmul_rows(dtype, M, K, P,
										 (const char *) x + b * M * K * es,
										 (const char *) y + b * K * P * es,
										 (char *) out + b * M * P * es, 0, M);

		if (st != DTX_OK)
			return st;
	}
	return DTX_OK;
}

DtxStatus
dtx_batch_matmul_normalized(int dtype, int64_t M, int64_t K, int64_t P,
							const void *x, const void *y, void *out,
							int64_t b0, int64_t nb, double *ynorm)
{
	size_t		es = dtx_elem_size(dtype);
	size_t		oes = dtx_elem_size(dtx_cosine_result_dtype(dtype));

	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	if (M == 0 || P == 0)
		return DTX_OK;
	for (int64_t b = b0; b < b0 + nb; b++)
	{
		const char *yb = (const char *) y + b * K * P * es;

		dtx_col_norms(dtype, K, P, yb, ynorm);
		dtx_matmul_rows_normalized(dtype, M, K, P, (const char *) x + b * M * K * es,
								   yb, ynorm, (char *) out + b * M * P * oes, 0, M);
	}
	return DTX_OK;
}

DtxStatus
dtx_scores_f32(const float *rows, int64_t nrows, const float *queries,
			   int64_t nq, int64_t d, float *out)
{
	const DtxBlas *blas = nq * nrows * d >= GEMM_MIN_FLOPS ? dtx_blas() : NULL;

	dtx_simd_init();
	if (nrows == 0 || nq == 0)
		return DTX_OK;
	if (blas && d > 0)
	{
		blas->sgemm(DtxRowMajor, DtxNoTrans, DtxTrans, (int) nq, (int) nrows, (int) d,
					1.0f, queries, (int) d, rows, (int) d, 0.0f, out, (int) nrows);
		return DTX_OK;
	}
	for (int64_t q = 0; q < nq; q++)
		for (int64_t r = 0; r < nrows; r++)
			out[q * nrows + r] = (float) dtx_f32dot(queries + q * d, rows + r * d, d);
	return DTX_OK;
}

/* maxsim of integers: exact dots in 128 bits, document rows contiguous */
static DtxStatus
maxsim_int(int dtype, const void *doc, int64_t ndoc, const void *q, int64_t nq,
		   int64_t d, double *out)
{
	__int128	total = 0;
	DtxPoll		poll = DTX_POLL_INIT;

	for (int64_t i = 0; i < nq; i++)
	{
		__int128	best = 0;

		for (int64_t r = 0; r < ndoc; r++)
		{
			__int128	s = 0;

			for (int64_t k = 0; k < d; k++)
			{
				__int128	prod = dtype == DTX_INT32 ?
					(__int128) ((const int32_t *) q)[i * d + k] * ((const int32_t *) doc)[r * d + k] :
					(__int128) ((const int64_t *) q)[i * d + k] * ((const int64_t *) doc)[r * d + k];

				if (__builtin_add_overflow(s, prod, &s))
					return DTX_ERR_OVERFLOW;
			}
			if (r == 0 || s > best)
				best = s;
			dtx_poll(&poll, d + 1);
		}
		if (__builtin_add_overflow(total, best, &total))
			return DTX_ERR_OVERFLOW;
	}
	if (total > INT64_MAX || total < INT64_MIN)
		return DTX_ERR_OVERFLOW;
	*out = (double) (int64_t) total;
	return DTX_OK;
}

/*
 * maxsim of floats: the (nq x ndoc) similarities in tiles of at most
 * DTX_MAXSIM_SCRATCH, each one gemm (q @ doc^T, no transposed copy) or
 * double dots, the tile sized so one gemm is about a millisecond.
 */
static void
maxsim_float(int dtype, const void *doc, int64_t ndoc, const void *q, int64_t nq,
			 int64_t d, double *scratch, double *out)
{
	const DtxBlas *blas = dtx_blas();
	size_t		es = dtx_elem_size(dtype);
	int64_t		cells = ((int64_t) 1 << 24) / (d > 0 ? d : 1);
	int64_t		qb,
				db;
	double		total = 0;
	DtxPoll		poll = DTX_POLL_INIT;

	cells = cells < 1 ? 1 : cells > DTX_MAXSIM_SCRATCH ? DTX_MAXSIM_SCRATCH : cells;
	qb = nq < 64 ? nq : 64;
	qb = qb < cells ? qb : cells;
	db = cells / qb;
	db = db < ndoc ? db : ndoc;
	for (int64_t q0 = 0; q0 < nq; q0 += qb)
	{
		int64_t		nqb = nq - q0 < qb ? nq - q0 : qb;
		double		best[64];

		for (int64_t r0 = 0; r0 < ndoc; r0 += db)
		{
			int64_t		ndb = ndoc - r0 < db ? ndoc - r0 : db;
			const char *qt = (const char *) q + q0 * d * es;
			const char *dt = (const char *) doc + r0 * d * es;
			float	   *sf = (float *) scratch;

			if (blas && nqb * ndb * d >= GEMM_MIN_FLOPS && !dtx_dtype_is_half(dtype))
			{
				if (dtype == DTX_FLOAT32)
					blas->sgemm(DtxRowMajor, DtxNoTrans, DtxTrans, (int) nqb, (int) ndb, (int) d,
								1.0f, (const float *) qt, (int) d, (const float *) dt, (int) d,
								0.0f, sf, (int) ndb);
				else
					blas->dgemm(DtxRowMajor, DtxNoTrans, DtxTrans, (int) nqb, (int) ndb, (int) d,
								1.0, (const double *) qt, (int) d, (const double *) dt, (int) d,
								0.0, scratch, (int) ndb);
			}
			else
			{
				for (int64_t i = 0; i < nqb; i++)
					for (int64_t r = 0; r < ndb; r++)
					{
						double		v;

						/* float32 and the half dtypes keep float similarities, as sgemm's */
						dtx_dot(dtype, qt + i * d * es, dt + r * d * es, d, &v);
						if (dtype == DTX_FLOAT64)
							scratch[i * ndb + r] = v;
						else
							sf[i * ndb + r] = (float) v;
					}
			}
			for (int64_t i = 0; i < nqb; i++)
				for (int64_t r = 0; r < ndb; r++)
				{
					double		v = dtype == DTX_FLOAT64 ? scratch[i * ndb + r] : sf[i * ndb + r];

					best[i] = r0 == 0 && r == 0 ? v : fmax(best[i], v);
				}
			dtx_poll(&poll, nqb * ndb * (d + 1));
		}
		for (int64_t i = 0; i < nqb; i++)
			total += best[i];
	}
	*out = total;
}

DtxStatus
dtx_maxsim(int dtype, const void *doc, int64_t ndoc, const void *q,
		   int64_t nq, int64_t d, double *scratch, double *out)
{
	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	if (nq == 0)
		return *out = 0, DTX_OK;
	if (ndoc == 0)
		return DTX_ERR_EMPTY;
	/* every similarity of width 0 is 0: no need to visit nq x ndoc of them */
	if (d == 0)
		return *out = 0, DTX_OK;
	dtx_simd_init();
	if (!dtx_dtype_is_float(dtype))
		return maxsim_int(dtype, doc, ndoc, q, nq, d, out);
	maxsim_float(dtype, doc, ndoc, q, nq, d, scratch, out);
	return DTX_OK;
}
