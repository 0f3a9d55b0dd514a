/*
 * flat_search.c: flat_search(index, queries, k), many queries in one pass
 * over a flat index.
 *
 * The records are copied out of the pages a block at a time (no buffer
 * lock held while they are scored) and scored against the queries in calls
 * that dtx_topk_blocks sizes: at most ~2^25 multiply-adds and 2^20 scratch
 * scores each, with a cancel check between calls, however many queries
 * come.  For float32 <#> with DTX_TOPK_SGEMM_MIN_QUERIES queries or more a
 * call is dtx_topk_scan_f32: one sgemm that only filters, then the exact
 * double-accumulating dot of <#> for the rows that may enter a query's top
 * k (src/core/kern_rank.c); otherwise every pair is scored with the
 * operator's own kernel.
 *
 * The index holds dead rows until VACUUM, so each query keeps more than k
 * candidates; after the pass each candidate is looked up in the heap under
 * the statement's snapshot, best first, until k visible rows are found.  If
 * a query runs out of candidates the pass runs again with four times as
 * many.  So the answer is, per query, the first k rows of ORDER BY emb <op>
 * q, ctid among the rows the snapshot sees (and whose emb is not NULL).
 */
#include "postgres.h"

#include "common/int.h"

#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/index.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "flat.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(flat_search);

typedef struct FlatSearch
{
	FlatMeta	meta;
	FlatMetric	metric;
	const DtxSimd *simd;		/* the loops the operators run */
	const char *queries;		/* nq x dim, index dtype */
	int64		nq;
	int64		keep;			/* candidates kept per query */
	DtxTopK    *heaps;
	bool		sgemm;			/* float32 <#>: dtx_topk_scan_f32 */
	/* the block of rows being filled, scored when a page ends with cap rows */
	char	   *rows;			/* (cap + rows a page holds) x dim */
	int64	   *ids;
	int64		nrows;
	int64		cap;			/* rows per kernel call (dtx_topk_blocks) */
	int64		qblock;			/* queries per kernel call */
	float	   *scratch;		/* qblock x cap (sgemm path) */
} FlatSearch;

/*
 * Score the rows of the block against every query, in calls of at most
 * cap rows x qblock queries (about 2^25 multiply-adds, a few ms), with a
 * cancel check after each.  No buffer lock is held here: the records were
 * copied out of the pages.
 */
static void
FlatSearchFlush(FlatSearch *fs)
{
	Size		vbytes = (Size) fs->meta.dim * dtx_elem_size(fs->meta.dtype);

	for (int64 r0 = 0; r0 < fs->nrows; r0 += fs->cap)
	{
		int64		nr = Min(fs->cap, fs->nrows - r0);
		const char *rows = fs->rows + r0 * vbytes;

		for (int64 q0 = 0; q0 < fs->nq; q0 += fs->qblock)
		{
			int64		nq = Min(fs->qblock, fs->nq - q0);

			if (fs->sgemm)
			{
				DtxStatus	st = dtx_topk_scan_f32((const float *) rows, nr, fs->ids + r0, 0,
												   (const float *) (fs->queries + q0 * vbytes),
												   nq, fs->meta.dim, fs->scratch, fs->heaps + q0);

				if (st != DTX_OK)
					elog(ERROR, "dotext: flat_search kernel failed with status %d", (int) st);
			}
			else
				for (int64 r = 0; r < nr; r++)
					for (int64 q = q0; q < q0 + nq; q++)
						dtx_topk_push(&fs->heaps[q],
									  -FlatDistance(fs->simd, fs->metric, fs->meta.dtype, rows + r * vbytes,
													fs->queries + q * vbytes, fs->meta.dim),
									  fs->ids[r0 + r]);
			CHECK_FOR_INTERRUPTS();
		}
	}
	fs->nrows = 0;
}

static void
FlatSearchPageDone(void *arg)
{
	FlatSearch *fs = (FlatSearch *) arg;

	if (fs->nrows >= fs->cap)
		FlatSearchFlush(fs);
}

/* under the page's share lock: only copy the record into the block */
static void
FlatSearchRecord(const FlatRecordHeader *hdr, const void *vec, void *arg)
{
	FlatSearch *fs = (FlatSearch *) arg;
	Size		vbytes = (Size) fs->meta.dim * dtx_elem_size(fs->meta.dtype);

	memcpy(fs->rows + fs->nrows * vbytes, vec, vbytes);
	fs->ids[fs->nrows++] = FlatTidKey(&hdr->tid);
}

