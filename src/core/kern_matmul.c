/*
 * kern_matmul.c: batched matrix products (axis_dot), their normalized form,
 * ranking scores and maxsim.
 *
 * float32/float64 go through OpenBLAS's gemm when the product is big
 * enough to pay for the call; small ones (a (B,N) axis_dot is B products
 * of 1x1 outputs) use the double-accumulating dot loops.  Integers use
 * exact checked loops.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "kern_simd.h"
#include "kern_util.h"
#include "kernels.h"

/* below this many multiply-adds per product, a gemm call costs more than it saves */
#define GEMM_MIN_FLOPS 32768


/* one product in double: out[i,p] = sum_k x[i,k] y[k,p], any dtype in, double out */
static void
matmul_double(int dtype, int64_t M, int64_t K, int64_t P,
			  const void *x, const void *y, double *out)
{
	for (int64_t i = 0; i < M; i++)
	{
		double	   *o = out + i * P;

		memset(o, 0, P * sizeof(double));
		for (int64_t k = 0; k < K; k++)
		{
			double		xv = dtx_load_double(dtype, x, i * K + k);

			for (int64_t p = 0; p < P; p++)
				o[p] += xv * dtx_load_double(dtype, y, k * P + p);
		}
	}
}

static DtxStatus
matmul_int(int dtype, int64_t M, int64_t K, int64_t P,
		   const void *x, const void *y, void *out)
{
	for (int64_t i = 0; i < M; i++)
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
		}
	return DTX_OK;
}

/* float32/float64 product, through gemm when it pays */
static DtxStatus
matmul_float(int dtype, int64_t M, int64_t K, int64_t P,
			 const void *x, const void *y, void *out)
{
	const DtxBlas *blas = M * K * P >= GEMM_MIN_FLOPS ? dtx_blas() : NULL;

	if (M == 0 || P == 0)
		return DTX_OK;
	if (blas && K > 0)
	{
		if (dtype == DTX_FLOAT32)
			blas->sgemm(DtxRowMajor, DtxNoTrans, DtxNoTrans, (int) M, (int) P, (int) K,
						1.0f, x, (int) K, y, (int) P, 0.0f, out, (int) P);
		else
			blas->dgemm(DtxRowMajor, DtxNoTrans, DtxNoTrans, (int) M, (int) P, (int) K,
						1.0, x, (int) K, y, (int) P, 0.0, out, (int) P);
		return DTX_OK;
	}
	if (P == 1)
	{
		/* a column: contiguous dots (the (B,N) axis_dot case) */
		for (int64_t i = 0; i < M; i++)
		{
			double		s;

			if (dtype == DTX_FLOAT32)
			{
				s = 0;
				for (int64_t k = 0; k < K; k++)
					s += (double) ((const float *) x)[i * K + k] * ((const float *) y)[k];
				((float *) out)[i] = (float) s;
			}
			else
				((double *) out)[i] = dtx_f64dot((const double *) x + i * K, y, K);
		}
		return DTX_OK;
	}
	{
		double	   *tmp = malloc((size_t) (M * P) * sizeof(double));

		if (!tmp)
			return DTX_ERR_NOMEM;
		matmul_double(dtype, M, K, P, x, y, tmp);
		for (int64_t i = 0; i < M * P; i++)
		{
			if (dtype == DTX_FLOAT32)
				((float *) out)[i] = (float) tmp[i];
			else
				((double *) out)[i] = tmp[i];
		}
		free(tmp);
	}
	return DTX_OK;
}

DtxStatus
dtx_batch_matmul(int dtype, int64_t M, int64_t K, int64_t P,
				 const void *x, const void *y, void *out, int64_t b0, int64_t nb)
{
	size_t		es = dtx_elem_size(dtype);

	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	dtx_simd_init();
	for (int64_t b = b0; b < b0 + nb; b++)
	{
		const char *xb = (const char *) x + b * M * K * es;
		const char *yb = (const char *) y + b * K * P * es;
		char	   *ob = (char *) out + b * M * P * es;
		DtxStatus	st = dtx_dtype_is_float(dtype) ?
			matmul_float(dtype, M, K, P, xb, yb, ob) :
			matmul_int(dtype, M, K, P, xb, yb, ob);

		if (st != DTX_OK)
			return st;
	}
	return DTX_OK;
}

