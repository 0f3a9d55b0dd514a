/*
 * tensor.c: allocation, shape strings and dtype conversion, shared by every
 * SQL-callable function (the argument checks are in tensor_check.c).
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "decimal.h"
#include "distance.h"
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
void
TensorReportShapeTooLarge(int dtype, int ndim, const int64 *dims)
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
TensorSize(int dtype, int ndim, const int64 *dims)
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
			TensorReportShapeTooLarge(dtype, ndim, dims);
	if (pg_mul_u64_overflow(numel, dtx_elem_size(dtype), &size) || size > MaxAllocSize)
		TensorReportShapeTooLarge(dtype, ndim, dims);
	size += TENSOR_DATA_OFFSET(ndim);
	if (size > MaxAllocSize)
		TensorReportShapeTooLarge(dtype, ndim, dims);
	return (Size) size;
}

static Tensor *
InitTensorAlloc(int dtype, int ndim, const int64 *dims, bool zero_data)
{
	Size		size = TensorSize(dtype, ndim, dims);
	Tensor	   *t;

	if (zero_data)
		t = (Tensor *) palloc0(size);
	else
	{
		/* header and padding zeroed; the data is the caller's to write */
		t = (Tensor *) palloc(size);
		memset(t, 0, TENSOR_DATA_OFFSET(ndim));
	}

	SET_VARSIZE(t, size);
	t->ndim = (uint8) ndim;
	t->dtype = (uint8) dtype;
	t->flags = 0;
	for (int k = 0; k < ndim; k++)
		t->dims[k] = (int32) dims[k];
	return t;
}

/* a zeroed tensor, padding included, so equal tensors are equal bytes */
Tensor *
InitTensor(int dtype, int ndim, const int64 *dims)
{
	return InitTensorAlloc(dtype, ndim, dims, true);
}

/*
 * The same for a caller that writes every data byte itself (the parser,
 * binary receive): a large input is not first swept by a memset, which
 * would run without a cancel check.  The data ends the tensor (its size
 * is the offset plus numel elements, whatever their width), so there is no
 * padding after the data.
 */
Tensor *
InitTensorForWrite(int dtype, int ndim, const int64 *dims)
{
	return InitTensorAlloc(dtype, ndim, dims, false);
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

/* the descriptor of a dtype code; a code no row has is an internal error */
const DtxDtypeDesc *
DtypeDesc(int dtype)
{
	const DtxDtypeDesc *d = dtx_dtype(dtype);

	if (d == NULL)
		elog(ERROR, "unknown dtype code %d", dtype);
	return d;
}

/* every dtype with its aliases, "float32 (float, float4, real), ...", for hints */
char *
DtypeNameList(void)
{
	char		buf[512];

	dtx_dtype_list(buf, sizeof(buf));
	return pstrdup(buf);
}

/* "1 float32, 2 float64, ...": the codes of the modifier and the binary form */
char *
DtypeCodeList(void)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int k = 0; dtx_dtypes[k]; k++)
		appendStringInfo(&buf, "%s%d %s", k ? ", " : "", dtx_dtypes[k]->code,
						 dtx_dtypes[k]->name);
	return buf.data;
}

/*
 * "float16 holds finite values up to 65504 in magnitude.": the hint of a
 * 22003 range error.  A float dtype's largest finite value is found from
 * its descriptor's store (the largest double it accepts, stored and
 * printed as the dtype prints), an integer dtype's bounds from its size.
 */
