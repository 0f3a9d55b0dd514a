/*
 * kernels.h: the CPU kernels behind every dotext operation.
 *
 * Plain C with no PostgreSQL headers, so that test/ can unit-test and fuzz
 * them and the CUDA library can compare against them.  No kernel allocates
 * memory (scratch is the caller's), none aborts, and the only call back
 * into the server is the cancel poll of kern_poll.h.  Every entry returns DTX_OK or an error status; the caller turns
 * the status into an SQL error.
 *
 * Work that may run long is split by the caller into row ranges (row0,
 * nrows) so that the server can check for query cancel between calls, and
 * the long loops inside a call poll for cancel too (kern_poll.h).
 *
 * All arrays are dense and row-major (C order).  Pointers to float64/int64
 * data are 8-byte aligned, float32/int32 data 4-byte aligned.
 */
#ifndef DOTEXT_KERNELS_H
#define DOTEXT_KERNELS_H

#include <stdint.h>
#include "dtype.h"

typedef enum DtxStatus
{
	DTX_OK = 0,
	DTX_ERR_OVERFLOW = 1,		/* integer result out of range of its dtype */
	DTX_ERR_RANGE = 2,			/* conversion: value out of target range / NaN to int */
	DTX_ERR_DTYPE = 3,			/* dtype not supported by this kernel */
	DTX_ERR_NOMEM = 4,			/* scratch allocation failed */
	DTX_ERR_EMPTY = 5			/* a max over no element (maxsim of no document row) */
} DtxStatus;

/* L2 norms are clamped at this before dividing (PyTorch's cosine_similarity) */
#define DTX_NORM_EPS 1e-8

/*
 * dot: sum(a[i] * b[i]) for i < n, as double.
 * float32 accumulates in double; float64 in double; float16 and bfloat16
 * as float32 on their exactly widened elements (the same bits); int32/int64
 * exactly in 64 bits (DTX_ERR_OVERFLOW beyond int64), then converted to
 * double.  An unknown dtype code is DTX_ERR_DTYPE in every kernel.
 */
DtxStatus	dtx_dot(int dtype, const void *a, const void *b, int64_t n, double *out);

/*
 * cosine_similarity of two vectors of n elements, in double for every
 * dtype (norms clamped at DTX_NORM_EPS).
 */
DtxStatus	dtx_cosine(int dtype, const void *a, const void *b, int64_t n, double *out);

/* sum of squares of n elements, in double (any dtype) */
DtxStatus	dtx_sumsq(int dtype, const void *a, int64_t n, double *out);

/*
 * Broadcast row-wise description for rowdot/rowcosine.
 *
 * The output has nlead leading dims out_dims[0..nlead-1] (nlead may be 0:
 * one row).  Output row r (in C order over out_dims) pairs row
 * sum_k idx_k(r) * a_stride[k] of a with row sum_k idx_k(r) * b_stride[k]
 * of b, where strides count rows of n elements and are 0 along broadcast
 * dims.  So (B,N) with (N): nlead=1, out_dims={B}, a_stride={1}, b_stride={0}.
 */
typedef struct DtxRowSpec
{
	int			nlead;
	int64_t		n;				/* length of the last (contracted) axis */
	int64_t		out_dims[16];
	int64_t		a_stride[16];
	int64_t		b_stride[16];
} DtxRowSpec;

/*
 * rowdot: out[r] = dot(row a(r), row b(r)) for r in [row0, row0+nrows).
 * out has the input dtype (out points at element row0 of the whole output);
 * a half dtype's results are the float32 results narrowed (kern_half.h).
 * Integers: exact, DTX_ERR_OVERFLOW if a result leaves the dtype's range.
 */
DtxStatus	dtx_rowdot(int dtype, const DtxRowSpec *spec, const void *a,
					   const void *b, void *out, int64_t row0, int64_t nrows);

/*
 * rowcosine: out[r] = dot / (max(|a(r)|, eps) * max(|b(r)|, eps)).
 * out is float32 for float32 input and float64 for every other dtype,
 * half ones included: dtx_cosine_result_dtype (kern_half.h).
 */
DtxStatus	dtx_rowcosine(int dtype, const DtxRowSpec *spec, const void *a,
						  const void *b, void *out, int64_t row0, int64_t nrows);

/*
 * Matrix products for axis_dot.  One sample: out (M x P) = x (M x K) @
 * y (K x P), all contiguous, out of the input dtype; dtx_matmul_rows
 * computes rows [i0, i0+ni) of it, so that the caller can bound the work
 * of one call (each gemm call runs to its end before a cancel is seen).
 * Integers exact with overflow detection.
 */
DtxStatus	dtx_matmul_rows(int dtype, int64_t M, int64_t K, int64_t P,
							const void *x, const void *y, void *out,
							int64_t i0, int64_t ni);

/*
 * The same with the rows of x and the columns of y each L2-normalized
 * first (divided by max(norm, eps)), as Keras Dot(normalize=True), and the
 * result clamped to [-1, 1].  ynorm holds y's P column norms, from
 * dtx_col_norms.  out is dtx_cosine_result_dtype(dtype): float32 for
 * float32, float64 for the rest.  Half dtypes run double loops (no gemm).
 */
