/*
 * tensor.c: allocation, shape strings, dtype checks and conversion, shared
 * by every SQL-callable function.
 */
#include "postgres.h"

#include "common/int.h"
#include "lib/stringinfo.h"
#include "utils/memutils.h"

#include "kernels.h"
#include "tensor.h"

void
TensorReportTooLarge(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("tensor is too large"),
			 errdetail("A tensor may take at most %zu bytes.", (size_t) MaxAllocSize)));
}

/* a result or input beyond 1 GB, with the shape that would not fit */
static void
ReportShapeTooLarge(int dtype, int ndim, const int64 *dims)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("tensor of shape %s and dtype %s is too large",
					ShapeString(ndim, dims), TensorDtypeName(dtype)),
			 errdetail("A tensor may take at most %zu bytes.", (size_t) MaxAllocSize)));
}

/*
 * Bytes a tensor of this dtype and shape takes, checked for overflow and
 * against MaxAllocSize (54000) before anything is allocated.
 */
Size
TensorSize(int dtype, int ndim, const int64 *dims, bool exact)
{
	uint64		numel = 1;
	uint64		size;

	if (ndim > TENSOR_MAX_NDIM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tensor rank %d exceeds the maximum of %d", ndim, TENSOR_MAX_NDIM)));
	for (int k = 0; k < ndim; k++)
	{
		if (dims[k] < 0 || dims[k] > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tensor dimension %lld is out of range", (long long) dims[k]),
					 errdetail("Dimensions lie in [0, %d].", PG_INT32_MAX)));
		if (dims[k] == 0)
			numel = 0;
	}
	/* a zero dim makes an empty tensor, however huge the other dims */
	for (int k = 0; k < ndim && numel != 0; k++)
		if (pg_mul_u64_overflow(numel, (uint64) dims[k], &numel))
			ReportShapeTooLarge(dtype, ndim, dims);
	if (pg_mul_u64_overflow(numel, dtx_elem_size(dtype), &size) || size > MaxAllocSize)
		ReportShapeTooLarge(dtype, ndim, dims);
	size = TYPEALIGN(8, size);
	if (exact && (pg_mul_u64_overflow(numel, sizeof(double), &numel) ||
				  pg_add_u64_overflow(size, numel, &size)))
		ReportShapeTooLarge(dtype, ndim, dims);
	size += TENSOR_DATA_OFFSET(ndim);
	if (size > MaxAllocSize)
		ReportShapeTooLarge(dtype, ndim, dims);
	return (Size) size;
}

/* a zeroed tensor, padding included, so equal tensors are equal bytes */
Tensor *
InitTensorExact(int dtype, int ndim, const int64 *dims, bool exact)
{
	Size		size = TensorSize(dtype, ndim, dims, exact);
	Tensor	   *t = (Tensor *) palloc0(size);

	SET_VARSIZE(t, size);
	t->ndim = (uint8) ndim;
	t->dtype = (uint8) dtype;
	t->flags = exact ? TENSOR_FLAG_EXACT : 0;
	for (int k = 0; k < ndim; k++)
		t->dims[k] = (int32) dims[k];
	return t;
}

Tensor *
InitTensor(int dtype, int ndim, const int64 *dims)
{
	return InitTensorExact(dtype, ndim, dims, false);
}

/* "(2,3)"; "()" for rank 0; "(5,)" is not used: PyTorch prints (5) as [5] */
char *
ShapeString(int ndim, const int64 *dims)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	for (int k = 0; k < ndim; k++)
		appendStringInfo(&buf, k ? ",%lld" : "%lld", (long long) dims[k]);
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

char *
TensorShapeString(const Tensor *t)
{
	int64		dims[TENSOR_MAX_NDIM];

	TensorDims64(t, dims);
	return ShapeString(t->ndim, dims);
}

const char *
TensorDtypeName(int dtype)
{
	const char *name = dtx_dtype_name(dtype);

	return name ? name : "unknown";
}

void
CheckSameDtype(const char *op, const Tensor *a, const Tensor *b)
{
	if (a->dtype != b->dtype)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s requires tensors of the same dtype, not %s and %s",
						op, TensorDtypeName(a->dtype), TensorDtypeName(b->dtype)),
				 errhint("Convert one with a cast such as ::tensor(%s).",
						 TensorDtypeName(a->dtype))));
}

int
DtypeFromTypmod(int32 typmod)
{
	return typmod >= 0 ? (int) typmod : DTX_INVALID;
}

static void
ReportConvertRange(const Tensor *t, int dtype, int64 bad)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value out of range for dtype %s", TensorDtypeName(dtype)),
			 errdetail("Element %lld of the %s tensor cannot be represented as %s.",
					   (long long) bad, TensorDtypeName(t->dtype),
					   TensorDtypeName(dtype))));
}

/*
 * Tensor.to(dtype).  A tensor holding the exact digits of its text (see
 * tensor.h) converts from those, so no digit is lost on the way to float64;
 * to float32 it keeps its float32 data (strtof's single rounding).  The
 * result never has a trailer.  Returns t itself when nothing changes.
 */
Tensor *
TensorConvert(const Tensor *t, int dtype)
{
	const double *exact = TensorExact(t);
	int64		dims[TENSOR_MAX_NDIM] = {0};
	int64		bad = -1;
	Tensor	   *r;
	DtxStatus	st;

	if (t->dtype == dtype && exact == NULL)
		return (Tensor *) t;
	TensorDims64(t, dims);
	r = InitTensor(dtype, t->ndim, dims);
	if (exact != NULL && dtype != DTX_FLOAT32)
		st = dtx_convert_from_f64(exact, dtype, TensorData(r), TensorNumel(t), &bad);
	else
		st = dtx_convert(t->dtype, TensorData(t), dtype, TensorData(r),
						 TensorNumel(t), &bad);
	if (st == DTX_ERR_RANGE)
		ReportConvertRange(t, dtype, bad);
	else if (st != DTX_OK)
		elog(ERROR, "dotext: conversion from %s to %s failed (status %d)",
			 TensorDtypeName(t->dtype), TensorDtypeName(dtype), (int) st);
	return r;
}
