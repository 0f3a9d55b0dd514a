/*
 * kern_rank.c: scoring a chunk of rows against Q queries into top-k heaps,
 * exactly.
 *
 * One sgemm scores the chunk against all queries fast, but float
 * accumulation moves scores by a few ulps, enough to swap near ties, and
 * the ranking must be the one ORDER BY emb <#> q gives (double
 * accumulation).  So sgemm only filters: a row whose float score is below
 * the heap's current k-th best score minus a proven error bound cannot
 * enter the top k; every other row is rescored with the exact
 * double-accumulating dot before it is pushed.  After the heaps fill,
 * almost every row is filtered out.
 *
 * The bound: for recursive or blocked float summation of d products,
 * |fl(q.r) - q.r| <= gamma_d * sum|q_i r_i| <= gamma_d * |q| * |r|, with
 * gamma_d = d u / (1 - d u), u = 2^-24 (Higham, Accuracy and Stability of
 * Numerical Algorithms, 3.1).  We use twice that, with |r| the largest
 * row norm of the chunk.
 */
#include <math.h>

#include "blas.h"
#include "kern_simd.h"
#include "prefetch.h"
#include "kernels.h"


static double
topk_threshold(const DtxTopK *t)
{
	if (t->n < t->k || isnan(t->score[0]))
		return -INFINITY;
	return t->score[0];
}

DtxStatus
dtx_topk_scan_f32(const float *rows, int64_t n, const int64_t *ids, int64_t first_id,
				  const float *queries, int64_t nq, int64_t d, float *scratch,
				  DtxTopK *heaps)
{
	const DtxBlas *blas;

	dtx_simd_init();
	/*
	 * the sgemm filter's error bound 2du/(1-du) holds only while d*u < 1: at
	 * 2^23 dimensions and beyond, exact dots alone
	 */
	blas = nq >= DTX_TOPK_SGEMM_MIN_QUERIES && d > 0 && d < ((int64_t) 1 << 23) ?
		dtx_blas() : NULL;
	if (n == 0)
		return DTX_OK;
	if (blas == NULL)
	{
		/* a row straight from a table page arrives cold */
		dtx_prefetch_row(rows, (size_t) (n * d) * sizeof(float));
		for (int64_t q = 0; q < nq; q++)
			for (int64_t j = 0; j < n; j++)
				dtx_topk_push(&heaps[q], dtx_f32dot(queries + q * d, rows + j * d, d),
							  ids ? ids[j] : first_id + j);
		return DTX_OK;
	}
	blas->sgemm(DtxRowMajor, DtxNoTrans, DtxTrans, (int) nq, (int) n, (int) d,
				1.0f, queries, (int) d, rows, (int) d, 0.0f, scratch, (int) n);
	{
		double		maxnorm = 0,
					gamma = 2.0 * (double) d * 0x1p-24 / (1.0 - (double) d * 0x1p-24);

		for (int64_t j = 0; j < n; j++)
			maxnorm = fmax(maxnorm, dtx_f32dot(rows + j * d, rows + j * d, d));
		maxnorm = sqrt(maxnorm);
		for (int64_t q = 0; q < nq; q++)
		{
			const float *qv = queries + q * d;
			const float *sc = scratch + q * n;
			DtxTopK    *h = &heaps[q];
			double		delta = gamma * sqrt(dtx_f32dot(qv, qv, d)) * maxnorm;
			double		cut = topk_threshold(h) - delta;

			for (int64_t j = 0; j < n; j++)
			{
				if ((double) sc[j] < cut)
					continue;
				dtx_topk_push(h, dtx_f32dot(qv, rows + j * d, d), ids ? ids[j] : first_id + j);
				cut = topk_threshold(h) - delta;
			}
		}
	}
	return DTX_OK;
}
