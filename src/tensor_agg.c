/*
 * tensor_agg.c: the ranking aggregates topk and topk_scores (stack is in
 * tensor_stack.c).
 *
 * topk(emb, id, queries, k): an aggregate that scores every row against Q
 * query vectors (a (Q,D) tensor) and returns the ids of the k best rows for
 * each query, best first, as a (Q,k) bigint[].  Rows are buffered into
 * chunks and each chunk is scored with one matrix product (which only
 * filters: the scores kept are the exact ones of <#>, see kern_rank.c); a row that is
 * itself a (B,D) batch of embeddings (a stored batch, ids id .. id+B-1) is
 * scored in place, without a copy.  topk_scores takes the same arguments and
 * returns the dot products of those rows, (Q,k) float8[]; the two share one
 * transition state when a query calls both.
 *
 * topk has combine, serialize and deserialize functions, so a parallel
 * plan (or partitionwise aggregation) splits the rows between partial
 * aggregates and merges their states: merging the heaps gives exactly the
 * serial result.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "optimizer/optimizer.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "heap_prefetch.h"
#include "kernels.h"
#include "shape.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(tensor_topk_transfn);
PG_FUNCTION_INFO_V1(tensor_topk_finalfn);
PG_FUNCTION_INFO_V1(tensor_topk_scores_finalfn);
PG_FUNCTION_INFO_V1(tensor_topk_combinefn);
PG_FUNCTION_INFO_V1(tensor_topk_serialfn);
PG_FUNCTION_INFO_V1(tensor_topk_deserialfn);

typedef struct TopkState
{
	int64		k;
	int64		nq;
	int64		d;
	float	   *queries;		/* nq x d */
	bool		check_args;		/* queries or k may change from row to row */
	bool		sorted;			/* the final function ran: heaps are sorted */
	int64		block_rows;		/* dtx_topk_blocks: rows and queries per call */
	int64		block_queries;
	float	   *chunk;			/* block_rows x d buffered rows, made on first use */
	int64	   *chunk_ids;
	int64		nchunk;
	float	   *scores;			/* block_queries x block_rows scratch */
	DtxTopK    *heaps;			/* one per query, storage in heap_scores/heap_ids */
	double	   *heap_scores;	/* nq x k */
	int64	   *heap_ids;
	int64		nrows;			/* rows seen */
} TopkState;

/*
 * Scoring runs sgemm: rows and queries are float32, or a half dtype
 * (float16, bfloat16) widened to float32 exactly as they are read, so a
 * half column ranks as its float32 copy would.
 */
static void
CheckFloat32(const char *what, const Tensor *t)
{
	const DtxDtypeDesc *d = dtx_dtype(t->dtype);

	if (d == NULL || d->compute != DTX_FLOAT32)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("topk requires float32, float16 or bfloat16 %s, not %s",
						what, TensorDtypeName(t->dtype)),
				 errhint("Convert the embeddings and the queries with ::tensor(float32).")));
}

/* n elements of t from element i0 as float32 into dst (t float32 or half) */
static void
WidenToFloat32(const Tensor *t, int64 i0, int64 n, float *dst)
{
	const DtxDtypeDesc *d = dtx_dtype(t->dtype);

	if (t->dtype == DTX_FLOAT32)
		memcpy(dst, (const float *) TensorData(t) + i0, n * sizeof(float));
	else
		d->to_f32((const char *) TensorData(t) + i0 * d->size, dst, n);
}

/* the queries as float32: t's own data, or a widened copy */
static const float *
QueriesFloat32(const Tensor *q)
{
	float	   *f;

	if (q->dtype == DTX_FLOAT32)
		return TensorData(q);
	/* half the size of the float32 copy, which TopkNew bounds next */
	f = palloc_extended(Max(TensorNumel(q), 1) * sizeof(float), MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < TensorNumel(q); i += TENSOR_CHUNK_ELEMS)
	{
		CHECK_FOR_INTERRUPTS();
		WidenToFloat32(q, i, Min(TENSOR_CHUNK_ELEMS, TensorNumel(q) - i), f + i);
	}
	return f;
}

