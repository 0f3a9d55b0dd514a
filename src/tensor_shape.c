/*
 * tensor_shape.c: shape(), ndim(), numel(), dtype(), reshape(), flatten(),
 * permute().  The comparison operators are in tensor_compare.c.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "shape.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(tensor_shape);
PG_FUNCTION_INFO_V1(tensor_ndim);
PG_FUNCTION_INFO_V1(tensor_numel);
PG_FUNCTION_INFO_V1(tensor_dtype);
PG_FUNCTION_INFO_V1(tensor_reshape);
PG_FUNCTION_INFO_V1(tensor_flatten);
PG_FUNCTION_INFO_V1(tensor_permute);

/*
 * The header alone: with external or uncompressed storage a slice fetch
 * reads the first TOAST chunk only, not a whole large tensor.
 */
static Tensor *
GetTensorHeader(FunctionCallInfo fcinfo, int argno)
{
	return (Tensor *) PG_DETOAST_DATUM_SLICE(PG_GETARG_DATUM(argno), 0,
											 offsetof(Tensor, dims) +
											 sizeof(int32) * TENSOR_MAX_NDIM);
}

Datum
tensor_shape(PG_FUNCTION_ARGS)
{
	Tensor	   *t = GetTensorHeader(fcinfo, 0);
	Datum		elems[TENSOR_MAX_NDIM];

	for (int k = 0; k < t->ndim; k++)
		elems[k] = Int32GetDatum(t->dims[k]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, t->ndim, INT4OID, sizeof(int32),
										  true, TYPALIGN_INT));
}

Datum
tensor_ndim(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(GetTensorHeader(fcinfo, 0)->ndim);
}

Datum
tensor_numel(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(TensorNumel(GetTensorHeader(fcinfo, 0)));
}

Datum
tensor_dtype(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(TensorDtypeName(GetTensorHeader(fcinfo, 0)->dtype)));
}

/* an integer[] argument as int64s; NULL elements are 22004 */
static int
GetIntArray(ArrayType *arr, const char *what, int64 *out)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", what)));
	deconstruct_array(arr, INT4OID, sizeof(int32), true, TYPALIGN_INT, &elems, &nulls, &n);
	if (n > TENSOR_MAX_NDIM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s has %d entries, more than the maximum rank %d",
						what, n, TENSOR_MAX_NDIM)));
	for (int k = 0; k < n; k++)
	{
		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain nulls", what)));
		out[k] = DatumGetInt32(elems[k]);
	}
	return n;
}

/* a copy of t with another shape of the same element count */
static Tensor *
WithShape(const Tensor *t, int ndim, const int64 *dims)
{
	Tensor	   *r = InitTensor(t->dtype, ndim, dims);

	dtx_copy(TensorData(r), TensorData(t), TensorNumel(t) * TensorElemSize(t));
	return r;
}

Datum
tensor_reshape(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	int64		req[TENSOR_MAX_NDIM];
	int64		dims[TENSOR_MAX_NDIM];
	int			n = GetIntArray(PG_GETARG_ARRAYTYPE_P(1), "shape", req);

	if (dtx_reshape_plan(TensorNumel(t), req, n, dims) != DTX_SHAPE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot reshape tensor of shape %s into shape %s",
						TensorShapeString(t), ShapeString(n, req)),
				 errdetail("The new shape must have %lld elements; at most one dimension may be -1, and no other may be negative.",
						   (long long) TensorNumel(t))));
	PG_RETURN_TENSOR_P(WithShape(t, n, dims));
}

Datum
tensor_flatten(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	int64		n = TensorNumel(t);

	PG_RETURN_TENSOR_P(WithShape(t, 1, &n));
}

Datum
tensor_permute(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	int64		req[TENSOR_MAX_NDIM];
	int64		dims[TENSOR_MAX_NDIM];
	int64		odims[TENSOR_MAX_NDIM];
	int			perm[TENSOR_MAX_NDIM];
	int			n = GetIntArray(PG_GETARG_ARRAYTYPE_P(1), "permutation", req);
	Tensor	   *r;

	if (dtx_perm_check(t->ndim, req, n, perm) != DTX_SHAPE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid permutation %s for tensor of shape %s",
						ShapeString(n, req), TensorShapeString(t)),
				 errdetail("A permutation names each of the %d dimensions once.", t->ndim)));
	TensorDims64(t, dims);
	for (int k = 0; k < t->ndim; k++)
		odims[k] = dims[perm[k]];
	r = InitTensor(t->dtype, t->ndim, odims);
	dtx_permute_copy(TensorElemSize(t), t->ndim, dims, perm, TensorData(t), TensorData(r));
	PG_RETURN_TENSOR_P(r);
}
