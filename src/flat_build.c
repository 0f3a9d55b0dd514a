/*
 * flat_build.c: CREATE INDEX (one pass over the table, appending records
 * to the stream one page at a time in backend memory, each page WAL-logged
 * whole and written to the file, not through shared buffers) and aminsert
 * (one record, reusing a slot VACUUM freed, in one generic WAL record with
 * the metapage).
 *
 * The build bypasses shared buffers as nbtree's does: it does not push
 * the pool's working set out for pages nobody has asked for yet, and the
 * first scan then reads the index in block order into whatever buffers
 * the pool hands out, in a pool with free buffers one after another in
 * memory, where a scan reads 1.4-1.7x faster than from the buffers a build
 * through the pool leaves, interleaved with the table's (README, "Flat
 * index").  Since a checkpoint during the build cannot flush pages it
 * never saw, the file is fsynced at the end when the index is WAL-logged.
 *
 * NULL rows are not indexed.  The first non-NULL row fixes the dimension,
 * and the dtype too unless the column's type modifier fixed it already.
 */
#include "postgres.h"

#include "access/generic_xlog.h"
#include "access/tableam.h"
#include "access/xloginsert.h"
#include "catalog/index.h"
#include "commands/progress.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "storage/smgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "flat.h"
#include "tensor.h"

#define FLAT_PHASE_LOAD 2

typedef struct FlatBuildState
{
	Relation	index;
	FlatMeta	meta;
	PGAlignedBlock cur;			/* the data page being filled */
	BlockNumber curblk;			/* its block number; InvalidBlockNumber before the first */
	bool		use_wal;
	char	   *rec;			/* one record being assembled */
	MemoryContext buildctx;		/* where rec lives */
	double		indtuples;
	MemoryContext tmpctx;
} FlatBuildState;

/* the first vector fixes what the index holds; later ones must match it */
static void
FlatAdoptVector(Relation index, FlatMeta *meta, const Tensor *t)
{
	if (meta->recsize == 0)
	{
		int			dtype = meta->dtype == DTX_INVALID ? t->dtype : meta->dtype;

		if (dtype != DTX_FLOAT32 && dtype != DTX_FLOAT64)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("flat index supports float32 and float64 tensors, not %s",
							TensorDtypeName(dtype)),
					 errhint("Index an expression such as (emb::tensor(float32)).")));
		if (t->ndim != 1 || t->dims[0] < 1)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("flat index requires non-empty 1-D tensors, not shape %s",
							TensorShapeString(t))));
		/* a writer locks every page of a record at once: bound them */
		if ((Size) t->dims[0] * dtx_elem_size(dtype) >
			FLAT_MAX_RECSIZE - sizeof(FlatRecordHeader))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("flat index cannot hold vectors of shape %s",
							TensorShapeString(t)),
					 errdetail("A flat index holds at most %d %s elements a vector.",
							   (int) ((FLAT_MAX_RECSIZE - sizeof(FlatRecordHeader)) /
									  dtx_elem_size(dtype)),
							   TensorDtypeName(dtype))));
		meta->dtype = dtype;
		meta->dim = t->dims[0];
		meta->recsize = FlatRecordSize(dtype, meta->dim);
	}
	FlatCheckVector(index, meta, t->dtype, t->ndim, t->dims, "indexed value");
}

/* the record bytes of a row: header, vector, zero padding */
static void
FlatFillRecord(char *rec, const FlatMeta *meta, ItemPointer tid, const Tensor *t)
{
	FlatRecordHeader *hdr = (FlatRecordHeader *) rec;
	Size		vbytes = (Size) meta->dim * dtx_elem_size(meta->dtype);

	memset(rec, 0, meta->recsize);
	hdr->tid = *tid;
	hdr->flags = 0;
	memcpy(rec + sizeof(FlatRecordHeader), TensorData(t), vbytes);
}

