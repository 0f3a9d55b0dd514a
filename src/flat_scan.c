/*
 * flat_scan.c: the ordered scan for ORDER BY emb <op> q [LIMIT k].
 *
 * The AM is not told k, so the scan works in passes: the first pass reads
 * every record and keeps the FLAT_FIRST_BATCH best in a bounded heap, then
 * hands them out best first.  If the executor wants more (a WHERE clause
 * rejected rows, a dead row was skipped, k is large), the next pass reads
 * the records again and keeps the best among those that rank after the last
 * one returned, FLAT_BATCH_GROWTH times as many.  So any k costs O(log k)
 * passes and LIMIT 10 costs one.
 *
 * Order is exact: each distance is the operator's own computation (the
 * kernel <#> and <=> call, on the same float bytes), and equal distances go
 * in ctid order, as ORDER BY emb <op> q, ctid gives them; NaN distances
 * last, as float8 sorts them.  The index returns the distances as
 * xs_orderbyvals without recheck.
 */
#include "postgres.h"

#include <math.h>

#include "access/relscan.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "flat.h"
#include "tensor.h"

#define FLAT_FIRST_BATCH	128
#define FLAT_BATCH_GROWTH	8

typedef struct FlatScanOpaque
{
	MemoryContext ctx;			/* query and heaps; reset by rescan */
	FlatMeta	meta;
	FlatMetric	metric;
	const DtxSimd *simd;		/* the loops the operators run */
	bool		started;
	bool		query_null;		/* ORDER BY emb <op> NULL: every distance NULL */
	const void *query;			/* meta.dim elements of meta.dtype */

	int64		batch;			/* entries the current pass keeps */
	DtxTopK		heap;			/* the current pass's entries, best first */
	int64		pos;			/* next entry of heap to return */
	bool		exhausted;		/* the current pass held every remaining record */
	bool		have_last;
	double		last_score;		/* the last entry returned: later passes keep */
	int64		last_id;		/* only records ranked after it */
} FlatScanOpaque;

/*
 * true when (s1, i1) ranks after (s2, i2): a lower score, or an equal one
 * with a larger ctid, NaN after everything; the order of dtx_topk.
 */
static inline bool
FlatRanksAfter(double s1, int64 i1, double s2, int64 i2)
{
	if (isnan(s1) || isnan(s2))
		return isnan(s1) && (!isnan(s2) || i1 > i2);
	return s1 < s2 || (s1 == s2 && i1 > i2);
}

static void
FlatScanRecord(const FlatRecordHeader *hdr, const void *vec, void *arg)
{
	FlatScanOpaque *so = (FlatScanOpaque *) arg;
	int64		id = FlatTidKey(&hdr->tid);
	/* the heap keeps the largest scores: score = -distance */
	double		score = so->query_null ? 0.0 :
		-FlatDistance(so->simd, so->metric, so->meta.dtype, vec, so->query, so->meta.dim);

	if (so->have_last && !FlatRanksAfter(score, id, so->last_score, so->last_id))
		return;
	/* most rows rank after the heap's worst entry: skip the call */
	if (so->heap.n == so->heap.k && so->heap.k > 0 &&
		!FlatRanksAfter(so->heap.score[0], so->heap.id[0], score, id))
		return;
	dtx_topk_push(&so->heap, score, id);
}

/* one pass over the index: the next batch of entries, best first */
static void
FlatScanPass(IndexScanDesc scan)
{
	FlatScanOpaque *so = (FlatScanOpaque *) scan->opaque;
	MemoryContext old = MemoryContextSwitchTo(so->ctx);

	if (so->heap.score != NULL)
	{
		pfree(so->heap.score);
		pfree(so->heap.id);
	}
	dtx_topk_init(&so->heap, so->batch,
				  palloc(sizeof(double) * so->batch), palloc(sizeof(int64) * so->batch));
	MemoryContextSwitchTo(old);

	FlatReadStream(scan->indexRelation, &so->meta, FlatScanRecord, NULL, so);
	dtx_topk_sorted(&so->heap);
	so->pos = 0;
	so->exhausted = so->heap.n < so->batch;
}