/* one pass keeping fs->keep candidates per query, each list best first */
static void
FlatSearchPass(Relation index, FlatSearch *fs)
{
	Size		n;

	fs->heaps = palloc(mul_size(fs->nq, sizeof(DtxTopK)));
	n = mul_size(fs->nq, fs->keep);
	{
		double	   *scores = palloc(mul_size(n, sizeof(double)));
		int64	   *ids = palloc(mul_size(n, sizeof(int64)));

		for (int64 q = 0; q < fs->nq; q++)
			dtx_topk_init(&fs->heaps[q], fs->keep, scores + q * fs->keep, ids + q * fs->keep);
	}
	fs->nrows = 0;
	FlatReadStream(index, &fs->meta, FlatSearchRecord, FlatSearchPageDone, fs);
	FlatSearchFlush(fs);
	for (int64 q = 0; q < fs->nq; q++)
	{
		dtx_topk_sorted(&fs->heaps[q]);
		if ((q & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
	}
}

/* the queries as nq x dim of the index's dtype (integers convert) */
static Tensor *
FlatSearchQueries(Relation index, const FlatMeta *meta, Tensor *q, int64 *nq)
{
	int32		last;

	q = TensorToFloatExact(q, meta->dtype, "flat_search");
	if (q->ndim != 1 && q->ndim != 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("flat_search requires queries of shape (D) or (Q,D), not %s",
						TensorShapeString(q))));
	last = q->dims[q->ndim - 1];
	*nq = q->ndim == 2 ? q->dims[0] : 1;
	/* no query: nothing to rank (and blocks sized by nq would divide by 0) */
	if (*nq < 1 || last < 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("flat_search queries of shape %s hold no vector",
						TensorShapeString(q))));
	FlatCheckVector(index, meta, q->dtype, 1, &last, "query");
	return q;
}

/*
 * What a pass allocates per query: its DtxTopK, keep candidates (score and
 * id) and its count of rows found.  All of it stays under MaxAllocSize.
 */
#define FLAT_SEARCH_PER_QUERY	(sizeof(DtxTopK) + sizeof(int64))
#define FLAT_SEARCH_PER_CANDIDATE	(sizeof(double) + sizeof(int64))

/* the most candidates per query that fit */
static int64
FlatSearchMaxKeep(int64 nq)
{
	return (int64) ((MaxAllocSize / nq - FLAT_SEARCH_PER_QUERY) / FLAT_SEARCH_PER_CANDIDATE);
}

static void
FlatSearchCheckMemory(const Tensor *qt, int32 k, int64 nq, int64 keep)
{
	uint64		perq,
				total;

	if (pg_mul_u64_overflow((uint64) keep, FLAT_SEARCH_PER_CANDIDATE, &perq) ||
		pg_add_u64_overflow(perq, FLAT_SEARCH_PER_QUERY, &perq) ||
		pg_mul_u64_overflow(perq, (uint64) nq, &total) ||
		total > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("flat_search cannot keep %d rows for each of the queries of shape %s",
						k, TensorShapeString(qt)),
				 errdetail("Candidates for every query must fit in %zu bytes.", MaxAllocSize),
				 errhint("Use a smaller k or fewer queries per call.")));
}

/*
 * Open the index and its table: find the table without a lock, check the
 * caller may read it (and that no row-level policy applies), then lock the
 * table before the index, as queries and amcheck do, and check that the
 * index still belongs to it.
 */
static Relation
FlatSearchOpen(Oid indexoid, Relation *heap)
{
	Oid			heapoid;
	Relation	index;
	AclResult	acl;

	if (!OidIsValid(indexoid))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("flat_search requires an index, not OID 0")));
	heapoid = IndexGetRelation(indexoid, true);
	if (!OidIsValid(heapoid))
	{
		char	   *name = get_rel_name(indexoid);

		if (name == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("index with OID %u does not exist", indexoid)));
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a flat index", name)));
	}
	acl = pg_class_aclcheck(heapoid, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, get_rel_name(heapoid));
	/* the index holds every row: it cannot apply the table's policies */
	if (check_enable_rls(heapoid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("flat_search cannot search \"%s\": row-level security is enabled for its table \"%s\"",
						get_rel_name(indexoid), get_rel_name(heapoid)),
				 errhint("Use ORDER BY emb <#> q LIMIT k, which applies the policies.")));

	*heap = table_open(heapoid, AccessShareLock);
	index = index_open(indexoid, AccessShareLock);
	/* dropped and its OID reused between the look-up and the locks */
	if (IndexGetRelation(indexoid, false) != heapoid)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("index \"%s\" changed while flat_search opened it",
						RelationGetRelationName(index))));
	if (index->rd_indam == NULL || index->rd_indam->ambuild != flatbuild)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a flat index", RelationGetRelationName(index))));
	/* a failed CREATE INDEX CONCURRENTLY may lack rows */
	if (!index->rd_index->indisvalid)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("flat_search cannot use invalid index \"%s\"",
						RelationGetRelationName(index)),
				 errhint("REINDEX it or drop it and create it again.")));
	return index;
}