/* insert: a new page at the end of the index, locked exclusively */
static Buffer
FlatNewBuffer(Relation index)
{
	Buffer		buf;

	LockRelationForExtension(index, ExclusiveLock);
	buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	UnlockRelationForExtension(index, ExclusiveLock);
	return buf;
}

/*
 * build: block blkno to the file, after its image to WAL (which sets its
 * LSN); extend for a new block, else overwrite one written before
 */
static void
FlatBuildWrite(FlatBuildState *bs, BlockNumber blkno, Page page, bool extend)
{
	if (bs->use_wal)
		log_newpage(&bs->index->rd_node, MAIN_FORKNUM, blkno, page, true);
	PageSetChecksumInplace(page, blkno);
	if (extend)
		smgrextend(RelationGetSmgr(bs->index), MAIN_FORKNUM, blkno, page, true);
	else
		smgrwrite(RelationGetSmgr(bs->index), MAIN_FORKNUM, blkno, page, true);
}

/* build: write the page being filled, if any, and start the next one */
static void
FlatBuildNextPage(FlatBuildState *bs)
{
	if (bs->curblk != InvalidBlockNumber)
		FlatBuildWrite(bs, bs->curblk, bs->cur.data, true);
	bs->curblk = bs->curblk == InvalidBlockNumber ? FLAT_METAPAGE_BLKNO + 1 : bs->curblk + 1;
	FlatInitPage(bs->cur.data, FLAT_KIND_DATA);
}

/* build: append one record at slot meta.nslots */
static void
FlatBuildAppend(FlatBuildState *bs)
{
	BlockNumber blk;
	uint32		off;
	int			npages;

	FlatSlotPosition(bs->meta.recsize, bs->meta.nslots, &blk, &off);
	/* the previous record ended exactly at a page end */
	if (blk != bs->curblk)
		FlatBuildNextPage(bs);
	Assert(bs->curblk == blk);
	npages = FlatRecordPages(bs->meta.recsize, off);
	for (int k = 0; k < npages; k++)
	{
		uint32		pageoff,
					recoff,
					n = FlatRecordChunk(bs->meta.recsize, off, k, &pageoff, &recoff);

		if (k > 0)
			FlatBuildNextPage(bs);
		memcpy(FlatPageData(bs->cur.data) + pageoff, bs->rec + recoff, n);
	}
	bs->meta.nslots++;
}

static void
FlatBuildCallback(Relation heap, ItemPointer tid, Datum *values, bool *isnull,
				  bool tupleIsAlive, void *state)
{
	FlatBuildState *bs = (FlatBuildState *) state;
	MemoryContext old;
	Tensor	   *t;

	if (isnull[0])
		return;
	old = MemoryContextSwitchTo(bs->tmpctx);
	t = DatumGetTensorP(values[0]);
	FlatAdoptVector(bs->index, &bs->meta, t);
	if (bs->rec == NULL)
		bs->rec = MemoryContextAlloc(bs->buildctx, bs->meta.recsize);
	FlatFillRecord(bs->rec, &bs->meta, tid, t);
	FlatBuildAppend(bs);
	bs->indtuples++;
	if ((int64) bs->indtuples % 1024 == 0)
		pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, (int64) bs->indtuples);
	MemoryContextSwitchTo(old);
	MemoryContextReset(bs->tmpctx);
}

static void
FlatInitMeta(Relation index, FlatMeta *meta)
{
	memset(meta, 0, sizeof(*meta));
	meta->magic = FLAT_MAGIC;
	meta->version = FLAT_VERSION;
	meta->dtype = DtypeFromTypmod(TupleDescAttr(RelationGetDescr(index), 0)->atttypmod);
}

/* write the metapage contents (the page is locked exclusively) */
static void
FlatPutMeta(Page page, const FlatMeta *meta, bool init)
{
	if (init)
		FlatInitPage(page, FLAT_KIND_META);
	*FlatPageGetMeta(page) = *meta;
}

