/*
 * tensor_check.c: the helpers of tensor_check.h, one per error condition.
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "shape.h"
#include "tensor_check.h"

void
CheckSameDtypeCode(const char *op, int adtype, int bdtype)
{
	if (adtype != bdtype)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s requires tensors of the same dtype, not %s and %s",
						op, TensorDtypeName(adtype), TensorDtypeName(bdtype)),
				 errhint("Convert one with a cast such as ::tensor(%s).",
						 TensorDtypeName(adtype))));
}

void
CheckSameDtype(const char *op, const Tensor *a, const Tensor *b)
{
	CheckSameDtypeCode(op, a->dtype, b->dtype);
}

/* "1-D tensors", "a tensor of rank 1 or more", "tensors of rank 1 to 2" */
static char *
RankPhrase(int min_rank, int max_rank, bool plural)
{
	const char *what = plural ? "tensors" : "a tensor";

	if (min_rank == max_rank)
		return psprintf(plural ? "%d-D tensors" : "a %d-D tensor", min_rank);
	if (max_rank >= TENSOR_MAX_NDIM)
		return psprintf("%s of rank %d or more", what, min_rank);
	return psprintf("%s of rank %d to %d", what, min_rank, max_rank);
}

static void
ReportRank(const char *op, const Tensor *a, const Tensor *b,
		   int min_rank, int max_rank, const char *hint)
{
	if (b == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s requires %s, not shape %s",
						op, RankPhrase(min_rank, max_rank, false), TensorShapeString(a)),
				 hint ? errhint("%s", hint) : 0));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("%s requires %s, not shapes %s and %s",
					op, RankPhrase(min_rank, max_rank, true),
					TensorShapeString(a), TensorShapeString(b)),
			 hint ? errhint("%s", hint) : 0));
}

void
CheckRank(const char *op, const Tensor *a, const Tensor *b,
		  int min_rank, int max_rank, const char *hint)
{
	if (a->ndim < min_rank || a->ndim > max_rank ||
		(b != NULL && (b->ndim < min_rank || b->ndim > max_rank)))
		ReportRank(op, a, b, min_rank, max_rank, hint);
}

void
CheckSameShapeDims(const char *op, int andim, const int64 *adims,
				   int bndim, const int64 *bdims)
{
	if (andim == bndim && memcmp(adims, bdims, sizeof(int64) * andim) == 0)
		return;
	if (andim == 1 && bndim == 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s requires tensors of the same length, not shapes %s and %s",
						op, ShapeString(andim, adims), ShapeString(bndim, bdims))));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("%s requires tensors of the same shape, not %s and %s",
					op, ShapeString(andim, adims), ShapeString(bndim, bdims))));
}

void
CheckSameShape(const char *op, const Tensor *a, const Tensor *b)
{
	int64		adims[TENSOR_MAX_NDIM],
				bdims[TENSOR_MAX_NDIM];

	if (a->ndim == b->ndim && memcmp(a->dims, b->dims, sizeof(int32) * a->ndim) == 0)
		return;
	TensorDims64(a, adims);
	TensorDims64(b, bdims);
	CheckSameShapeDims(op, a->ndim, adims, b->ndim, bdims);
}

void
CheckShapeCode(int code, const ShapeOp *op, const Tensor *a, const Tensor *b,
			   const int64 *axes)
{
	char	   *axes_str;

	if (code == DTX_SHAPE_OK)
		return;
	axes_str = axes ? psprintf("(%lld,%lld)", (long long) axes[0], (long long) axes[1]) : NULL;
	switch (code)
	{
		case DTX_SHAPE_OK:
			break;
		case DTX_SHAPE_MISMATCH:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 axes_str ?
					 errmsg("%s cannot %s shapes %s and %s along axes %s", op->name, op->verb,
							TensorShapeString(a), TensorShapeString(b), axes_str) :
					 errmsg("%s cannot %s shapes %s and %s", op->name, op->verb,
							TensorShapeString(a), TensorShapeString(b)),
					 op->rule ? errdetail("%s", op->rule) : 0,
					 op->hint ? errhint("%s", op->hint) : 0));
			break;
		case DTX_SHAPE_RANK:
			/* both planners take operands of rank 1 or more */
			ReportRank(op->name, a, b, 1, TENSOR_MAX_NDIM, NULL);
			break;
		case DTX_SHAPE_BAD_AXIS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s axes %s are invalid for shapes %s and %s", op->name,
							axes_str ? axes_str : "()", TensorShapeString(a), TensorShapeString(b)),
					 errdetail("An axis must lie in [-rank, rank) and must not be 0, the batch axis.")));
			break;
		case DTX_SHAPE_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s of shapes %s and %s would be too large", op->name,
							TensorShapeString(a), TensorShapeString(b)),
					 errdetail("A tensor may have at most %d dimensions and take at most %zu bytes.",
							   TENSOR_MAX_NDIM, (size_t) MaxAllocSize)));
			break;
		case DTX_SHAPE_BAD_ARG:
			/* reshape and permute report their own argument */
			break;
	}
	elog(ERROR, "dotext: %s: unexpected shape code %d", op->name, code);
}

void
CheckKernelStatus(DtxStatus st, const char *op, int result_dtype,
				  const Tensor *a, const Tensor *b)
{
	if (st == DTX_OK)
		return;
	if (st == DTX_ERR_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s result out of range for dtype %s", op, TensorDtypeName(result_dtype)),
				 b ? errdetail("Inputs have shapes %s and %s.",
							   TensorShapeString(a), TensorShapeString(b)) :
				 errdetail("The input has shape %s.", TensorShapeString(a)),
				 errhint("Convert the inputs to a wider dtype, such as ::tensor(float64).")));
	if (st == DTX_ERR_NOMEM)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory in %s", op)));
	elog(ERROR, "dotext: %s kernel failed with status %d", op, (int) st);
}
