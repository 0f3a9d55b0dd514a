/*
 * flat_vacuum.c: VACUUM for flat indexes.
 *
 * ambulkdelete marks the records of dead heap rows FLAT_DEAD, a page at a
 * time in one generic WAL record per page changed, and adds them to the
 * metapage's count of free slots, which inserts then fill (lowest slot
 * first).  amvacuumcleanup trims dead slots off the end of the stream, so
 * a table that shrank from the end gives its space back to later appends.
 * Records never move: a scan running alongside sees each live record once.
 */
#include "postgres.h"

#include "access/generic_xlog.h"
#include "commands/vacuum.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"

#include "flat.h"

/* dead slots trimmed per metapage lock: a few ms, then a cancel check */
#define FLAT_TRIM_BATCH		1024

/*
 * Add removed dead slots (the lowest one lowest) to the metapage's count
 * and, with trim, drop the dead slots at the end of the stream.  Inserts
 * wait on the metapage, so the end cannot move while it is locked; the
 * trim releases it every FLAT_TRIM_BATCH slots (each round its own WAL
 * record, each leaving a consistent metapage) to check for cancel.
 */
static void
FlatUpdateMeta(Relation index, int64 removed, uint64 lowest, bool trim)
{
	bool		more = true;

	while (more)
	{
		Buffer		buf = ReadBuffer(index, FLAT_METAPAGE_BLKNO);
		GenericXLogState *state;
		FlatMeta   *m;
		int			done = 0;

		more = false;
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		state = GenericXLogStart(index);
		m = FlatPageGetMeta(GenericXLogRegisterBuffer(state, buf, 0));
		m->nfree += removed;
		m->freehint = Min(m->freehint, lowest);
		removed = 0;
		while (trim && m->recsize > 0 && m->nslots > 0)
		{
			BlockNumber blk;
			uint32		off;
			Buffer		dbuf;
			bool		dead;

			if (done++ == FLAT_TRIM_BATCH)
			{
				more = true;
				break;
			}
			FlatSlotPosition(m->recsize, m->nslots - 1, &blk, &off);
			dbuf = ReadBuffer(index, blk);
			LockBuffer(dbuf, BUFFER_LOCK_SHARE);
			dead = (((FlatRecordHeader *) (FlatPageData(BufferGetPage(dbuf)) + off))->flags & FLAT_DEAD) != 0;
			UnlockReleaseBuffer(dbuf);
			if (!dead)
				break;
			m->nslots--;
			if (m->nfree > 0)
				m->nfree--;
		}
		if (trim)
		{
			m->freehint = Min(m->freehint, m->nslots);
			if (m->nslots == 0)
				m->nfree = 0;
		}
		GenericXLogFinish(state);
		UnlockReleaseBuffer(buf);
		CHECK_FOR_INTERRUPTS();
	}
}

IndexBulkDeleteResult *
flatbulkdelete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
			   IndexBulkDeleteCallback callback, void *callback_state)
{
	Relation	index = info->index;
	FlatMeta	meta;
	BlockNumber nblocks;
	uint64		lowest = PG_UINT64_MAX;
	int64		removed = 0;

	if (stats == NULL)
		stats = palloc0(sizeof(IndexBulkDeleteResult));
	FlatReadMeta(index, &meta);
	nblocks = meta.recsize ? FlatDataBlocks(meta.recsize, meta.nslots) : 0;
	for (BlockNumber b = 1; b <= nblocks; b++)
	{
		Buffer		buf;
		Page		page;
		uint64		first,
					end;
		GenericXLogState *state = NULL;

		vacuum_delay_point();
		buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, info->strategy);
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		page = BufferGetPage(buf);
		FlatBlockSlots(meta.recsize, meta.nslots, b, &first, &end);
		for (uint64 s = first; s < end; s++)
		{
			uint32		off = (uint32) (s * meta.recsize - (uint64) (b - 1) * FLAT_PAGE_DATA);
			FlatRecordHeader *hdr = (FlatRecordHeader *) (FlatPageData(page) + off);

			if (hdr->flags & FLAT_DEAD)
				continue;
			if (!callback(&hdr->tid, callback_state))
			{
				stats->num_index_tuples++;
				continue;
			}
			if (state == NULL)
			{
				state = GenericXLogStart(index);
				page = GenericXLogRegisterBuffer(state, buf, 0);
				hdr = (FlatRecordHeader *) (FlatPageData(page) + off);
			}
			hdr->flags |= FLAT_DEAD;
			stats->tuples_removed++;
			removed++;
			lowest = Min(lowest, s);
		}
		if (state != NULL)
			GenericXLogFinish(state);
		UnlockReleaseBuffer(buf);
	}
	if (removed > 0)
		FlatUpdateMeta(index, removed, lowest, false);
	stats->num_pages = RelationGetNumberOfBlocks(index);
	return stats;
}

/* count the live records (VACUUM with nothing to delete skips bulkdelete) */
static void
FlatCountLive(const FlatRecordHeader *hdr, const void *vec, void *arg)
{
	(*(double *) arg)++;
}

IndexBulkDeleteResult *
flatvacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	FlatMeta	meta;

	if (info->analyze_only)
		return stats;
	if (stats == NULL)
	{
		stats = palloc0(sizeof(IndexBulkDeleteResult));
		FlatReadMeta(info->index, &meta);
		FlatReadStream(info->index, &meta, FlatCountLive, NULL, &stats->num_index_tuples);
	}
	FlatUpdateMeta(info->index, 0, PG_UINT64_MAX, true);
	stats->num_pages = RelationGetNumberOfBlocks(info->index);
	return stats;
}
