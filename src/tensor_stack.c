/*
 * tensor_stack.c: stack(t), an aggregate that stacks same-shaped tensors
 * into one of rank k+1, the way to build a table of stored batches from a
 * per-row one.
 *
 * It has combine, serialize and deserialize functions, so a parallel plan
 * splits the rows between partial aggregates; they concatenate, in no
 * defined order, as an aggregate without ORDER BY has none anyway.
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "kernels.h"
#include "shape.h"
#include "tensor_check.h"

PG_FUNCTION_INFO_V1(tensor_stack_transfn);
PG_FUNCTION_INFO_V1(tensor_stack_finalfn);
PG_FUNCTION_INFO_V1(tensor_stack_combinefn);
PG_FUNCTION_INFO_V1(tensor_stack_serialfn);
PG_FUNCTION_INFO_V1(tensor_stack_deserialfn);

/*
 * stack: one growing buffer of the tensors' data.  It grows by half, so the
 * buffer is at most 1.5x the data and a growth step holds 2.5x for a moment;
 * the result is one more copy.  No more than the result's 1 GB limit is ever
 * reserved: an input too large for the result is 54000 before any growth.
 */
typedef struct StackState
{
	Tensor	   *first;			/* a copy of the first tensor's header */
	char	   *data;
	Size		used;
	Size		alloc;
	int64		count;
} StackState;

/* room for the result's header and the serialized state's */
#define STACK_MAX_DATA	(MaxAllocSize - 256)

static void
StackReportTooLarge(const StackState *st, int64 count)
{
	int64		dims[TENSOR_MAX_NDIM];

	dims[0] = count;
	for (int k = 0; k < st->first->ndim; k++)
		dims[k + 1] = st->first->dims[k];
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("stack result of shape %s is too large", ShapeString(st->first->ndim + 1, dims)),
			 errdetail("A tensor may take at most %zu bytes.", (size_t) MaxAllocSize)));
}

static StackState *
StackNew(MemoryContext ctx, const Tensor *t)
{
	StackState *st;

	if (t->ndim >= TENSOR_MAX_NDIM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("stacking tensors of rank %d would exceed the maximum rank %d",
						t->ndim, TENSOR_MAX_NDIM)));
	st = MemoryContextAllocZero(ctx, sizeof(StackState));
	st->first = MemoryContextAlloc(ctx, TENSOR_DATA_OFFSET(t->ndim));
	memcpy(st->first, t, TENSOR_DATA_OFFSET(t->ndim));
	st->first->flags = 0;
	return st;
}

static void
StackCheckSame(const StackState *st, const Tensor *t)
{
	CheckSameDtype("stack", st->first, t);
	CheckSameShape("stack", st->first, t);
}

/* append count tensors of data (bytes in all), growing the buffer if needed */
static void
StackAppend(StackState *st, const void *data, Size bytes, int64 count)
{
	/* both counts are at most PG_INT32_MAX: no overflow */
	int64		newcount = st->count + count;

	if (newcount > PG_INT32_MAX || bytes > STACK_MAX_DATA - st->used)
		StackReportTooLarge(st, newcount);
	if (st->used + bytes > st->alloc)
	{
		Size		want = Max(st->alloc + st->alloc / 2, st->used + bytes);

		want = Min(Max(want, 1024), STACK_MAX_DATA);
		if (st->data == NULL)
			st->data = MemoryContextAlloc(GetMemoryChunkContext(st), want);
		else
			st->data = repalloc(st->data, want);
		st->alloc = want;
	}
	if (bytes > 0)
		memcpy(st->data + st->used, data, bytes);
	st->used += bytes;
	st->count = newcount;
}

Datum
tensor_stack_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	StackState *st = PG_ARGISNULL(0) ? NULL : (StackState *) PG_GETARG_POINTER(0);
	Tensor	   *t;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "stack transition function called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	t = PG_GETARG_TENSOR_P(1);
	if (st == NULL)
		st = StackNew(aggctx, t);
	else
		StackCheckSame(st, t);
	StackAppend(st, TensorData(t), TensorNumel(t) * TensorElemSize(t), 1);
	PG_RETURN_POINTER(st);
}

Datum
tensor_stack_finalfn(PG_FUNCTION_ARGS)
{
	StackState *st;
	int64		dims[TENSOR_MAX_NDIM];
	Tensor	   *r;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (StackState *) PG_GETARG_POINTER(0);
	dims[0] = st->count;
	for (int k = 0; k < st->first->ndim; k++)
		dims[k + 1] = st->first->dims[k];
	r = InitTensor(st->first->dtype, st->first->ndim + 1, dims);
	if (st->used > 0)
		dtx_copy(TensorData(r), st->data, st->used);
	PG_RETURN_TENSOR_P(r);
}

Datum
tensor_stack_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	StackState *s1 = PG_ARGISNULL(0) ? NULL : (StackState *) PG_GETARG_POINTER(0);
	StackState *s2 = PG_ARGISNULL(1) ? NULL : (StackState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "stack combine function called in non-aggregate context");
	if (s2 == NULL)
	{
		if (s1 == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s1);
	}
	if (s1 == NULL)
		s1 = StackNew(aggctx, s2->first);
	else
		StackCheckSame(s1, s2->first);
	StackAppend(s1, s2->data, s2->used, s2->count);
	PG_RETURN_POINTER(s1);
}

/* serialized: count, then the first tensor's header, then the data */
Datum
tensor_stack_serialfn(PG_FUNCTION_ARGS)
{
	StackState *st = (StackState *) PG_GETARG_POINTER(0);
	Size		hdr = TENSOR_DATA_OFFSET(st->first->ndim);
	Size		size = VARHDRSZ + sizeof(int64) + hdr + st->used;
	bytea	   *out;
	char	   *p;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "stack serialization function called in non-aggregate context");
	out = palloc(size);
	SET_VARSIZE(out, size);
	p = VARDATA(out);
	memcpy(p, &st->count, sizeof(int64));
	memcpy(p + sizeof(int64), st->first, hdr);
	if (st->used > 0)
		memcpy(p + sizeof(int64) + hdr, st->data, st->used);
	PG_RETURN_BYTEA_P(out);
}

Datum
tensor_stack_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	Tensor		first;
	Tensor	   *t;
	int64		count;
	Size		hdr;
	StackState *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "stack deserialization function called in non-aggregate context");
	if (len < sizeof(int64) + offsetof(Tensor, dims))
		elog(ERROR, "corrupt stack state");
	memcpy(&count, p, sizeof(int64));
	memcpy(&first, p + sizeof(int64), offsetof(Tensor, dims));
	hdr = TENSOR_DATA_OFFSET(first.ndim);
	if (first.ndim >= TENSOR_MAX_NDIM || count < 1 || len < sizeof(int64) + hdr)
		elog(ERROR, "corrupt stack state");
	t = palloc(hdr);
	memcpy(t, p + sizeof(int64), hdr);
	st = StackNew(CurrentMemoryContext, t);
	StackAppend(st, p + sizeof(int64) + hdr, len - sizeof(int64) - hdr, count);
	if (st->used != (Size) (TensorNumel(t) * TensorElemSize(t) * count))
		elog(ERROR, "corrupt stack state");
	PG_RETURN_POINTER(st);
}