Datum
flat_search(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			indexoid = PG_GETARG_OID(0);
	Tensor	   *qt = PG_GETARG_TENSOR_P(1);
	int32		k = PG_GETARG_INT32(2);
	Relation	index,
				heap;
	FlatSearch	fs = {0};
	MemoryContext passctx,
				old;
	IndexFetchTableData *fetch;
	TupleTableSlot *slot;
	Snapshot	snapshot = GetActiveSnapshot();
	int64	   *found;

	if (k < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("flat_search requires k >= 1, not %d", k)));
	InitMaterializedSRF(fcinfo, 0);
	index = FlatSearchOpen(indexoid, &heap);
	FlatReadMeta(index, &fs.meta);
	fs.metric = FlatGetMetric(index);
	dtx_simd_init();
	fs.simd = dtx_simd();
	if (fs.meta.recsize == 0)
		goto done;				/* nothing indexed yet */
	qt = FlatSearchQueries(index, &fs.meta, qt, &fs.nq);
	fs.queries = TensorData(qt);
	/* below a few queries sgemm does not pay, and rows are scored in place */
	fs.sgemm = fs.metric == FLAT_METRIC_IP && fs.meta.dtype == DTX_FLOAT32 &&
		fs.nq >= DTX_TOPK_SGEMM_MIN_QUERIES;
	/* a few more than k: the dead rows VACUUM has not removed yet */
	fs.keep = Min((int64) k + 16 + k / 2, (int64) fs.meta.nslots + 1);
	FlatSearchCheckMemory(qt, k, fs.nq, fs.keep);
	dtx_topk_blocks(fs.nq, fs.meta.dim, &fs.cap, &fs.qblock);
	{
		/* both factors are bounded: cap x dim <= 2^20, a page < 8 kB / 8 rows */
		int64		perpage = FLAT_PAGE_DATA / fs.meta.recsize + 2;
		Size		vbytes = (Size) fs.meta.dim * dtx_elem_size(fs.meta.dtype);

		fs.rows = palloc(mul_size(fs.cap + perpage, vbytes));
		fs.ids = palloc(mul_size(fs.cap + perpage, sizeof(int64)));
		if (fs.sgemm)
			fs.scratch = palloc(mul_size(mul_size(fs.qblock, fs.cap), sizeof(float)));
	}
	found = palloc0(mul_size(fs.nq, sizeof(int64)));
	fetch = table_index_fetch_begin(heap);
	slot = table_slot_create(heap, NULL);
	passctx = AllocSetContextCreate(CurrentMemoryContext, "flat_search pass", ALLOCSET_DEFAULT_SIZES);
	for (;;)
	{
		bool		again = false;

		MemoryContextReset(passctx);
		old = MemoryContextSwitchTo(passctx);
		FlatSearchPass(index, &fs);
		MemoryContextSwitchTo(old);
		for (int64 q = 0; q < fs.nq; q++)
		{
			DtxTopK    *h = &fs.heaps[q];

			found[q] = 0;
			for (int64 j = 0; j < h->n && found[q] < k; j++)
			{
				ItemPointerData tid;
				bool		call_again = false,
							all_dead = false;

				CHECK_FOR_INTERRUPTS();
				FlatTidFromKey(h->id[j], &tid);
				if (!table_index_fetch_tuple(fetch, &tid, snapshot, slot, &call_again, &all_dead))
					continue;
				found[q]++;
				{
					Datum		values[4];
					bool		nulls[4] = {false, false, false, false};

					values[0] = Int32GetDatum((int32) (q + 1));
					values[1] = Int32GetDatum((int32) found[q]);
					values[2] = PointerGetDatum(&slot->tts_tid);
					values[3] = Float8GetDatum(-h->score[j]);
					tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
				}
			}
			/* fewer than k visible among a full list: more may lie beyond */
			if (found[q] < k && h->n == fs.keep && fs.keep <= (int64) fs.meta.nslots)
				again = true;
		}
		if (!again)
			break;
		/* start over with more candidates: the rows put so far come again */
		tuplestore_clear(rsinfo->setResult);
		{
			int64		more = Min(Min(fs.keep * 4, (int64) fs.meta.nslots + 1),
								   FlatSearchMaxKeep(fs.nq));

			/*
			 * At the memory bound the list cannot grow: another pass would
			 * find the same rows, forever.  Fewer than k rows would be a
			 * wrong answer, so say why instead.
			 */
			if (more <= fs.keep)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("flat_search cannot keep enough candidates for %d visible rows for each of the queries of shape %s",
								k, TensorShapeString(qt)),
						 errdetail("Fewer than %d of the best %lld rows of a query are visible to this snapshot, and more candidates for every query would not fit in %zu bytes.",
								   k, (long long) fs.keep, MaxAllocSize),
						 errhint("VACUUM the table, or use a smaller k or fewer queries per call.")));
			fs.keep = more;
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	table_index_fetch_end(fetch);
	MemoryContextDelete(passctx);
done:
	table_close(heap, AccessShareLock);
	index_close(index, AccessShareLock);
	return (Datum) 0;
}
