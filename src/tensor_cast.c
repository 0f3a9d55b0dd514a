/*
 * tensor_cast.c: casts between tensor and real[], double precision[],
 * integer[] and bigint[].  An array keeps its shape (lower bounds are
 * dropped) and gives its element type's dtype; a tensor converts to the
 * array's element type as Tensor.to() does.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "miscadmin.h"

#include "kernels.h"
#include "shape.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(array_to_tensor);
PG_FUNCTION_INFO_V1(tensor_to_float4_array);
PG_FUNCTION_INFO_V1(tensor_to_float8_array);
PG_FUNCTION_INFO_V1(tensor_to_int4_array);
PG_FUNCTION_INFO_V1(tensor_to_int8_array);

static int
DtypeOfElemType(Oid elemtype)
{
	switch (elemtype)
	{
		case FLOAT4OID:
			return DTX_FLOAT32;
		case FLOAT8OID:
			return DTX_FLOAT64;
		case INT4OID:
			return DTX_INT32;
		case INT8OID:
			return DTX_INT64;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("cannot cast an array of %s to tensor", format_type_be(elemtype))));
	}
	return DTX_INVALID;			/* keep compiler quiet */
}

/*
 * The shape of an array that becomes a tensor, and its rank: no NULL
 * element (22004), rank at most 16 (54000), and '{}' (which PostgreSQL
 * gives no dims) is shape (0), as PyTorch's [].
 */
static int
ArrayShape(ArrayType *arr, int64 *dims)
{
	int			ndim = ARR_NDIM(arr);

	if (ARR_HASNULL(arr) && array_contains_nulls(arr))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("array must not contain nulls"),
				 errdetail("A tensor has no NULL elements.")));
	if (ndim > TENSOR_MAX_NDIM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tensor rank %d exceeds the maximum of %d", ndim, TENSOR_MAX_NDIM)));
	if (ndim == 0)
	{
		dims[0] = 0;
		return 1;
	}
	for (int k = 0; k < ndim; k++)
		dims[k] = ARR_DIMS(arr)[k];
	return ndim;
}

/* one C function serves the four array types: the dtype comes from the array */
Datum
array_to_tensor(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	int32		typmod = PG_GETARG_INT32(1);
	int			dtype = DtypeOfElemType(ARR_ELEMTYPE(arr));
	int64		dims[TENSOR_MAX_NDIM];
	int			ndim = ArrayShape(arr, dims);
	Tensor	   *t = InitTensor(dtype, ndim, dims);

	/* fixed-width pass-by-value elements with no nulls lie packed */
	dtx_copy(TensorData(t), ARR_DATA_PTR(arr), TensorNumel(t) * TensorElemSize(t));
	if (typmod >= 0)
		t = TensorConvert(t, DtypeFromTypmod(typmod));
	PG_RETURN_TENSOR_P(t);
}

/*
 * A rank-0 tensor gives a one-element array; a tensor with a zero-size
 * dimension gives '{}' (PostgreSQL arrays cannot have a zero dimension).
 */
static ArrayType *
TensorToArray(Tensor *t, Oid elemtype, int dtype)
{
	Tensor	   *c = TensorConvert(t, dtype);
	int64		numel = TensorNumel(c);
	size_t		nbytes = numel * TensorElemSize(c);
	int			ndim = c->ndim == 0 ? 1 : c->ndim;
	int			dims[MAXDIM];
	int			lbs[MAXDIM];
	Size		size;
	ArrayType  *arr;

	if (numel == 0)
		return construct_empty_array(elemtype);
	if (ndim > MAXDIM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tensor rank %d exceeds the maximum array rank %d", ndim, MAXDIM)));
	for (int k = 0; k < ndim; k++)
	{
		dims[k] = c->ndim == 0 ? 1 : c->dims[k];
		lbs[k] = 1;
	}
	size = ARR_OVERHEAD_NONULLS(ndim) + nbytes;
	if (!AllocSizeIsValid(size))
		TensorReportTooLarge();
	arr = (ArrayType *) palloc0(size);
	SET_VARSIZE(arr, size);
	arr->ndim = ndim;
	arr->dataoffset = 0;
	arr->elemtype = elemtype;
	memcpy(ARR_DIMS(arr), dims, ndim * sizeof(int));
	memcpy(ARR_LBOUND(arr), lbs, ndim * sizeof(int));
	memcpy(ARR_DATA_PTR(arr), TensorData(c), nbytes);
	return arr;
}

#define TENSOR_TO_ARRAY(fn, oid, dtype) \
Datum \
fn(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_ARRAYTYPE_P(TensorToArray(PG_GETARG_TENSOR_P(0), oid, dtype)); \
}

TENSOR_TO_ARRAY(tensor_to_float4_array, FLOAT4OID, DTX_FLOAT32)
TENSOR_TO_ARRAY(tensor_to_float8_array, FLOAT8OID, DTX_FLOAT64)
TENSOR_TO_ARRAY(tensor_to_int4_array, INT4OID, DTX_INT32)
TENSOR_TO_ARRAY(tensor_to_int8_array, INT8OID, DTX_INT64)

/*
 * numeric[] (what ARRAY[1.5, 2] and psycopg2's Python lists are) to a
 * tensor of the same shape.  The dtype is what the same numbers typed as a
 * tensor literal would give: int64 when every element is written without
 * a fraction part (scale 0), else float32, each element rounded once from
 * its decimal value (float64 directly when the type modifier asks for it).
 */
PG_FUNCTION_INFO_V1(numeric_array_to_tensor);

Datum
numeric_array_to_tensor(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	int32		typmod = PG_GETARG_INT32(1);
	int64		dims[TENSOR_MAX_NDIM];
	int			ndim;
	Datum	   *elems;
	int			n;
	bool		integral = true;
	int			dtype;
	Tensor	   *t;

	ndim = ArrayShape(arr, dims);
	deconstruct_array(arr, NUMERICOID, -1, false, TYPALIGN_INT, &elems, NULL, &n);
	for (int i = 0; i < n && integral; i++)
	{
		Numeric		num = DatumGetNumeric(elems[i]);

		if ((i & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();

		integral = !numeric_is_nan(num) && !numeric_is_inf(num) &&
			DatumGetInt32(DirectFunctionCall1(numeric_scale, elems[i])) == 0;
	}
	if (integral && n > 0)
		dtype = DTX_INT64;
	else
		dtype = typmod >= 0 && DtypeFromTypmod(typmod) != DTX_FLOAT32 ? DTX_FLOAT64 : DTX_FLOAT32;
	t = InitTensor(dtype, ndim, dims);
	for (int i = 0; i < n; i++)
	{
		if ((i & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		if (dtype == DTX_INT64)
			((int64 *) TensorData(t))[i] = DatumGetInt64(DirectFunctionCall1(numeric_int8, elems[i]));
		else if (dtype == DTX_FLOAT64)
			((float8 *) TensorData(t))[i] = DatumGetFloat8(DirectFunctionCall1(numeric_float8, elems[i]));
		else
			((float4 *) TensorData(t))[i] = DatumGetFloat4(DirectFunctionCall1(numeric_float4, elems[i]));
	}
	if (typmod >= 0)
		t = TensorConvert(t, DtypeFromTypmod(typmod));
	PG_RETURN_TENSOR_P(t);
}