static void
TopkCheckQueries(const Tensor *q, int32 k, int64 *nq, int64 *d)
{
	if (k < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("topk needs k >= 1, not %d", k)));
	if (q->ndim != 1 && q->ndim != 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("topk queries must be a (D) or (Q,D) tensor, not shape %s",
						TensorShapeString(q))));
	*nq = q->ndim == 2 ? q->dims[0] : 1;
	*d = q->dims[q->ndim - 1];
	if (*nq < 1 || *d < 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("topk queries of shape %s hold no vector", TensorShapeString(q))));
}

/*
 * A state with its queries and empty heaps, in ctx.  Its whole size (queries,
 * heaps, one DtxTopK per query) must fit in MaxAllocSize, so that its
 * serialized form fits in a bytea and parallel plans can always pass it:
 * checked before anything is allocated.
 */
static TopkState *
TopkNew(MemoryContext ctx, int64 k, int64 nq, int64 d, const float *queries)
{
	TopkState  *st;
	MemoryContext old;
	uint64		qbytes,
				hbytes,
				total;

	if (pg_mul_u64_overflow((uint64) nq, (uint64) d * sizeof(float), &qbytes) ||
		pg_mul_u64_overflow((uint64) nq, (uint64) k * (sizeof(double) + sizeof(int64)) + sizeof(DtxTopK), &hbytes) ||
		pg_add_u64_overflow(qbytes, hbytes, &total) ||
		total > MaxAllocSize - 64)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("topk with %lld queries of length %lld and k = %lld needs too much memory",
						(long long) nq, (long long) d, (long long) k),
				 errdetail("The queries and the k best of each may take at most %zu bytes.",
						   (size_t) MaxAllocSize)));

	old = MemoryContextSwitchTo(ctx);
	st = palloc0(sizeof(TopkState));
	st->k = k;
	st->nq = nq;
	st->d = d;
	st->queries = palloc(qbytes);
	memcpy(st->queries, queries, qbytes);
	dtx_topk_blocks(nq, d, &st->block_rows, &st->block_queries);
	st->heaps = palloc(nq * sizeof(DtxTopK));
	st->heap_scores = palloc(nq * k * sizeof(double));
	st->heap_ids = palloc(nq * k * sizeof(int64));
	for (int64 i = 0; i < nq; i++)
		dtx_topk_init(&st->heaps[i], k, st->heap_scores + i * k, st->heap_ids + i * k);
	MemoryContextSwitchTo(old);
	return st;
}

/*
 * Can the queries or k argument of this aggregate differ between the rows
 * of one group?  Not when they contain no column reference and nothing
 * volatile (constants, parameters, uncorrelated subqueries): then one check
 * at the first row is enough.  Otherwise every row is compared, which costs
 * a pass over the queries per row, but is the only way not to rank a group
 * silently by its first row's queries.
 */
static bool
TopkArgsMayChange(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);

	if (aggref == NULL || list_length(aggref->args) != 4)
		return true;
	for (int i = 2; i < 4; i++)
	{
		Node	   *arg = (Node *) ((TargetEntry *) list_nth(aggref->args, i))->expr;

		if (contain_var_clause(arg) || contain_volatile_functions(arg))
			return true;
	}
	return false;
}

static void
TopkReportArgsChanged(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("topk %s must be the same for every row of a group", what),
			 errhint("Pass the queries and k as constants or parameters, or group the rows by them.")));
}

