/*
 * tensor_sum.c: the sum(tensor) and avg(tensor) aggregates, element-wise
 * over same-shaped tensors, as pgvector's sum(vector) and avg(vector).
 *
 * The state lives in the aggregate's memory context and is updated in
 * place (no copy per row).  It accumulates in double, except for sum of
 * integers, which is exact in int64 (PyTorch's and PostgreSQL's sum of
 * int32 are both 64-bit).  Partial states combine, and serialize to bytea
 * for parallel workers.  No rows, or only NULLs: NULL, as pgvector.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "elementwise.h"
#include "shape.h"
#include "tensor_check.h"

PG_FUNCTION_INFO_V1(tensor_sum_transfn);
PG_FUNCTION_INFO_V1(tensor_avg_transfn);
PG_FUNCTION_INFO_V1(tensor_accum_combine);
PG_FUNCTION_INFO_V1(tensor_accum_serialize);
PG_FUNCTION_INFO_V1(tensor_accum_deserialize);
PG_FUNCTION_INFO_V1(tensor_sum_finalfn);
PG_FUNCTION_INFO_V1(tensor_avg_finalfn);

typedef struct TensorAccum
{
	int64		count;			/* rows added */
	int32		dtype;			/* of the inputs */
	int32		is_avg;			/* avg, else sum */
	int32		exact;			/* int64 accumulators (sum of integers), else double */
	int32		ndim;
	int64		dims[TENSOR_MAX_NDIM];
	int64		numel;
	void	   *acc;			/* numel int64 or double */
} TensorAccum;

static const char *
AccumName(const TensorAccum *st)
{
	return st->is_avg ? "avg" : "sum";
}

static MemoryContext
AggContext(FunctionCallInfo fcinfo)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "tensor aggregate support function called in non-aggregate context");
	return ctx;
}

/* a zeroed state for this dtype and shape, 54000 if it cannot exist */
static TensorAccum *
NewAccum(MemoryContext ctx, int dtype, bool is_avg, int ndim, const int64 *dims)
{
	TensorAccum *st = MemoryContextAllocZero(ctx, sizeof(TensorAccum));
	/* zero-first and saturating: -1 when beyond any size */
	int64		numel = dtx_numel(ndim, dims, INT64_MAX);

	if (numel < 0 || numel > (int64) (MaxAllocSize / sizeof(double)) - 1024)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tensor of %lld elements is too large to aggregate", (long long) numel),
				 errdetail("The sum is kept as %zu bytes per element, at most %zu bytes in all.",
						   sizeof(double), (size_t) MaxAllocSize)));
	st->dtype = dtype;
	st->is_avg = is_avg;
	st->exact = !is_avg && !dtx_dtype_is_float(dtype);
	st->ndim = ndim;
	memcpy(st->dims, dims, sizeof(int64) * ndim);
	st->numel = numel;
	st->acc = MemoryContextAllocZero(ctx, Max(numel, 1) * sizeof(double));
	return st;
}

static void
CheckLike(const TensorAccum *st, int dtype, int ndim, const int64 *dims)
{
	CheckSameDtypeCode(AccumName(st), st->dtype, dtype);
	CheckSameShapeDims(AccumName(st), st->ndim, st->dims, ndim, dims);
}

/* st->acc += values (numel elements of dtype src_dtype) */
static void
AddValues(TensorAccum *st, int src_dtype, const void *values)
{
	for (int64 i = 0; i < st->numel; i += TENSOR_CHUNK_ELEMS)
	{
		int64		count = Min(TENSOR_CHUNK_ELEMS, st->numel - i);

		CHECK_FOR_INTERRUPTS();
		if (!st->exact)
			dtx_accum_double(src_dtype, values, st->acc, i, count);
		else if (dtx_accum_int64(src_dtype, values, st->acc, i, count) != DTX_OK)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("sum result out of range for dtype int64"),
					 errhint("Convert the tensors to float64 first, such as ::tensor(float64).")));
	}
}

static Datum
Transition(FunctionCallInfo fcinfo, bool sum)
{
	MemoryContext ctx = AggContext(fcinfo);
	TensorAccum *st = PG_ARGISNULL(0) ? NULL : (TensorAccum *) PG_GETARG_POINTER(0);
	Tensor	   *t;
	int64		dims[TENSOR_MAX_NDIM];

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	t = PG_GETARG_TENSOR_P(1);
	TensorDims64(t, dims);
	if (st == NULL)
		st = NewAccum(ctx, t->dtype, !sum, t->ndim, dims);
	else
		CheckLike(st, t->dtype, t->ndim, dims);
	AddValues(st, t->dtype, TensorData(t));
	st->count++;
	PG_RETURN_POINTER(st);
}

Datum
tensor_sum_transfn(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, true);
}

