/*
 * tensor_elementwise.c: + - * between tensors with NumPy broadcasting,
 * tensor * and / scalar, and l2_normalize().  The arithmetic is in
 * src/core/kern_elementwise.c; this file checks, allocates and reports.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "elementwise.h"
#include "tensor_check.h"

PG_FUNCTION_INFO_V1(tensor_add);
PG_FUNCTION_INFO_V1(tensor_sub);
PG_FUNCTION_INFO_V1(tensor_mul);
PG_FUNCTION_INFO_V1(tensor_mul_int4);
PG_FUNCTION_INFO_V1(tensor_mul_int8);
PG_FUNCTION_INFO_V1(int4_mul_tensor);
PG_FUNCTION_INFO_V1(int8_mul_tensor);
PG_FUNCTION_INFO_V1(tensor_mul_float8);
PG_FUNCTION_INFO_V1(float8_mul_tensor);
PG_FUNCTION_INFO_V1(tensor_div_float8);
PG_FUNCTION_INFO_V1(tensor_l2_normalize);

static void
ReportIntegerOverflow(const char *op, int dtype)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s result out of range for dtype %s", op, TensorDtypeName(dtype)),
			 errhint("Convert the operands to a wider dtype, such as ::tensor(float64).")));
}

static Tensor *
Binary(Tensor *a, Tensor *b, DtxEwOp op, const char *opname)
{
	int64		adims[TENSOR_MAX_NDIM],
				bdims[TENSOR_MAX_NDIM];
	DtxBroadcast bc;
	ShapeOp		sop = {opname, "broadcast",
		"Aligned at the last dimension, each pair of dimensions must be equal or contain a 1, as in NumPy.",
	NULL};
	Tensor	   *r;

	CheckSameDtype(opname, a, b);
	TensorDims64(a, adims);
	TensorDims64(b, bdims);
	CheckShapeCode(dtx_broadcast_plan(a->ndim, adims, b->ndim, bdims,
									  MaxAllocSize / TensorElemSize(a), &bc),
				   &sop, a, b, NULL);
	r = InitTensor(a->dtype, bc.ndim, bc.dims);
	for (int64 i = 0; i < bc.numel; i += TENSOR_CHUNK_ELEMS)
	{
		DtxStatus	st;

		CHECK_FOR_INTERRUPTS();
		st = dtx_ew_binary(op, a->dtype, &bc, TensorData(a), TensorData(b), TensorData(r),
						   i, Min(TENSOR_CHUNK_ELEMS, bc.numel - i));
		if (st == DTX_ERR_OVERFLOW)
			ReportIntegerOverflow(opname, a->dtype);
		else if (st != DTX_OK)
			elog(ERROR, "dotext: %s kernel failed with status %d", opname, (int) st);
	}
	return r;
}

Datum
tensor_add(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(Binary(PG_GETARG_TENSOR_P(0), PG_GETARG_TENSOR_P(1),
							  DTX_EW_ADD, "operator +"));
}

Datum
tensor_sub(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(Binary(PG_GETARG_TENSOR_P(0), PG_GETARG_TENSOR_P(1),
							  DTX_EW_SUB, "operator -"));
}

Datum
tensor_mul(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(Binary(PG_GETARG_TENSOR_P(0), PG_GETARG_TENSOR_P(1),
							  DTX_EW_MUL, "operator *"));
}

/* a copy of t's shape with another dtype */
static Tensor *
LikeShape(const Tensor *t, int dtype)
{
	int64		dims[TENSOR_MAX_NDIM];

	TensorDims64(t, dims);
	return InitTensor(dtype, t->ndim, dims);
}

/* tensor * integer keeps the dtype, as PyTorch's tensor * int */
static Tensor *
MulInt(Tensor *t, int64 s)
{
	Tensor	   *r = LikeShape(t, t->dtype);
	int64		n = TensorNumel(t);

	for (int64 i = 0; i < n; i += TENSOR_CHUNK_ELEMS)
	{
		CHECK_FOR_INTERRUPTS();
		if (dtx_ew_mul_int(t->dtype, TensorData(t), s, TensorData(r), i,
						   Min(TENSOR_CHUNK_ELEMS, n - i)) != DTX_OK)
			ReportIntegerOverflow("operator *", t->dtype);
	}
	return r;
}

Datum
tensor_mul_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(MulInt(PG_GETARG_TENSOR_P(0), PG_GETARG_INT32(1)));
}

Datum
tensor_mul_int8(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(MulInt(PG_GETARG_TENSOR_P(0), PG_GETARG_INT64(1)));
}

Datum
int4_mul_tensor(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(MulInt(PG_GETARG_TENSOR_P(1), PG_GETARG_INT32(0)));
}

Datum
int8_mul_tensor(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(MulInt(PG_GETARG_TENSOR_P(1), PG_GETARG_INT64(0)));
}

/*
 * tensor * or / double precision: a float tensor keeps its dtype, an
 * integer one gives float32, as PyTorch promotes a tensor with a Python
 * float.  Division by zero gives inf or NaN, as there.
 */
static Tensor *
ScalarFloat(Tensor *t, double s, DtxEwOp op)
{
	int			dtype = dtx_float_result_dtype(t->dtype, true);
	Tensor	   *r = LikeShape(t, dtype);
	int64		n = TensorNumel(t);

	for (int64 i = 0; i < n; i += TENSOR_CHUNK_ELEMS)
	{
		CHECK_FOR_INTERRUPTS();
		if (dtx_ew_scalar_float(op, t->dtype, TensorData(t), s, dtype, TensorData(r), i,
								Min(TENSOR_CHUNK_ELEMS, n - i)) != DTX_OK)
			elog(ERROR, "dotext: scalar kernel failed for dtype %s", TensorDtypeName(t->dtype));
	}
	return r;
}

Datum
tensor_mul_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(ScalarFloat(PG_GETARG_TENSOR_P(0), PG_GETARG_FLOAT8(1), DTX_EW_MUL));
}

Datum
float8_mul_tensor(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(ScalarFloat(PG_GETARG_TENSOR_P(1), PG_GETARG_FLOAT8(0), DTX_EW_MUL));
}

Datum
tensor_div_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(ScalarFloat(PG_GETARG_TENSOR_P(0), PG_GETARG_FLOAT8(1), DTX_EW_DIV));
}

/*
 * Each row of the last axis divided by its L2 norm (F.normalize(t, dim=-1)
 * without the eps: a zero row stays zero, as pgvector's l2_normalize).
 * A float dtype is kept (float16 stays float16, as F.normalize keeps
 * it); integers give float64.
 */
Datum
tensor_l2_normalize(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	int			dtype = dtx_float_result_dtype(t->dtype, false);
	Tensor	   *r = LikeShape(t, dtype);
	int64		n = t->ndim > 0 ? t->dims[t->ndim - 1] : 1;
	int64		rows = n > 0 ? TensorNumel(t) / n : 0;
	int64		step = Max(1, TENSOR_CHUNK_ELEMS / Max(n, 1));

	for (int64 r0 = 0; r0 < rows; r0 += step)
	{
		CHECK_FOR_INTERRUPTS();
		if (dtx_l2_normalize_rows(t->dtype, TensorData(t), n, dtype, TensorData(r), r0,
								  Min(step, rows - r0)) != DTX_OK)
			elog(ERROR, "dotext: l2_normalize failed for dtype %s", TensorDtypeName(t->dtype));
	}
	PG_RETURN_TENSOR_P(r);
}