/* score n rows (contiguous float32, n x d) with ids first_id.. or ids[] */
static void
TopkScore(TopkState *st, const float *rows, int64 n, const int64 *ids, int64 first_id)
{
	if (st->scores == NULL)
		st->scores = MemoryContextAllocHuge(GetMemoryChunkContext(st),
											st->block_queries * st->block_rows * sizeof(float));
	for (int64 r0 = 0; r0 < n; r0 += st->block_rows)
	{
		int64		m = Min(st->block_rows, n - r0);

		for (int64 q0 = 0; q0 < st->nq; q0 += st->block_queries)
		{
			DtxStatus	s;

			CHECK_FOR_INTERRUPTS();
			s = dtx_topk_scan_f32(rows + r0 * st->d, m, ids ? ids + r0 : NULL, first_id + r0,
								  st->queries + q0 * st->d, Min(st->block_queries, st->nq - q0),
								  st->d, st->scores, st->heaps + q0);
			if (s != DTX_OK)
				elog(ERROR, "dotext: ranking kernel failed with status %d", (int) s);
		}
	}
}

static void
TopkFlush(TopkState *st)
{
	if (st->nchunk > 0)
		TopkScore(st, st->chunk, st->nchunk, st->chunk_ids, 0);
	st->nchunk = 0;
}

static void
TopkAddRows(TopkState *st, int64 n)
{
	if (pg_add_s64_overflow(st->nrows, n, &st->nrows))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("topk row count out of range")));
}

Datum
tensor_topk_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	TopkState  *st = PG_ARGISNULL(0) ? NULL : (TopkState *) PG_GETARG_POINTER(0);
	Tensor	   *emb;
	int64		id,
				last_id,
				nrows;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "topk transition function called in non-aggregate context");
	/* rows with a NULL embedding or id are skipped, as aggregates skip NULLs */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("topk queries and k must not be NULL")));
	if (st == NULL)
	{
		Tensor	   *q = PG_GETARG_TENSOR_P(3);
		int64		nq,
					d;

		CheckFloat32("queries", q);
		TopkCheckQueries(q, PG_GETARG_INT32(4), &nq, &d);
		st = TopkNew(aggctx, PG_GETARG_INT32(4), nq, d, QueriesFloat32(q));
		st->check_args = TopkArgsMayChange(fcinfo);
		st->chunk = MemoryContextAllocHuge(aggctx, st->block_rows * d * sizeof(float));
		st->chunk_ids = MemoryContextAllocHuge(aggctx, st->block_rows * sizeof(int64));
	}
	else if (st->check_args)
	{
		Tensor	   *q = PG_GETARG_TENSOR_P(3);

		if (PG_GETARG_INT32(4) != st->k)
			TopkReportArgsChanged("k");
		/* a (D) and a (1,D) tensor of the same floats are the same query */
		CheckFloat32("queries", q);
		if ((q->ndim != 1 && q->ndim != 2) ||
			(q->ndim == 2 ? q->dims[0] : 1) != st->nq || q->dims[q->ndim - 1] != st->d ||
			memcmp(QueriesFloat32(q), st->queries, st->nq * st->d * sizeof(float)) != 0)
			TopkReportArgsChanged("queries");
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
	if (nrows == 0)
		PG_RETURN_POINTER(st);
	/* a batch stands for ids id .. id+B-1: all must be bigint */
	if (pg_add_s64_overflow(id, nrows - 1, &last_id))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("topk ids of a batch of %lld rows starting at %lld are out of range for type bigint",
						(long long) nrows, (long long) id)));
	if (emb->dtype != DTX_FLOAT32)
	{
		/* a half row widens into the chunk, block_rows rows at a time */
		for (int64 r0 = 0; r0 < nrows; r0 += st->block_rows)
		{
			int64		m = Min(st->block_rows, nrows - r0);

			if (st->nchunk + m > st->block_rows)
				TopkFlush(st);
			WidenToFloat32(emb, r0 * st->d, m * st->d, st->chunk + st->nchunk * st->d);
			for (int64 i = 0; i < m; i++)
				st->chunk_ids[st->nchunk + i] = id + r0 + i;
			st->nchunk += m;
		}
	}
	else if (nrows >= st->block_rows / 2 || st->nq < DTX_TOPK_SGEMM_MIN_QUERIES)
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
		if (st->nchunk + nrows > st->block_rows)
			TopkFlush(st);
		memcpy(st->chunk + st->nchunk * st->d, TensorData(emb), nrows * st->d * sizeof(float));
		for (int64 i = 0; i < nrows; i++)
			st->chunk_ids[st->nchunk + i] = id + i;
		st->nchunk += nrows;
	}
	TopkAddRows(st, nrows);
	PG_RETURN_POINTER(st);
}