char *
DtypeRangeHint(int dtype)
{
	const DtxDtypeDesc *d = DtypeDesc(dtype);
	uint64		lo,
				hi;
	double		v;
	char		buf[DTX_ELEM_TEXT_MAX + 8];
	uint64		elem = 0;

	if (!d->is_float)
	{
		uint64		max = ((uint64) 1 << (8 * d->size - 1)) - 1;

		return psprintf("%s holds integers from %lld to %llu (not NaN or infinities).", d->name,
						-(long long) max - 1, (unsigned long long) max);
	}
	/* positive doubles order as their bits: bisect on the bits */
	v = 1.0;
	memcpy(&lo, &v, 8);
	v = DBL_MAX;
	memcpy(&hi, &v, 8);
	if (!d->store(DBL_MAX, &elem, 0))
	{
		while (hi - lo > 1)
		{
			uint64		mid = lo + (hi - lo) / 2;

			memcpy(&v, &mid, 8);
			if (d->store(v, &elem, 0))
				lo = mid;
			else
				hi = mid;
		}
		hi = lo;
	}
	memcpy(&v, &hi, 8);
	d->store(v, &elem, 0);
	*d->write_row(buf, &elem, 1) = '\0';
	if (strcmp(buf + strlen(buf) - 2, ".0") == 0)
		buf[strlen(buf) - 2] = '\0';	/* "65504", not "65504.0" */
	return psprintf("%s holds finite values up to %s in magnitude.", d->name, buf);
}

/*
 * The dtype a type modifier names, DTX_INVALID for none (-1).  The
 * length-coercion functions are callable from SQL with any integer, so a
 * modifier tensor_typmod_in could not have made is 22023, not a crash.
 */
int
DtypeFromTypmod(int32 typmod)
{
	if (typmod < 0)
		return DTX_INVALID;
	if (!dtx_dtype_supported(typmod))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid type modifier %d for type tensor", typmod),
				 errhint("The modifier is a dtype code: %s.", DtypeCodeList())));
	return (int) typmod;
}

static void
ReportConvertRange(const Tensor *t, int dtype, int64 bad)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value out of range for dtype %s", TensorDtypeName(dtype)),
			 errdetail("Element %lld of the %s tensor cannot be represented as %s.",
					   (long long) bad, TensorDtypeName(t->dtype),
					   TensorDtypeName(dtype)),
			 errhint("%s", DtypeRangeHint(dtype))));
}

/* elements converted between cancel checks: about a millisecond of work */
#define CONVERT_CHUNK	((int64) 1 << 16)

/*
 * Tensor.to(dtype).  float32 to float64 goes through each value's shortest
 * round-trip decimal (the digits text output prints), so '[0.1]' read as
 * float32 and converted gives the double nearest 0.1, whichever path it
 * took; every other conversion is dtx_convert's (float16 and bfloat16
 * widen exactly: they hold so few digits that nobody types more than
 * they keep, and PyTorch widens them exactly).  The result never carries
 * the legacy trailer (see tensor.h).  Returns t itself when nothing changes.
 */
Tensor *
TensorConvert(const Tensor *t, int dtype)
{
	int64		dims[TENSOR_MAX_NDIM] = {0};
	int64		numel = TensorNumel(t);
	size_t		src_es = TensorElemSize(t),
				dst_es = dtx_elem_size(dtype);
	Tensor	   *r;

	if (t->dtype == dtype && t->flags == 0)
		return (Tensor *) t;
	TensorDims64(t, dims);
	r = InitTensor(dtype, t->ndim, dims);
	for (int64 i0 = 0; i0 < numel; i0 += CONVERT_CHUNK)
	{
		int64		n = Min(CONVERT_CHUNK, numel - i0);
		const char *src = (const char *) TensorData(t) + i0 * src_es;
		char	   *dst = (char *) TensorData(r) + i0 * dst_es;
		int64		bad = -1;
		DtxStatus	st = DTX_OK;

		CHECK_FOR_INTERRUPTS();
		if (t->dtype == DTX_FLOAT32 && dtype == DTX_FLOAT64)
			dtx_f32_to_f64_shortest((const float *) src, (double *) dst, n);
		else
			st = dtx_convert(t->dtype, src, dtype, dst, n, &bad);
		if (st == DTX_ERR_RANGE)
			ReportConvertRange(t, dtype, i0 + bad);
		else if (st != DTX_OK)
			elog(ERROR, "dotext: conversion from %s to %s failed (status %d)",
				 TensorDtypeName(t->dtype), TensorDtypeName(dtype), (int) st);
	}
	return r;
}

