/*
 * heap_prefetch.c: while a per-row function (<#>, <=>, dot, cosine, topk,
 * maxsim) works on one table row, ask for the row the sequential scan will
 * hand it next.
 *
 * A row of 768 float32 is 3 kB and two fit a heap page; read one by one,
 * each is a burst of cache misses that the hardware prefetcher, which
 * stops at 4 kB pages and at gaps, does not cover.  Overlapping the next
 * row's misses with this row's arithmetic is worth about 1.7x on the
 * whole ranking query (README, "Performance").
 *
 * A heap scan visits a page's visible tuples in offset order, so the next
 * row on the same page is known exactly from the line pointers.  After the
 * last one the next block is a guess: the next buffer slot, which is where
 * a table read in order into a fresh cache lands.  Only prefetches are
 * issued into a page this backend has not pinned; nothing there is read.
 * The current page is pinned by the scan; a concurrent insert may change
 * its line pointers under us, which can at worst spoil a prefetch hint.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "storage/bufmgr.h"
#include "storage/bufpage.h"

#include "heap_prefetch.h"
#include "prefetch.h"

/* rows smaller than this cost less to miss than to look up */
#define MIN_ROW_BYTES 512

void
PrefetchNextHeapRow(const void *datum)
{
	const char *p = datum;
	const char *page;
	size_t		off;
	OffsetNumber maxoff;
	Size		rowlen = 0;

	if (BufferBlocks == NULL || p < BufferBlocks ||
		p >= BufferBlocks + (Size) NBuffers * BLCKSZ)
		return;					/* a constant, a detoasted copy, a local buffer */
	/* a small value means a small row: skip the line-pointer search */
	if (VARSIZE_ANY(p) < MIN_ROW_BYTES)
		return;
	off = (size_t) (p - BufferBlocks);
	page = p - off % BLCKSZ;
	maxoff = Min(PageGetMaxOffsetNumber((Page) page), MaxHeapTuplesPerPage);
	for (OffsetNumber i = FirstOffsetNumber; i <= maxoff; i++)
	{
		ItemId		id = PageGetItemId((Page) page, i);
		Size		lo = ItemIdGetOffset(id);

		if (!ItemIdIsNormal(id) || p < page + lo || p >= page + lo + ItemIdGetLength(id))
			continue;
		rowlen = ItemIdGetLength(id);
		if (rowlen < MIN_ROW_BYTES)
			return;
		for (OffsetNumber j = i + 1; j <= maxoff; j++)
		{
			id = PageGetItemId((Page) page, j);
			lo = ItemIdGetOffset(id);
			if (ItemIdIsNormal(id) && lo + ItemIdGetLength(id) <= BLCKSZ)
			{
				dtx_prefetch(page + lo, ItemIdGetLength(id), 0);
				return;
			}
		}
		break;
	}
	if (rowlen < MIN_ROW_BYTES || off / BLCKSZ + 1 >= (size_t) NBuffers)
		return;
	/* last row here: guess the next buffer, its header and its first row */
	dtx_prefetch(page + BLCKSZ, 128, 0);
	dtx_prefetch(page + 2 * BLCKSZ - MAXALIGN(rowlen), MAXALIGN(rowlen), 0);
}