IndexBuildResult *
flatbuild(Relation heap, Relation index, IndexInfo *indexInfo)
{
	FlatBuildState bs;
	IndexBuildResult *result;
	PGAlignedBlock metapage;
	double		reltuples;

	if (RelationGetNumberOfBlocks(index) != 0)
		elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));

	memset(&bs, 0, sizeof(bs));
	bs.index = index;
	bs.curblk = InvalidBlockNumber;
	bs.use_wal = RelationNeedsWAL(index);
	FlatInitMeta(index, &bs.meta);
	if (bs.meta.dtype != DTX_INVALID && bs.meta.dtype != DTX_FLOAT32 &&
		bs.meta.dtype != DTX_FLOAT64)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("flat index supports float32 and float64 tensors, not %s",
						TensorDtypeName(bs.meta.dtype))));
	bs.buildctx = CurrentMemoryContext;
	bs.tmpctx = AllocSetContextCreate(CurrentMemoryContext, "flat build tuple",
									  ALLOCSET_DEFAULT_SIZES);

	/* block 0: the metapage, written again at the end */
	FlatPutMeta(metapage.data, &bs.meta, true);
	FlatBuildWrite(&bs, FLAT_METAPAGE_BLKNO, metapage.data, true);

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, FLAT_PHASE_LOAD);
	reltuples = table_index_build_scan(heap, index, indexInfo, true, true,
									   FlatBuildCallback, &bs, NULL);
	if (bs.curblk != InvalidBlockNumber)
		FlatBuildWrite(&bs, bs.curblk, bs.cur.data, true);
	pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, (int64) bs.indtuples);

	FlatPutMeta(metapage.data, &bs.meta, true);
	FlatBuildWrite(&bs, FLAT_METAPAGE_BLKNO, metapage.data, false);

	/*
	 * A checkpoint that began during the build did not see these pages, and
	 * recovery from it would not replay their WAL: fsync them now (as
	 * nbtree's build does).
	 */
	if (bs.use_wal)
		smgrimmedsync(RelationGetSmgr(index), MAIN_FORKNUM);

	MemoryContextDelete(bs.tmpctx);
	result = palloc0(sizeof(IndexBuildResult));
	result->heap_tuples = reltuples;
	result->index_tuples = bs.indtuples;
	return result;
}

/* the init fork of an unlogged index: an empty metapage */
void
flatbuildempty(Relation index)
{
	Buffer		buf;
	GenericXLogState *state;
	FlatMeta	meta;

	FlatInitMeta(index, &meta);
	buf = ReadBufferExtended(index, INIT_FORKNUM, P_NEW, RBM_NORMAL, NULL);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	FlatPutMeta(GenericXLogRegisterBuffer(state, buf, GENERIC_XLOG_FULL_IMAGE), &meta, true);
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
}

/*
 * The slot an insert writes: the first dead slot at or after freehint when
 * VACUUM freed some, else a new one at the end.  The metapage is held
 * exclusively, so no other insert competes for the slot.
 */
static uint64
FlatChooseSlot(Relation index, FlatMeta *meta)
{
	BlockNumber lastblk = InvalidBlockNumber;
	Buffer		buf = InvalidBuffer;

	for (uint64 s = meta->freehint; meta->nfree > 0 && s < meta->nslots; s++)
	{
		BlockNumber blk;
		uint32		off;
		FlatRecordHeader *hdr;

		FlatSlotPosition(meta->recsize, s, &blk, &off);
		if (blk != lastblk)
		{
			if (BufferIsValid(buf))
				UnlockReleaseBuffer(buf);
			CHECK_FOR_INTERRUPTS();
			buf = ReadBuffer(index, blk);
			LockBuffer(buf, BUFFER_LOCK_SHARE);
			lastblk = blk;
		}
		hdr = (FlatRecordHeader *) (FlatPageData(BufferGetPage(buf)) + off);
		if (hdr->flags & FLAT_DEAD)
		{
			UnlockReleaseBuffer(buf);
			meta->nfree--;
			meta->freehint = s + 1;
			return s;
		}
	}
	if (BufferIsValid(buf))
		UnlockReleaseBuffer(buf);
	/* the count was stale: nothing to reuse */
	meta->nfree = 0;
	meta->freehint = meta->nslots;
	return meta->nslots++;
}