/* element i of an integer tensor, exactly */
static long long
IntElement(const Tensor *t, int64 i)
{
	switch (t->dtype)
	{
		case DTX_INT32:
			return ((const int32 *) TensorData(t))[i];
		case DTX_INT64:
			return ((const int64 *) TensorData(t))[i];
	}
	elog(ERROR, "dtype code %d is no integer dtype", t->dtype);
	return 0;					/* keep compiler quiet */
}

/*
 * k such that a float dtype holds every integer up to 2^k (24 for
 * float32, 11 for float16), asked of its descriptor: the first 2^k + 1
 * that its store rounds.
 */
static int
ExactIntegerBits(int dtype)
{
	const DtxDtypeDesc *d = DtypeDesc(dtype);

	for (int k = 1; k < 64; k++)
	{
		uint64		elem = 0;

		if (!d->store(ldexp(1, k) + 1, &elem, 0) || d->load(&elem, 0) - ldexp(1, k) != 1)
			return k;
	}
	return 64;
}

/*
 * A float32 result rounded to a half dtype as the kernels round computed
 * results (kern_half.h): to nearest even, an infinity beyond the range, no
 * 22003 (that is for conversions the user asks for).
 */
Tensor *
TensorRoundFloat32(const Tensor *t, int dtype)
{
	const DtxDtypeDesc *d = DtypeDesc(dtype);
	int64		dims[TENSOR_MAX_NDIM];
	int64		n = TensorNumel(t);
	Tensor	   *r;

	Assert(t->dtype == DTX_FLOAT32 && d->from_f32 != NULL);
	TensorDims64(t, dims);
	r = InitTensor(dtype, t->ndim, dims);
	for (int64 i = 0; i < n; i += TENSOR_CHUNK_ELEMS)
	{
		CHECK_FOR_INTERRUPTS();
		d->from_f32((const float *) TensorData(t) + i, (char *) TensorData(r) + i * d->size,
					Min(TENSOR_CHUNK_ELEMS, n - i));
	}
	return r;
}

/*
 * An integer tensor as a float dtype, exactly or 22003 (beyond 2^24 for
 * float32, 2^53 for float64): how the ranking operators and the flat index
 * take a pgvector-style query such as '[1,0,0]'.  A half tensor asked for
 * as float32 widens (exactly, as the ranking operators compute it); any
 * other float tensor comes back as it is.  name is what the user wrote (an
 * operator or a function).
 */
Tensor *
TensorToFloatExact(Tensor *t, int dtype, const char *name)
{
	int64		dims[TENSOR_MAX_NDIM];
	int64		bad = -1;
	Tensor	   *r;

	DtxStatus	st;

	if (dtx_dtype_is_half(t->dtype) && dtype == DTX_FLOAT32)
		return TensorConvert(t, DTX_FLOAT32);
	if (dtx_dtype_is_float(t->dtype))
		return t;
	TensorDims64(t, dims);
	r = InitTensor(dtype, t->ndim, dims);
	st = dtx_int_to_float_exact(t->dtype, TensorData(t), dtype, TensorData(r),
								TensorNumel(t), &bad);
	if (st == DTX_ERR_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s cannot convert the %s value %lld to %s exactly",
						name, TensorDtypeName(t->dtype), IntElement(t, bad),
						TensorDtypeName(dtype)),
				 errdetail("An integer operand is converted to the other operand's dtype, exactly only while |x| <= 2^%d.",
						   ExactIntegerBits(dtype)),
				 errhint("Write the query with a decimal point or a float dtype, such as ::tensor(%s).",
						 TensorDtypeName(dtype))));
	else if (st != DTX_OK)
		elog(ERROR, "dotext: %s cannot convert %s to %s (status %d)",
			 name, TensorDtypeName(t->dtype), TensorDtypeName(dtype), (int) st);
	return r;
}
