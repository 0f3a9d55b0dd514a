/*
 * tensor_agg.c: the aggregates topk and stack.
 *
 * topk(emb, id, queries, k): an aggregate that scores every row against Q
 * query vectors (a (Q,D) tensor) and returns the ids of the k best rows for
 * each query, best first, as a (Q,k) bigint[].  Rows are buffered into
 * chunks and each chunk is scored with one matrix product (which only
 * filters: the scores kept are the exact ones of <#>, see kern_rank.c); a row that is
 * itself a (B,D) batch of embeddings (a stored batch, ids id .. id+B-1) is
 * scored in place, without a copy.
 *
 * stack(t): an aggregate that stacks same-shaped tensors into one of rank
 * k+1, the way to build a table of stored batches from a per-row one.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "heap_prefetch.h"
#include "kernels.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(tensor_topk_transfn);
PG_FUNCTION_INFO_V1(tensor_topk_finalfn);
PG_FUNCTION_INFO_V1(tensor_stack_transfn);
PG_FUNCTION_INFO_V1(tensor_stack_finalfn);

/* rows scored per matrix product: about 4 MB of float32 */
#define TOPK_CHUNK_BYTES	(4 * 1024 * 1024)

typedef struct TopkState
{
	int64		k;
	int64		nq;
	int64		d;
	float	   *queries;		/* nq x d */
	float	   *chunk;			/* cap x d buffered rows */
	int64	   *chunk_ids;
	int64		nchunk;
	int64		cap;
	float	   *scores;			/* nq x cap */
	DtxTopK    *heaps;			/* one per query */
	int64		nrows;			/* rows seen */
} TopkState;

/* scoring runs sgemm: rows and queries are float32 */
static void
CheckFloat32(const char *what, const Tensor *t)
{
	if (t->dtype != DTX_FLOAT32)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("topk requires float32 %s, not %s", what, TensorDtypeName(t->dtype)),
				 errhint("Convert the embeddings and the queries with ::tensor(float32).")));
}

static TopkState *
TopkInit(MemoryContext ctx, Tensor *q, int32 k)
{
	TopkState  *st;
	MemoryContext old;
	int64		nq,
				d;

	if (k < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("topk needs k >= 1, not %d", k)));
	if (q->ndim != 1 && q->ndim != 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("topk queries must be a (D) or (Q,D) tensor, not shape %s",
						TensorShapeString(q))));
	nq = q->ndim == 2 ? q->dims[0] : 1;
	d = q->dims[q->ndim - 1];
	if (nq < 1 || d < 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("topk queries of shape %s hold no vector", TensorShapeString(q))));
	/* heaps and score buffers: nq * k and nq * cap entries, checked below */
	if ((uint64) nq * (uint64) k > MaxAllocSize / (sizeof(double) + sizeof(int64)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("topk with %lld queries and k = %d needs too much memory",
						(long long) nq, k)));

	old = MemoryContextSwitchTo(ctx);
	st = palloc0(sizeof(TopkState));
	st->k = k;
	st->nq = nq;
	st->d = d;
	st->queries = palloc(nq * d * sizeof(float));
	memcpy(st->queries, TensorData(q), nq * d * sizeof(float));
	st->cap = Max(16, TOPK_CHUNK_BYTES / (d * (int64) sizeof(float)));
	st->chunk = palloc_extended(st->cap * d * sizeof(float), MCXT_ALLOC_HUGE);
	st->chunk_ids = palloc(st->cap * sizeof(int64));
	if ((uint64) nq * st->cap > MaxAllocHugeSize / sizeof(float))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("topk of %lld queries needs too much memory", (long long) nq)));
	st->scores = palloc_extended(nq * st->cap * sizeof(float), MCXT_ALLOC_HUGE);
	st->heaps = palloc(nq * sizeof(DtxTopK));
	for (int64 i = 0; i < nq; i++)
		dtx_topk_init(&st->heaps[i], k, palloc(k * sizeof(double)),
					  palloc(k * sizeof(int64)));
	MemoryContextSwitchTo(old);
	return st;
}

/* score n rows (contiguous float32, n x d) with ids first_id.. or ids[] */
static void
TopkScore(TopkState *st, const float *rows, int64 n, const int64 *ids, int64 first_id)
{
	for (int64 r0 = 0; r0 < n; r0 += st->cap)
	{
		int64		m = Min(st->cap, n - r0);
		DtxStatus	s;

		CHECK_FOR_INTERRUPTS();
		s = dtx_topk_scan_f32(rows + r0 * st->d, m, ids ? ids + r0 : NULL, first_id + r0,
							  st->queries, st->nq, st->d, st->scores, st->heaps);
		if (s != DTX_OK)
			elog(ERROR, "dotext: ranking kernel failed with status %d", (int) s);
	}
}

static void
TopkFlush(TopkState *st)
{
	if (st->nchunk > 0)
		TopkScore(st, st->chunk, st->nchunk, st->chunk_ids, 0);
	st->nchunk = 0;
}