DtxStatus
dtx_batch_matmul_normalized(int dtype, int64_t M, int64_t K, int64_t P,
							const void *x, const void *y, void *out,
							int64_t b0, int64_t nb)
{
	size_t		es = dtx_elem_size(dtype);
	double	   *tmp,
			   *nx,
			   *ny;

	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	tmp = malloc((size_t) (M * P + M + P + 1) * sizeof(double));
	if (!tmp)
		return DTX_ERR_NOMEM;
	nx = tmp + M * P;
	ny = nx + M;
	for (int64_t b = b0; b < b0 + nb; b++)
	{
		const char *xb = (const char *) x + b * M * K * es;
		const char *yb = (const char *) y + b * K * P * es;

		/* Keras: each sample divided by max(|x|, eps) along its dot axis */
		for (int64_t i = 0; i < M; i++)
		{
			double		s = 0;

			for (int64_t k = 0; k < K; k++)
				s += dtx_load_double(dtype, xb, i * K + k) * dtx_load_double(dtype, xb, i * K + k);
			nx[i] = fmax(sqrt(s), DTX_NORM_EPS);
		}
		for (int64_t p = 0; p < P; p++)
		{
			double		s = 0;

			for (int64_t k = 0; k < K; k++)
				s += dtx_load_double(dtype, yb, k * P + p) * dtx_load_double(dtype, yb, k * P + p);
			ny[p] = fmax(sqrt(s), DTX_NORM_EPS);
		}
		matmul_double(dtype, M, K, P, xb, yb, tmp);
		for (int64_t i = 0; i < M; i++)
			for (int64_t p = 0; p < P; p++)
			{
				double		v = tmp[i * P + p] / (nx[i] * ny[p]);

				if (dtype == DTX_FLOAT32)
					((float *) out)[b * M * P + i * P + p] = (float) v;
				else
					((double *) out)[b * M * P + i * P + p] = v;
			}
	}
	free(tmp);
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

DtxStatus
dtx_maxsim(int dtype, const void *doc, int64_t ndoc, const void *q,
		   int64_t nq, int64_t d, double *out)
{
	size_t		es = dtx_elem_size(dtype);
	void	   *sim;
	DtxStatus	st;
	double		total = 0;
	__int128	itotal = 0;

	if (!dtx_dtype_supported(dtype))
		return DTX_ERR_DTYPE;
	if (nq == 0)
		return *out = 0, DTX_OK;
	if (ndoc == 0)
		return DTX_ERR_EMPTY;
	dtx_simd_init();
	/* sim (nq x ndoc) = q (nq x d) @ doc^T: transpose doc once, then one product */
	{
		char	   *docT = malloc((size_t) (d * ndoc) * es);

		sim = malloc((size_t) (nq * ndoc) * es);
		if (!docT || !sim)
		{
			free(docT);
			free(sim);
			return DTX_ERR_NOMEM;
		}
		for (int64_t r = 0; r < ndoc; r++)
			for (int64_t k = 0; k < d; k++)
				memcpy(docT + (k * ndoc + r) * es, (const char *) doc + (r * d + k) * es, es);
		st = dtx_batch_matmul(dtype, nq, d, ndoc, q, docT, sim, 0, 1);
		free(docT);
	}
	if (st != DTX_OK)
	{
		free(sim);
		return st;
	}
	for (int64_t i = 0; i < nq; i++)
	{
		if (dtx_dtype_is_float(dtype))
		{
			double		m = dtx_load_double(dtype, sim, i * ndoc);

			for (int64_t r = 1; r < ndoc; r++)
				m = fmax(m, dtx_load_double(dtype, sim, i * ndoc + r));
			total += m;
		}
		else
		{
			int64_t		m = INT64_MIN;

			for (int64_t r = 0; r < ndoc; r++)
			{
				int64_t		v = dtype == DTX_INT32 ? ((int32_t *) sim)[i * ndoc + r] :
					((int64_t *) sim)[i * ndoc + r];

				m = v > m ? v : m;
			}
			itotal += m;
		}
	}
	free(sim);
	if (!dtx_dtype_is_float(dtype))
	{
		if (itotal > INT64_MAX || itotal < INT64_MIN)
			return DTX_ERR_OVERFLOW;
		total = (double) (int64_t) itotal;
	}
	*out = total;
	return DTX_OK;
}
