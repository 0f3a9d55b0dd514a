/*
 * flat_search.c: flat_search(index, queries, k), many queries in one pass
 * over a flat index.
 *
 * The records are copied a block at a time into one contiguous matrix and
 * scored against all Q queries by dtx_topk_scan_f32: one sgemm per block
 * that only filters, then the exact double-accumulating dot of <#> for the
 * rows that may enter a query's top k (src/core/kern_rank.c).  With fewer
 * than DTX_TOPK_SGEMM_MIN_QUERIES queries, or a <=> or float64 index,
 * every row is scored in place with the operator's own kernel.
 *
 * The index holds dead rows until VACUUM, so each query keeps more than k
 * candidates; after the pass each candidate is looked up in the heap under
 * the statement's snapshot, best first, until k visible rows are found.  If
 * a query runs out of candidates the pass runs again with four times as
 * many.  So the answer is, per query, the first k rows of ORDER BY emb <op>
 * q, ctid among the rows the snapshot sees (and whose emb is not NULL).
 */
#include "postgres.h"

#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "flat.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(flat_search);

/*
 * Rows per matrix product: about 1 MB (340 rows of 768 float32).  100
 * queries over 50K x 768, median CPU ms on the 2-core Zen 3 (AVX2) test
 * machine: 288 kB blocks 302-327, 1 MB 261-276, 3 MB 342.  Smaller blocks
 * repack the queries too often, larger ones leave L2.
 */
#define FLAT_BLOCK_BYTES	(1024 * 1024)

typedef struct FlatSearch
{
	FlatMeta	meta;
	FlatMetric	metric;
	const char *queries;		/* nq x dim, index dtype */
	int64		nq;
	int64		keep;			/* candidates kept per query */
	DtxTopK    *heaps;
	bool		sgemm;			/* float32 <#>: dtx_topk_scan_f32 */
	/* the block being filled (sgemm path) */
	float	   *rows;
	int64	   *ids;
	int64		nrows;
	int64		cap;			/* flush when nrows reaches this */
	float	   *scratch;		/* nq x (cap + rows a page holds) */
} FlatSearch;

static void
FlatSearchFlush(FlatSearch *fs)
{
	DtxStatus	st;

	if (fs->nrows == 0)
		return;
	st = dtx_topk_scan_f32(fs->rows, fs->nrows, fs->ids, 0, (const float *) fs->queries,
						   fs->nq, fs->meta.dim, fs->scratch, fs->heaps);
	if (st != DTX_OK)
		elog(ERROR, "dotext: flat_search kernel failed with status %d", (int) st);
	fs->nrows = 0;
}

static void
FlatSearchPageDone(void *arg)
{
	FlatSearch *fs = (FlatSearch *) arg;

	if (fs->sgemm && fs->nrows >= fs->cap)
		FlatSearchFlush(fs);
}

static void
FlatSearchRecord(const FlatRecordHeader *hdr, const void *vec, void *arg)
{
	FlatSearch *fs = (FlatSearch *) arg;
	int64		id = FlatTidKey(&hdr->tid);
	Size		vbytes = (Size) fs->meta.dim * dtx_elem_size(fs->meta.dtype);

	if (fs->sgemm)
	{
		memcpy(fs->rows + fs->nrows * fs->meta.dim, vec, vbytes);
		fs->ids[fs->nrows++] = id;
		return;
	}
	for (int64 q = 0; q < fs->nq; q++)
		dtx_topk_push(&fs->heaps[q],
					  -FlatDistance(fs->metric, fs->meta.dtype, vec, fs->queries + q * vbytes,
									fs->meta.dim),
					  id);
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
	if (fs->sgemm)
		FlatSearchFlush(fs);
	for (int64 q = 0; q < fs->nq; q++)
		dtx_topk_sorted(&fs->heaps[q]);
}

/* the queries as nq x dim of the index's dtype (integers convert) */
static Tensor *
FlatSearchQueries(Relation index, const FlatMeta *meta, Tensor *q, int64 *nq)
{
	int32		last;

	if (!dtx_dtype_is_float(q->dtype))
		q = TensorConvert(q, meta->dtype);
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

static Relation
FlatSearchOpen(Oid indexoid, Relation *heap)
{
	Relation	index = index_open(indexoid, AccessShareLock);
	Oid			heapoid = index->rd_index->indrelid;
	AclResult	acl;

	if (index->rd_indam == NULL || index->rd_indam->ambuild != flatbuild)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a flat index", RelationGetRelationName(index))));
	acl = pg_class_aclcheck(heapoid, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, get_rel_name(heapoid));
	*heap = table_open(heapoid, AccessShareLock);
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
	if (fs.meta.recsize == 0)
		goto done;				/* nothing indexed yet */
	qt = FlatSearchQueries(index, &fs.meta, qt, &fs.nq);
	fs.queries = TensorData(qt);
	/* below a few queries sgemm does not pay, and rows are scored in place */
	fs.sgemm = fs.metric == FLAT_METRIC_IP && fs.meta.dtype == DTX_FLOAT32 &&
		fs.nq >= DTX_TOPK_SGEMM_MIN_QUERIES;
	if (fs.sgemm)
	{
		int64		perpage = FLAT_PAGE_DATA / fs.meta.recsize + 2;
		Size		rowbytes = (Size) fs.meta.dim * sizeof(float);

		fs.cap = Max(FLAT_BLOCK_BYTES / rowbytes, 1);
		fs.rows = palloc_extended(mul_size(fs.cap + perpage, rowbytes), MCXT_ALLOC_HUGE);
		fs.ids = palloc(mul_size(fs.cap + perpage, sizeof(int64)));
		fs.scratch = palloc_extended(mul_size(mul_size(fs.nq, fs.cap + perpage), sizeof(float)),
									 MCXT_ALLOC_HUGE);
	}
	/* a few more than k: the dead rows VACUUM has not removed yet */
	fs.keep = Min((int64) k + 16 + k / 2, (int64) fs.meta.nslots + 1);
	if (fs.keep > (int64) (MaxAllocSize / sizeof(double)) / fs.nq)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("flat_search cannot keep %d rows for each of %lld queries", k, (long long) fs.nq),
				 errhint("Use a smaller k or fewer queries per call.")));
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
		fs.keep = Min(Min(fs.keep * 4, (int64) fs.meta.nslots + 1),
					  (int64) (MaxAllocSize / sizeof(double)) / fs.nq);
	}
	ExecDropSingleTupleTableSlot(slot);
	table_index_fetch_end(fetch);
	MemoryContextDelete(passctx);
done:
	table_close(heap, AccessShareLock);
	index_close(index, AccessShareLock);
	return (Datum) 0;
}
