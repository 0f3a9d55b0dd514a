/*
 * tensor_check.h: one helper per error condition, so that a condition gets
 * the same SQLSTATE and the same words wherever it is checked (SQLSTATEs
 * from the spec's error table).  Each returns when the condition holds.
 */
#ifndef DOTEXT_TENSOR_CHECK_H
#define DOTEXT_TENSOR_CHECK_H

#include "kernels.h"
#include "tensor.h"

/* 42804: a and b must have one dtype; the HINT names the cast */
extern void CheckSameDtype(const char *op, const Tensor *a, const Tensor *b);
extern void CheckSameDtypeCode(const char *op, int adtype, int bdtype);

/*
 * 22000: each operand's rank lies in [min_rank, max_rank] (max_rank
 * TENSOR_MAX_NDIM for "or more"); b may be NULL for a one-operand function;
 * hint may be NULL.
 */
extern void CheckRank(const char *op, const Tensor *a, const Tensor *b,
					  int min_rank, int max_rank, const char *hint);

/* 22000: a and b have one shape ("length" for two vectors) */
extern void CheckSameShape(const char *op, const Tensor *a, const Tensor *b);
extern void CheckSameShapeDims(const char *op, int andim, const int64 *adims,
							   int bndim, const int64 *bdims);

/*
 * What a two-operand function does with the shapes the planners of
 * src/core/shape.h and broadcast.h check, for their codes' messages.
 */
typedef struct ShapeOp
{
	const char *name;			/* the function or operator the user wrote */
	const char *verb;			/* "pair", "contract", "broadcast" */
	const char *rule;			/* DETAIL of a mismatch: the rule broken */
	const char *hint;			/* HINT of a mismatch, or NULL */
} ShapeOp;

/*
 * The one reporter of a planner's code (DtxShapeCode, or DtxBroadcastCode,
 * which shares its values): returns on DTX_SHAPE_OK.  axes are the two
 * axes of a function that takes them, else NULL.
 */
extern void CheckShapeCode(int code, const ShapeOp *op, const Tensor *a, const Tensor *b,
						   const int64 *axes);

/*
 * A kernel's status: returns on DTX_OK; 22003 on overflow of result_dtype
 * (b may be NULL), 53200 on DTX_ERR_NOMEM, an internal error otherwise.
 */
extern void CheckKernelStatus(DtxStatus st, const char *op, int result_dtype,
							  const Tensor *a, const Tensor *b);

#endif
