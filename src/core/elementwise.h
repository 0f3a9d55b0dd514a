/*
 * elementwise.h: element-wise arithmetic, slicing, reductions over rows,
 * aggregate accumulators and the total order of tensors.  Plain C, no
 * PostgreSQL headers: unit-tested.
 *
 * Every kernel works on a range [start, start + count) of output elements
 * (or rows), so that the server can check for query cancel between calls.
 * Pointers are to whole tensors' data, not to the range.
 */
#ifndef DOTEXT_ELEMENTWISE_H
#define DOTEXT_ELEMENTWISE_H

#include <stddef.h>
#include <stdint.h>

#include "broadcast.h"
#include "kernels.h"

typedef enum DtxEwOp
{
	DTX_EW_ADD,
	DTX_EW_SUB,
	DTX_EW_MUL,
	DTX_EW_DIV					/* scalar division only */
} DtxEwOp;

/*
 * out = a op b with NumPy broadcasting (bc), a, b and out of one dtype.
 * Floats follow IEEE (inf and NaN results are values, as in PyTorch);
 * float16 and bfloat16 compute in float32 and round back, as PyTorch;
 * integers are exact and stop with DTX_ERR_OVERFLOW.  DTX_EW_DIV is
 * DTX_ERR_DTYPE here.
 */
DtxStatus	dtx_ew_binary(DtxEwOp op, int dtype, const DtxBroadcast *bc,
						  const void *a, const void *b, void *out,
						  int64_t start, int64_t count);

/*
 * out = a * s for an integer scalar (PyTorch's tensor * int): the dtype is
 * kept; integers exact (a product outside the dtype is DTX_ERR_OVERFLOW),
 * floats computed in double and rounded once.
 */
DtxStatus	dtx_ew_mul_int(int dtype, const void *a, int64_t s, void *out,
						   int64_t start, int64_t count);

/*
 * out = a * s or a / s for a float scalar (op DTX_EW_MUL or DTX_EW_DIV),
 * computed in double and rounded once to out_dtype, which is a's dtype for
 * a float tensor and float32 for an integer one (PyTorch's type promotion
 * of a tensor with a Python float).  Division by zero gives inf or NaN.
 */
DtxStatus	dtx_ew_scalar_float(DtxEwOp op, int dtype, const void *a, double s,
								int out_dtype, void *out, int64_t start, int64_t count);

/* the dtype of a tensor op float scalar, and of l2_normalize and avg */
static inline int
dtx_float_result_dtype(int dtype, int float32_for_ints)
{
	if (dtx_dtype_is_float(dtype))
		return dtype;
	return float32_for_ints ? DTX_FLOAT32 : DTX_FLOAT64;
}

/*
 * Rows of n elements divided by their L2 norm (computed in double), rows
 * [row0, row0 + nrows).  A row of norm 0 gives zeros, as pgvector's
 * l2_normalize; a NaN norm gives NaN.  out_dtype any float dtype (a half
 * one narrowed from float32, kern_half.h).
 */
DtxStatus	dtx_l2_normalize_rows(int dtype, const void *a, int64_t n, int out_dtype,
								  void *out, int64_t row0, int64_t nrows);

/*
 * Copy the box start[k] .. start[k] + count[k] - 1 (0-based, within dims)
 * of a C-order array of ndim >= 1 dims into dst, packed in C order.  Works
 * on rows [row0, row0 + nrows) of the box, a row being count[ndim - 1]
 * elements (so there are product of the other counts rows).
 */
void		dtx_box_copy(size_t elem_size, int ndim, const int64_t *dims, const int64_t *start,
						 const int64_t *count, const void *src, void *dst,
						 int64_t row0, int64_t nrows);

/* acc[i] += a[i] as double, any dtype */
void		dtx_accum_double(int dtype, const void *a, double *acc,
							 int64_t start, int64_t count);

/* acc[i] += a[i] exactly, an integer dtype; DTX_ERR_OVERFLOW beyond int64 */
DtxStatus	dtx_accum_int64(int dtype, const void *a, int64_t *acc,
							int64_t start, int64_t count);

/* out[i] = acc[i] / divisor rounded to out_dtype, any float dtype (kern_half.h) */
void		dtx_accum_finish(const double *acc, double divisor, int out_dtype, void *out,
							 int64_t start, int64_t count);

/*
 * The order of elements [start, start + count) of two arrays of one dtype:
 * -1, 0 or 1 at the first that differ.  Floats are ordered as PostgreSQL
 * orders float8: -0 = 0, NaN = NaN and NaN above every other value.
 */
int			dtx_compare(int dtype, const void *a, const void *b,
						int64_t start, int64_t count);

/*
 * Copy elements [start, start + count) of a into out (which holds count
 * elements) in a form whose bytes are equal exactly when dtx_compare says
 * equal: -0 becomes 0 and every NaN one NaN.  For hashing.
 */
void		dtx_hash_canonical(int dtype, const void *a, void *out,
							   int64_t start, int64_t count);

#endif