/*
 * The heaps best first, once: the final functions of topk and topk_scores
 * may both run on one shared state (FINALFUNC_MODIFY = SHAREABLE).
 */
static TopkState *
TopkFinish(FunctionCallInfo fcinfo)
{
	TopkState  *st;

	if (PG_ARGISNULL(0))
		return NULL;
	st = (TopkState *) PG_GETARG_POINTER(0);
	if (!st->sorted)
	{
		TopkFlush(st);
		for (int64 qi = 0; qi < st->nq; qi++)
		{
			CHECK_FOR_INTERRUPTS();
			dtx_topk_sorted(&st->heaps[qi]);
		}
		st->sorted = true;
	}
	if (Min(st->k, st->nrows) == 0)
		return NULL;
	return st;
}

/* (Q, min(k, rows)) array of the best ids or of their scores */
static ArrayType *
TopkResult(TopkState *st, bool scores)
{
	int64		kk = Min(st->k, st->nrows);
	Datum	   *elems = palloc_extended(st->nq * kk * sizeof(Datum), MCXT_ALLOC_HUGE);
	int			dims[2],
				lbs[2] = {1, 1};

	for (int64 qi = 0; qi < st->nq; qi++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int64 j = 0; j < kk; j++)
			elems[qi * kk + j] = scores ? Float8GetDatum(st->heaps[qi].score[j])
				: Int64GetDatum(st->heaps[qi].id[j]);
	}
	dims[0] = st->nq;
	dims[1] = kk;
	return construct_md_array(elems, NULL, 2, dims, lbs, scores ? FLOAT8OID : INT8OID,
							  sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/* ids of the best rows per query, best first: a (Q, min(k, rows)) bigint[] */
Datum
tensor_topk_finalfn(PG_FUNCTION_ARGS)
{
	TopkState  *st = TopkFinish(fcinfo);

	if (st == NULL)
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(TopkResult(st, false));
}

/* their dot products with the queries, in the same order: float8[] */
Datum
tensor_topk_scores_finalfn(PG_FUNCTION_ARGS)
{
	TopkState  *st = TopkFinish(fcinfo);

	if (st == NULL)
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(TopkResult(st, true));
}

/* merge src's k best into dst, after checking both rank by the same queries */
static void
TopkMerge(TopkState *dst, TopkState *src)
{
	if (dst->k != src->k)
		TopkReportArgsChanged("k");
	if (dst->nq != src->nq || dst->d != src->d ||
		memcmp(dst->queries, src->queries, dst->nq * dst->d * sizeof(float)) != 0)
		TopkReportArgsChanged("queries");
	TopkFlush(src);
	TopkFlush(dst);
	for (int64 qi = 0; qi < dst->nq; qi++)
	{
		CHECK_FOR_INTERRUPTS();
		dtx_topk_merge(&dst->heaps[qi], &src->heaps[qi]);
	}
	TopkAddRows(dst, src->nrows);
}

Datum
tensor_topk_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	TopkState  *s1 = PG_ARGISNULL(0) ? NULL : (TopkState *) PG_GETARG_POINTER(0);
	TopkState  *s2 = PG_ARGISNULL(1) ? NULL : (TopkState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "topk combine function called in non-aggregate context");
	if (s2 == NULL)
	{
		if (s1 == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s1);
	}
	/* s2 may live in a shorter-lived context: copy it into the aggregate's */
	if (s1 == NULL)
		s1 = TopkNew(aggctx, s2->k, s2->nq, s2->d, s2->queries);
	TopkMerge(s1, s2);
	PG_RETURN_POINTER(s1);
}