/* register page k of a record with state and write its part of rec there */
static void
FlatWriteChunk(GenericXLogState *state, Buffer buf, const char *rec, uint32 recsize,
			   uint32 off, int k)
{
	bool		fresh = PageIsNew(BufferGetPage(buf));
	Page		page = GenericXLogRegisterBuffer(state, buf, fresh ? GENERIC_XLOG_FULL_IMAGE : 0);
	uint32		pageoff,
				recoff,
				n = FlatRecordChunk(recsize, off, k, &pageoff, &recoff);

	if (fresh)
		FlatInitPage(page, FLAT_KIND_DATA);
	memcpy(FlatPageData(page) + pageoff, rec + recoff, n);
}

bool
flatinsert(Relation index, Datum *values, bool *isnull, ItemPointer heap_tid,
		   Relation heap, IndexUniqueCheck checkUnique, bool indexUnchanged,
		   IndexInfo *indexInfo)
{
	MemoryContext tmp,
				old;
	Tensor	   *t;
	Buffer		metabuf,
				buf[FLAT_MAX_SPAN_PAGES] = {InvalidBuffer};
	GenericXLogState *state;
	FlatMeta	meta;
	uint64		slot;
	BlockNumber blk;
	uint32		off;
	char	   *rec;
	int			npages;

	if (isnull[0])
		return false;
	tmp = AllocSetContextCreate(CurrentMemoryContext, "flat insert", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(tmp);
	t = DatumGetTensorP(values[0]);

	metabuf = ReadBuffer(index, FLAT_METAPAGE_BLKNO);
	LockBuffer(metabuf, BUFFER_LOCK_EXCLUSIVE);
	meta = *FlatPageGetMeta(BufferGetPage(metabuf));
	FlatAdoptVector(index, &meta, t);
	rec = palloc(meta.recsize);
	FlatFillRecord(rec, &meta, heap_tid, t);

	slot = FlatChooseSlot(index, &meta);
	FlatSlotPosition(meta.recsize, slot, &blk, &off);
	npages = FlatRecordPages(meta.recsize, off);
	Assert(npages <= FLAT_MAX_SPAN_PAGES);
	/* every page of the record, locked in ascending order */
	for (int k = 0; k < npages; k++)
	{
		BlockNumber b = blk + k;

		/* pages past the end are new: the stream never has holes */
		if (b >= RelationGetNumberOfBlocks(index))
			buf[k] = FlatNewBuffer(index);
		else
		{
			buf[k] = ReadBuffer(index, b);
			LockBuffer(buf[k], BUFFER_LOCK_EXCLUSIVE);
		}
		Assert(BufferGetBlockNumber(buf[k]) == b);
	}

	/*
	 * Generic WAL takes MAX_GENERIC_XLOG_PAGES buffers a record: the pages
	 * after the first go first, in groups, and the first page (with the
	 * header) last, with the metapage.  Until that last record the slot is
	 * dead or past nslots, so a crash in between leaves no half record
	 * visible.  All pages stay locked until the last, so readers see the
	 * record whole.
	 */
	for (int g = 1; g < npages; g += MAX_GENERIC_XLOG_PAGES)
	{
		state = GenericXLogStart(index);
		for (int k = g; k < Min(g + MAX_GENERIC_XLOG_PAGES, npages); k++)
			FlatWriteChunk(state, buf[k], rec, meta.recsize, off, k);
		GenericXLogFinish(state);
	}
	state = GenericXLogStart(index);
	FlatWriteChunk(state, buf[0], rec, meta.recsize, off, 0);
	FlatPutMeta(GenericXLogRegisterBuffer(state, metabuf, 0), &meta, false);
	GenericXLogFinish(state);

	for (int k = 0; k < npages; k++)
		UnlockReleaseBuffer(buf[k]);
	UnlockReleaseBuffer(metabuf);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(tmp);
	return false;
}