IndexScanDesc
flatbeginscan(Relation index, int nkeys, int norderbys)
{
	IndexScanDesc scan = RelationGetIndexScan(index, nkeys, norderbys);
	FlatScanOpaque *so = palloc0(sizeof(FlatScanOpaque));

	so->ctx = AllocSetContextCreate(CurrentMemoryContext, "flat scan", ALLOCSET_DEFAULT_SIZES);
	so->metric = FlatGetMetric(index);
	dtx_simd_init();
	so->simd = dtx_simd();
	scan->opaque = so;
	scan->xs_orderbyvals = palloc0(sizeof(Datum) * Max(norderbys, 1));
	scan->xs_orderbynulls = palloc(sizeof(bool) * Max(norderbys, 1));
	return scan;
}

void
flatrescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys)
{
	FlatScanOpaque *so = (FlatScanOpaque *) scan->opaque;

	if (keys && scan->numberOfKeys > 0)
		memmove(scan->keyData, keys, scan->numberOfKeys * sizeof(ScanKeyData));
	if (orderbys && scan->numberOfOrderBys > 0)
		memmove(scan->orderByData, orderbys, scan->numberOfOrderBys * sizeof(ScanKeyData));
	MemoryContextReset(so->ctx);
	so->started = false;
	so->heap.score = NULL;
	so->heap.id = NULL;
	so->heap.n = 0;
	so->have_last = false;
}

/* read the metapage and the query; the first pass is run by the caller */
static void
FlatScanStart(IndexScanDesc scan)
{
	FlatScanOpaque *so = (FlatScanOpaque *) scan->opaque;
	MemoryContext old;
	Tensor	   *q;

	if (scan->numberOfOrderBys != 1)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("flat index scans need ORDER BY one distance to a query")));
	FlatReadMeta(scan->indexRelation, &so->meta);
	so->query_null = (scan->orderByData[0].sk_flags & SK_ISNULL) != 0;
	if (!so->query_null && so->meta.recsize > 0)
	{
		old = MemoryContextSwitchTo(so->ctx);
		q = DatumGetTensorP(scan->orderByData[0].sk_argument);
		/* integer literals convert to the index's dtype, as the operators do */
		q = TensorToFloatExact(q, so->meta.dtype, so->metric == FLAT_METRIC_IP ? "<#>" : "<=>");
		FlatCheckVector(scan->indexRelation, &so->meta, q->dtype, q->ndim, q->dims, "query");
		so->query = TensorData(q);
		MemoryContextSwitchTo(old);
	}
	so->batch = Min(FLAT_FIRST_BATCH, (int64) so->meta.nslots + 1);
	so->started = true;
	FlatScanPass(scan);
}

bool
flatgettuple(IndexScanDesc scan, ScanDirection dir)
{
	FlatScanOpaque *so = (FlatScanOpaque *) scan->opaque;

	if (!so->started)
		FlatScanStart(scan);
	while (so->pos >= so->heap.n)
	{
		if (so->exhausted)
			return false;
		/* the slot count bounds the batch: no more entries can exist */
		so->batch = Min(Min(so->batch * FLAT_BATCH_GROWTH, (int64) so->meta.nslots + 1),
						(int64) (MaxAllocSize / sizeof(double)));
		FlatScanPass(scan);
	}
	so->last_score = so->heap.score[so->pos];
	so->last_id = so->heap.id[so->pos];
	so->have_last = true;
	so->pos++;

	FlatTidFromKey(so->last_id, &scan->xs_heaptid);
	scan->xs_recheck = false;
	scan->xs_recheckorderby = false;
	scan->xs_orderbyvals[0] = Float8GetDatum(-so->last_score);
	scan->xs_orderbynulls[0] = so->query_null;
	return true;
}

void
flatendscan(IndexScanDesc scan)
{
	FlatScanOpaque *so = (FlatScanOpaque *) scan->opaque;

	MemoryContextDelete(so->ctx);
	pfree(so);
	scan->opaque = NULL;
}