void		dtx_col_norms(int dtype, int64_t K, int64_t P, const void *y, double *ynorm);
DtxStatus	dtx_matmul_rows_normalized(int dtype, int64_t M, int64_t K, int64_t P,
									   const void *x, const void *y, const double *ynorm,
									   void *out, int64_t i0, int64_t ni);

/*
 * Whole samples b in [b0, b0+nb) of x (B,M,K), y (B,K,P), out (B,M,P);
 * the normalized form needs P doubles of scratch (ynorm).
 */
DtxStatus	dtx_batch_matmul(int dtype, int64_t M, int64_t K, int64_t P,
							 const void *x, const void *y, void *out,
							 int64_t b0, int64_t nb);
DtxStatus	dtx_batch_matmul_normalized(int dtype, int64_t M, int64_t K, int64_t P,
										const void *x, const void *y, void *out,
										int64_t b0, int64_t nb, double *ynorm);

/*
 * Convert n elements from src_dtype to dst_dtype (Tensor.to()): floats to
 * integers truncate toward zero; a value outside the target's range, or
 * NaN/inf to an integer dtype, stops with DTX_ERR_RANGE and sets *bad to
 * its index.  Floats round once, to nearest even; finite values beyond
 * the target's range are DTX_ERR_RANGE.  float16/bfloat16 widen exactly.
 * Same dtype: a copy.  An unknown code: DTX_ERR_DTYPE.
 */
DtxStatus	dtx_convert(int src_dtype, const void *src, int dst_dtype, void *dst,
						int64_t n, int64_t *bad);

/*
 * Ranking: out (nq x nrows, row-major) = queries (nq x d) @ rows^T, float32.
 * Through sgemm when OpenBLAS is loaded (float accumulation, about 1e-6
 * relative), else the double-accumulating dot loops.
 */
DtxStatus	dtx_scores_f32(const float *rows, int64_t nrows, const float *queries,
						   int64_t nq, int64_t d, float *out);

/*
 * ColBERT late interaction: sum over the nq query rows of the max over the
 * ndoc document rows of their dot, computed in tiles of at most
 * DTX_MAXSIM_SCRATCH similarities (scratch: that many doubles), so memory
 * does not grow with nq x ndoc.  ndoc == 0 is DTX_ERR_EMPTY (a max over
 * nothing); nq == 0 or d == 0 gives 0.  Integers exact in 128 bits, with
 * overflow detection on the int64 total.
 */
#define DTX_MAXSIM_SCRATCH 4096
DtxStatus	dtx_maxsim(int dtype, const void *doc, int64_t ndoc, const void *q,
					   int64_t nq, int64_t d, double *scratch, double *out);

/*
 * A bounded top-k over caller storage: keeps the k largest scores, ties
 * going to the smaller id, NaN worst (as ORDER BY ... <#> puts NaN last).
 */
typedef struct DtxTopK
{
	int64_t		k;
	int64_t		n;				/* entries held, <= k */
	double	   *score;
	int64_t    *id;
} DtxTopK;

void		dtx_topk_init(DtxTopK *t, int64_t k, double *score_buf, int64_t *id_buf);
void		dtx_topk_push(DtxTopK *t, double score, int64_t id);
/* leave the entries best first (the heap order is gone afterwards) */
void		dtx_topk_sorted(DtxTopK *t);

/* push every entry of src into dst (merging partial results of one top k) */
void		dtx_topk_merge(DtxTopK *dst, const DtxTopK *src);

/* fewer queries than this: exact dots directly, sgemm would not pay */
#define DTX_TOPK_SGEMM_MIN_QUERIES 8

/*
 * How topk splits its work so that the server can check for cancel between
 * kernel calls: one call of dtx_topk_scan_f32 scores at most *rows rows
 * against at most *queries queries.  Chunks are sized by the work they do:
 * queries x rows x d stays under DTX_TOPK_BLOCK_WORK multiply-adds (about
 * 0.5 ms of sgemm on one core, a few ms when every row is rescored exactly),
 * the scratch scores (queries x rows floats) under DTX_TOPK_BLOCK_SCORES and
 * the rows (rows x d floats, the copy buffer) under DTX_TOPK_BLOCK_ELEMS.
 * Both results are >= 1; a single (row, query) dot is never split.
 */
#define DTX_TOPK_BLOCK_WORK		((int64_t) 1 << 24)
#define DTX_TOPK_BLOCK_SCORES	((int64_t) 1 << 20)
#define DTX_TOPK_BLOCK_ELEMS	((int64_t) 1 << 20)
void		dtx_topk_blocks(int64_t nq, int64_t d, int64_t *rows, int64_t *queries);

/*
 * Score n float32 rows (n x d) against nq queries (nq x d) and push every
 * row into each query's heap (heaps[nq]), ids ids[j] or first_id + j.  The
 * scores pushed are exact dtx_dot values (double accumulation), the same
 * as the <#> operator's, so the ranking equals ORDER BY emb <#> q; sgemm
 * into scratch (nq x n floats) only filters out rows that cannot enter.
 */
DtxStatus	dtx_topk_scan_f32(const float *rows, int64_t n, const int64_t *ids,
							  int64_t first_id, const float *queries, int64_t nq,
							  int64_t d, float *scratch, DtxTopK *heaps);

#endif