/*
 * The serialized state, between the processes of one server (native byte
 * order): a header, the queries, then each query's entries (count, scores,
 * ids).  TopkNew's size check keeps it within MaxAllocSize.
 */
typedef struct TopkWire
{
	int32		vl_len_;
	int32		pad;
	int64		k;
	int64		nq;
	int64		d;
	int64		nrows;
} TopkWire;

Datum
tensor_topk_serialfn(PG_FUNCTION_ARGS)
{
	TopkState  *st = (TopkState *) PG_GETARG_POINTER(0);
	TopkWire	hdr = {0};
	Size		size = sizeof(TopkWire) + st->nq * st->d * sizeof(float);
	bytea	   *out;
	char	   *p;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "topk serialization function called in non-aggregate context");
	TopkFlush(st);
	for (int64 qi = 0; qi < st->nq; qi++)
		size += sizeof(int64) + st->heaps[qi].n * (sizeof(double) + sizeof(int64));
	if (size > MaxAllocSize)
		TensorReportTooLarge();
	out = palloc(size);
	SET_VARSIZE(&hdr, size);
	hdr.k = st->k;
	hdr.nq = st->nq;
	hdr.d = st->d;
	hdr.nrows = st->nrows;
	memcpy(out, &hdr, sizeof(hdr));
	p = (char *) out + sizeof(hdr);
	memcpy(p, st->queries, st->nq * st->d * sizeof(float));
	p += st->nq * st->d * sizeof(float);
	for (int64 qi = 0; qi < st->nq; qi++)
	{
		const DtxTopK *h = &st->heaps[qi];

		memcpy(p, &h->n, sizeof(int64));
		p += sizeof(int64);
		memcpy(p, h->score, h->n * sizeof(double));
		p += h->n * sizeof(double);
		memcpy(p, h->id, h->n * sizeof(int64));
		p += h->n * sizeof(int64);
	}
	PG_RETURN_BYTEA_P(out);
}

/* the checks guard against a corrupt state; SQL cannot pass one (internal) */
Datum
tensor_topk_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	const char *end = p + VARSIZE_ANY_EXHDR(in);
	TopkWire	hdr;
	TopkState  *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "topk deserialization function called in non-aggregate context");
	if (end - p < (ptrdiff_t) (sizeof(hdr) - VARHDRSZ))
		elog(ERROR, "corrupt topk state");
	memcpy((char *) &hdr + VARHDRSZ, p, sizeof(hdr) - VARHDRSZ);
	p += sizeof(hdr) - VARHDRSZ;
	if (hdr.k < 1 || hdr.nq < 1 || hdr.d < 1 || hdr.nrows < 0 ||
		hdr.nq > (end - p) / sizeof(float) / hdr.d)
		elog(ERROR, "corrupt topk state");
	st = TopkNew(CurrentMemoryContext, hdr.k, hdr.nq, hdr.d, (const float *) p);
	st->nrows = hdr.nrows;
	p += hdr.nq * hdr.d * sizeof(float);
	for (int64 qi = 0; qi < st->nq; qi++)
	{
		DtxTopK    *h = &st->heaps[qi];
		int64		n;

		if (end - p < (ptrdiff_t) sizeof(int64))
			elog(ERROR, "corrupt topk state");
		memcpy(&n, p, sizeof(int64));
		p += sizeof(int64);
		if (n < 0 || n > h->k || n > (end - p) / (ptrdiff_t) (sizeof(double) + sizeof(int64)))
			elog(ERROR, "corrupt topk state");
		/* the entries were a heap when serialized: copy them as they are */
		memcpy(h->score, p, n * sizeof(double));
		p += n * sizeof(double);
		memcpy(h->id, p, n * sizeof(int64));
		p += n * sizeof(int64);
		h->n = n;
	}
	if (p != end)
		elog(ERROR, "corrupt topk state");
	PG_RETURN_POINTER(st);
}