Datum
tensor_avg_transfn(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, false);
}

Datum
tensor_accum_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = AggContext(fcinfo);
	TensorAccum *s1 = PG_ARGISNULL(0) ? NULL : (TensorAccum *) PG_GETARG_POINTER(0);
	TensorAccum *s2 = PG_ARGISNULL(1) ? NULL : (TensorAccum *) PG_GETARG_POINTER(1);

	if (s2 == NULL)
		PG_RETURN_POINTER(s1);
	if (s1 == NULL)
	{
		/* the result must live in the aggregate's context, not s2's */
		s1 = NewAccum(ctx, s2->dtype, s2->is_avg, s2->ndim, s2->dims);
		memcpy(s1->acc, s2->acc, s2->numel * sizeof(double));
		s1->count = s2->count;
		PG_RETURN_POINTER(s1);
	}
	CheckLike(s1, s2->dtype, s2->ndim, s2->dims);
	AddValues(s1, s1->exact ? DTX_INT64 : DTX_FLOAT64, s2->acc);
	s1->count += s2->count;
	PG_RETURN_POINTER(s1);
}

Datum
tensor_accum_serialize(PG_FUNCTION_ARGS)
{
	TensorAccum *st = (TensorAccum *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	AggContext(fcinfo);
	pq_begintypsend(&buf);
	pq_sendint64(&buf, st->count);
	pq_sendint32(&buf, st->dtype);
	pq_sendint32(&buf, st->is_avg);
	pq_sendint32(&buf, st->ndim);
	for (int k = 0; k < st->ndim; k++)
		pq_sendint64(&buf, st->dims[k]);
	/* the accumulators as bytes: the worker and leader share a machine */
	pq_sendbytes(&buf, st->acc, st->numel * sizeof(double));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
tensor_accum_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = AggContext(fcinfo);
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	int64		count;
	int			dtype,
				is_avg,
				ndim;
	int64		dims[TENSOR_MAX_NDIM];
	TensorAccum *st;

	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	count = pq_getmsgint64(&buf);
	dtype = pq_getmsgint(&buf, 4);
	is_avg = pq_getmsgint(&buf, 4);
	ndim = pq_getmsgint(&buf, 4);
	if (!dtx_dtype_supported(dtype) || ndim < 0 || ndim > TENSOR_MAX_NDIM)
		elog(ERROR, "dotext: invalid aggregate state");
	for (int k = 0; k < ndim; k++)
	{
		dims[k] = pq_getmsgint64(&buf);
		if (dims[k] < 0 || dims[k] > PG_INT32_MAX)
			elog(ERROR, "dotext: invalid aggregate state");
	}
	/* the shape's size is checked before NewAccum multiplies it out */
	TensorSize(dtype, ndim, dims);
	st = NewAccum(ctx, dtype, is_avg != 0, ndim, dims);
	st->count = count;
	pq_copymsgbytes(&buf, st->acc, st->numel * sizeof(double));
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}

static Tensor *
StateTensor(const TensorAccum *st, int dtype)
{
	return InitTensor(dtype, st->ndim, st->dims);
}

/* the double accumulators divided by divisor, as a tensor of dtype */
static Tensor *
Finish(const TensorAccum *st, int dtype, double divisor)
{
	Tensor	   *r = StateTensor(st, dtype);

	for (int64 i = 0; i < st->numel; i += TENSOR_CHUNK_ELEMS)
	{
		CHECK_FOR_INTERRUPTS();
		dtx_accum_finish(st->acc, divisor, dtype, TensorData(r), i,
						 Min(TENSOR_CHUNK_ELEMS, st->numel - i));
	}
	return r;
}

/* sum: float dtypes kept, integers as int64 */
Datum
tensor_sum_finalfn(PG_FUNCTION_ARGS)
{
	TensorAccum *st = PG_ARGISNULL(0) ? NULL : (TensorAccum *) PG_GETARG_POINTER(0);
	Tensor	   *r;

	if (st == NULL)
		PG_RETURN_NULL();
	if (st->exact)
	{
		r = StateTensor(st, DTX_INT64);
		dtx_copy(TensorData(r), st->acc, st->numel * sizeof(int64));
	}
	else
		r = Finish(st, st->dtype, 1.0);
	PG_RETURN_TENSOR_P(r);
}

/* avg: float32 stays float32; float64 and the integer dtypes give float64 */
Datum
tensor_avg_finalfn(PG_FUNCTION_ARGS)
{
	TensorAccum *st = PG_ARGISNULL(0) ? NULL : (TensorAccum *) PG_GETARG_POINTER(0);

	if (st == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TENSOR_P(Finish(st, dtx_float_result_dtype(st->dtype, false), (double) st->count));
}