Datum
tensor_topk_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	TopkState  *st = PG_ARGISNULL(0) ? NULL : (TopkState *) PG_GETARG_POINTER(0);
	Tensor	   *emb;
	int64		id,
				nrows;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "topk transition function called in non-aggregate context");
	/* rows with a NULL embedding or id are skipped, as aggregates skip NULLs */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	if (st == NULL)
	{
		Tensor	   *q;

		if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("topk queries and k must not be NULL")));
		q = PG_GETARG_TENSOR_P(3);
		CheckFloat32("queries", q);
		st = TopkInit(aggctx, q, PG_GETARG_INT32(4));
	}
	emb = PG_GETARG_TENSOR_P(1);
	PrefetchNextHeapRow(emb);
	id = PG_GETARG_INT64(2);
	CheckFloat32("embeddings", emb);
	if ((emb->ndim != 1 && emb->ndim != 2) || emb->dims[emb->ndim - 1] != st->d)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("topk cannot score a row of shape %s against queries of length %lld",
						TensorShapeString(emb), (long long) st->d),
				 errhint("Each row must be a (D) vector or a (B,D) batch of vectors.")));
	nrows = emb->ndim == 2 ? emb->dims[0] : 1;
	if (nrows >= st->cap / 2 || st->nq < DTX_TOPK_SGEMM_MIN_QUERIES)
	{
		/*
		 * A large stored batch, or few queries (exact dots, no sgemm to
		 * feed): score it in place, as a copy would only read it twice.
		 */
		TopkFlush(st);
		TopkScore(st, TensorData(emb), nrows, NULL, id);
	}
	else
	{
		if (st->nchunk + nrows > st->cap)
			TopkFlush(st);
		memcpy(st->chunk + st->nchunk * st->d, TensorData(emb), nrows * st->d * sizeof(float));
		for (int64 i = 0; i < nrows; i++)
			st->chunk_ids[st->nchunk + i] = id + i;
		st->nchunk += nrows;
	}
	st->nrows += nrows;
	PG_RETURN_POINTER(st);
}

/* ids of the best rows per query, best first: a (Q, min(k, rows)) bigint[] */
Datum
tensor_topk_finalfn(PG_FUNCTION_ARGS)
{
	TopkState  *st;
	int64		kk;
	Datum	   *elems;
	int			dims[2],
				lbs[2] = {1, 1};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (TopkState *) PG_GETARG_POINTER(0);
	TopkFlush(st);
	kk = Min(st->k, st->nrows);
	if (kk == 0)
		PG_RETURN_NULL();
	elems = palloc(st->nq * kk * sizeof(Datum));
	for (int64 qi = 0; qi < st->nq; qi++)
	{
		dtx_topk_sorted(&st->heaps[qi]);
		for (int64 j = 0; j < kk; j++)
			elems[qi * kk + j] = Int64GetDatum(st->heaps[qi].id[j]);
	}
	dims[0] = st->nq;
	dims[1] = kk;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, NULL, 2, dims, lbs, INT8OID,
											 sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* stack: one growing buffer of the tensors' data */
typedef struct StackState
{
	Tensor	   *first;			/* a copy of the first tensor's header */
	char	   *data;
	Size		used;
	Size		alloc;
	int64		count;
} StackState;

Datum
tensor_stack_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx,
				old;
	StackState *st = PG_ARGISNULL(0) ? NULL : (StackState *) PG_GETARG_POINTER(0);
	Tensor	   *t;
	Size		bytes;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "stack transition function called in non-aggregate context");
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	t = PG_GETARG_TENSOR_P(1);
	bytes = TensorNumel(t) * TensorElemSize(t);
	old = MemoryContextSwitchTo(aggctx);
	if (st == NULL)
	{
		if (t->ndim >= TENSOR_MAX_NDIM)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("stacking tensors of rank %d would exceed the maximum rank %d",
							t->ndim, TENSOR_MAX_NDIM)));
		st = palloc0(sizeof(StackState));
		st->first = palloc(TENSOR_DATA_OFFSET(t->ndim));
		memcpy(st->first, t, TENSOR_DATA_OFFSET(t->ndim));
		st->alloc = Max(bytes * 16, 1024);
		st->data = palloc_extended(st->alloc, MCXT_ALLOC_HUGE);
	}
	else
	{
		if (t->dtype != st->first->dtype)
			CheckSameDtype("stack", st->first, t);
		if (t->ndim != st->first->ndim ||
			memcmp(t->dims, st->first->dims, sizeof(int32) * t->ndim) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("stack requires tensors of one shape, not %s and %s",
							TensorShapeString(st->first), TensorShapeString(t))));
	}
	if (st->used + bytes > MaxAllocSize - TENSOR_DATA_OFFSET(TENSOR_MAX_NDIM))
		TensorReportTooLarge();
	if (st->used + bytes > st->alloc)
	{
		st->alloc = Min(Max(st->alloc * 2, st->used + bytes), MaxAllocSize);
		st->data = repalloc_huge(st->data, st->alloc);
	}
	memcpy(st->data + st->used, TensorData(t), bytes);
	st->used += bytes;
	st->count++;
	MemoryContextSwitchTo(old);
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
	memcpy(TensorData(r), st->data, st->used);
	PG_RETURN_TENSOR_P(r);
}
