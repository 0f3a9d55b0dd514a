/*
 * heap_prefetch.c: while a per-row function (<#>, <=>, <->, <+>, dot,
 * cosine, topk, maxsim) works on one table row, ask for the rows the
 * sequential scan will hand it next.
 *
 * A row of 768 float32 is 3 kB and two fit a heap page; read one by one,
 * each is a burst of cache misses that the hardware prefetcher, which
 * stops at 4 kB pages and at gaps, does not cover.  A heap scan visits a
 * page's tuples in offset order, so the rows that come next on the same
 * page are known exactly from the line pointers: the one about
 * AHEAD_BYTES ahead is asked for on every call.
 *
 * The next page is found where it really is: on the first row of each
 * page, the buffer mapping table is asked which buffer holds the next
 * block of the same relation (the look-up, under the same shared lock,
 * that the scan's own ReadBuffer makes a few rows later, and then finds in
 * cache).  Its header and line pointers are prefetched at once, and when
 * the window passes the end of this page, its rows, which for rows of one
 * size lie one after another from the page's end.  This holds in any
 * buffer pool.  The guess it replaces, "the next buffer slot", held only
 * where a table had been read in order into an empty pool: in a pool in
 * use it cost time (README, "Performance").
 *
 * Only prefetches are issued into pages this backend has not pinned, so a
 * buffer evicted meanwhile costs a wasted hint, nothing else.  The current
 * page is pinned by the scan, so its buffer tag is stable.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "storage/buf_internals.h"
#include "storage/bufmgr.h"
#include "storage/bufpage.h"

#include "heap_prefetch.h"
#include "prefetch.h"

/* rows smaller than this cost less to miss than to look up */
#define MIN_ROW_BYTES 512
/* how far ahead of the current row to ask: a few rows of 128 float32, one of 768 */
#define AHEAD_BYTES 2048

/*
 * The page and item of the previous call (a scan's next row is the next
 * item) and the page of the block after it.
 */
static const char *last_page = NULL;
static OffsetNumber last_item = InvalidOffsetNumber;
static const char *next_page = NULL;

static void
PrefetchItem(const char *page, OffsetNumber i)
{
	ItemId		id = PageGetItemId((Page) page, i);

	if (ItemIdIsNormal(id) && ItemIdGetOffset(id) + ItemIdGetLength(id) <= BLCKSZ)
		dtx_prefetch(page + ItemIdGetOffset(id), ItemIdGetLength(id), 0);
}

/* the buffer holding the block after the one in buffer buf_id, or NULL */
static const char *
NextBlockPage(int buf_id)
{
	BufferTag	tag = GetBufferDescriptor(buf_id)->tag;
	uint32		hash;
	LWLock	   *lock;
	int			next;

	tag.blockNum++;
	hash = BufTableHashCode(&tag);
	lock = BufMappingPartitionLock(hash);
	LWLockAcquire(lock, LW_SHARED);
	next = BufTableLookup(&tag, hash);
	LWLockRelease(lock);
	return next < 0 ? NULL : BufferBlocks + (Size) next * BLCKSZ;
}

void
PrefetchNextHeapRow(const void *datum)
{
	const char *p = datum;
	const char *page;
	size_t		off;
	OffsetNumber maxoff,
				cur = InvalidOffsetNumber,
				ahead;
	Size		rowlen;
	bool		new_page;

	if (BufferBlocks == NULL || p < BufferBlocks ||
		p >= BufferBlocks + (Size) NBuffers * BLCKSZ)
		return;					/* a constant, a detoasted copy, a local buffer */
	/* a small value means a small row: skip the line-pointer search */
	if (VARSIZE_ANY(p) < MIN_ROW_BYTES)
		return;
	off = (size_t) (p - BufferBlocks);
	page = p - off % BLCKSZ;
	maxoff = Min(PageGetMaxOffsetNumber((Page) page), MaxHeapTuplesPerPage);
	new_page = page != last_page;
	/* find p's item, starting where the previous call's was */
	for (int pass = 0; pass < 2 && cur == InvalidOffsetNumber; pass++)
		for (OffsetNumber i = (pass == 0 && !new_page) ? last_item : FirstOffsetNumber;
			 i <= maxoff; i++)
		{
			ItemId		id = PageGetItemId((Page) page, i);
			const char *lo = page + ItemIdGetOffset(id);

			if (ItemIdIsNormal(id) && p >= lo && p < lo + ItemIdGetLength(id))
			{
				cur = i;
				break;
			}
		}
	if (cur == InvalidOffsetNumber)
		return;
	rowlen = ItemIdGetLength(PageGetItemId((Page) page, cur));
	if (rowlen < MIN_ROW_BYTES)
		return;
	ahead = Max(1, AHEAD_BYTES / rowlen);
	last_item = cur;
	if (new_page)
	{
		/* fill the window here, then find the next block */
		for (OffsetNumber i = cur + 1; i <= Min(maxoff, cur + ahead - 1); i++)
			PrefetchItem(page, i);
		last_page = page;
		next_page = NextBlockPage((int) (off / BLCKSZ));
		if (next_page)
			dtx_prefetch(next_page, 128, 0);	/* its header and line pointers */
	}
	/* the newest row of the window: here, or on the next page, where rows are laid from the end */
	if (cur + ahead <= maxoff)
		PrefetchItem(page, cur + ahead);
	else if (next_page && (cur + ahead - maxoff) * MAXALIGN(rowlen) <= BLCKSZ - SizeOfPageHeaderData)
		dtx_prefetch(next_page + BLCKSZ - (cur + ahead - maxoff) * MAXALIGN(rowlen),
					 MAXALIGN(rowlen), 0);
}
