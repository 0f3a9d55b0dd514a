/*
 * flat_read.c: one pass over a flat index's record stream, in block order,
 * for the ordered scan and flat_search.
 *
 * Two read-aheads: PrefetchBuffer a window of blocks ahead, so that blocks
 * not in shared buffers are being read by the kernel before we need them,
 * and the bytes of the pages ahead asked for while this one is scored.
 * The next block is pinned one page early and asked into L1.  What else
 * pays depends on where the buffers lie, which the window's buffers tell:
 * when the block after next sits in the buffer right after the next
 * one's (a pool filled in block order, as after a build or a sequential
 * read), the hardware prefetcher is already streaming and that block is
 * asked into L1 too.  When it does not (a pool in use, the blocks spread
 * over shared memory), a further L1 request only waits for a free miss
 * buffer; instead one line of each 4 kB page of the block DTX_PAGES_AHEAD
 * ahead goes into L2, so its page walk and first DRAM access have begun
 * when the stream reaches it.  A prefetch never faults, so a buffer that a
 * stale hint named costs a wasted request.  Of the variants tried (README,
 * "flat index"), these two were fastest in their pool states.
 *
 * PrefetchBuffer of a block already in shared buffers returns its buffer;
 * ReadRecentBuffer then pins it without a second look-up in the buffer
 * mapping table.  A block found where the previous scan left it
 * (buffer_hint.c) needs neither: the one look-up per page cost a third of
 * the scan with 8 GB of shared buffers (perf, 100K x 768).
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/bufmgr.h"

#include "buffer_hint.h"
#include "flat.h"
#include "prefetch.h"

/* blocks of read-ahead through PrefetchBuffer (256 kB) */
#define FLAT_PREFETCH_WINDOW 32

/*
 * Pin block b, through the buffer a hint or PrefetchBuffer found for it if
 * it is still there, and remember where it was.
 */
static Buffer
FlatPinBlock(Relation index, BlockNumber b, const Buffer *recent, BufferHints *hints)
{
	Buffer		r = recent[b % FLAT_PREFETCH_WINDOW];

	if (!BufferIsValid(r) || !ReadRecentBuffer(index->rd_node, MAIN_FORKNUM, b, r))
		r = ReadBuffer(index, b);
	BufferHintSet(hints, b, r);
	return r;
}

/*
 * The blocks after next (b + 1, pinned as next): see the file's comment.
 */
static inline void
FlatPrefetchAhead(const Buffer *recent, BlockNumber b, BlockNumber nblocks, Buffer next)
{
	Buffer		after = b + 2 <= nblocks ? recent[(b + 2) % FLAT_PREFETCH_WINDOW] : InvalidBuffer;
	Buffer		far;

	StaticAssertStmt(DTX_PAGES_AHEAD < FLAT_PREFETCH_WINDOW, "the window holds the block touched");
	far = b + DTX_PAGES_AHEAD <= nblocks ?
		recent[(b + DTX_PAGES_AHEAD) % FLAT_PREFETCH_WINDOW] : InvalidBuffer;

	if (after > 0 && BufferGetBlock(after) == (char *) BufferGetBlock(next) + BLCKSZ)
		dtx_prefetch(BufferGetBlock(after), BLCKSZ, 1);
	else if (far > 0)
		dtx_prefetch_pages(BufferGetBlock(far), BLCKSZ);
}

/*
 * Copy the record at off of block b (buf, share-locked by the caller) that
 * runs on into the following pages: lock them one at a time in ascending
 * order while buf stays locked (a writer locks all of a record's pages,
 * first one first, so it is not halfway through this one).  next is block
 * b + 1, already pinned.
 */
static void
FlatCopySpan(Relation index, Buffer buf, Buffer next, BlockNumber b, uint32 off,
			 uint32 recsize, char *span)
{
	int			npages = FlatRecordPages(recsize, off);

	for (int k = 0; k < npages; k++)
	{
		uint32		pageoff,
					recoff,
					n = FlatRecordChunk(recsize, off, k, &pageoff, &recoff);
		Buffer		kb = k == 0 ? buf : k == 1 ? next : ReadBuffer(index, b + k);

		if (k > 0)
			LockBuffer(kb, BUFFER_LOCK_SHARE);
		memcpy(span + recoff, FlatPageData(BufferGetPage(kb)) + pageoff, n);
		if (k > 1)
			UnlockReleaseBuffer(kb);
		else if (k == 1)
			LockBuffer(kb, BUFFER_LOCK_UNLOCK);
	}
}

void
FlatReadStream(Relation index, const FlatMeta *meta, FlatRecordCallback cb,
			   void (*page_done) (void *arg), void *arg)
{
	uint32		recsize = meta->recsize;
	BlockNumber nblocks = FlatDataBlocks(recsize, meta->nslots);
	BlockNumber prefetched = 1;
	char	   *span;
	Buffer		buf = InvalidBuffer;
	Buffer		recent[FLAT_PREFETCH_WINDOW];
	BufferHints *hints = BufferHintsFor(index->rd_node);

	for (int i = 0; i < FLAT_PREFETCH_WINDOW; i++)
		recent[i] = InvalidBuffer;

	if (nblocks == 0)
		return;
	span = palloc(recsize);
	for (BlockNumber b = 1; b <= nblocks; b++)
	{
		uint64		pagestart = (uint64) (b - 1) * FLAT_PAGE_DATA;
		uint64		first,
					end;
		Buffer		next = InvalidBuffer;
		char	   *data;

		/* a block found where it was last time needs no read-ahead */
		for (; prefetched < Min(b + FLAT_PREFETCH_WINDOW, nblocks + 1); prefetched++)
		{
			Buffer		h = BufferHintGet(hints, prefetched);

			recent[prefetched % FLAT_PREFETCH_WINDOW] = BufferIsValid(h) ? h :
				PrefetchBuffer(index, MAIN_FORKNUM, prefetched).recent_buffer;
		}
		FlatBlockSlots(recsize, meta->nslots, b, &first, &end);
		if (!BufferIsValid(buf))
			buf = FlatPinBlock(index, b, recent, hints);
		if (b < nblocks)
		{
			next = FlatPinBlock(index, b + 1, recent, hints);
			dtx_prefetch(BufferGetPage(next), BLCKSZ, 1);
			FlatPrefetchAhead(recent, b, nblocks, next);
		}
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		data = FlatPageData(BufferGetPage(buf));
		for (uint64 s = first; s < end; s++)
		{
			uint32		off = (uint32) (s * recsize - pagestart);
			const FlatRecordHeader *hdr = (const FlatRecordHeader *) (data + off);

			if (hdr->flags & FLAT_DEAD)
				continue;
			if (off + recsize <= FLAT_PAGE_DATA)
			{
				cb(hdr, data + off + sizeof(FlatRecordHeader), arg);
				continue;
			}
			FlatCopySpan(index, buf, next, b, off, recsize, span);
			cb((const FlatRecordHeader *) span, span + sizeof(FlatRecordHeader), arg);
		}
		UnlockReleaseBuffer(buf);
		buf = next;
		if (page_done)
			page_done(arg);
		CHECK_FOR_INTERRUPTS();
	}
	pfree(span);
}
