/*
 * buffer_hint.c: a backend's memory of where it found a relation's blocks
 * in shared buffers.
 *
 * Every ReadBuffer and PrefetchBuffer of a block asks the shared buffer
 * mapping table, a hash table under partition locks.  With a large pool
 * its buckets and entries miss every cache level, and a scan that reads
 * pages of 8 kB at memory speed pays that look-up on each: about a third
 * of a flat index scan (README, "Flat index").  A ranking scan reads the
 * same relation again and again, and blocks mostly stay where they were,
 * so the buffer found last time is remembered per block and checked
 * against the buffer's tag: ReadRecentBuffer pins it and checks again
 * under the pin, and a prefetch from a stale hint costs a wasted hint.
 *
 * A few relations are remembered, the least recently asked for being
 * forgotten first; blocks past MAX_HINT_BLOCKS get none.  A relation given
 * a new file (TRUNCATE, VACUUM FULL, REINDEX) has a new RelFileNode and so
 * starts afresh.
 */
#include "postgres.h"

#include "storage/buf_internals.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"

#include "buffer_hint.h"

#define HINT_RELATIONS 4
/* 8 GB of relation, 4 MB of hints */
#define MAX_HINT_BLOCKS (1U << 20)

struct BufferHints
{
	RelFileNode node;
	uint32		nblocks;		/* length of buf */
	Buffer	   *buf;
	uint64		stamp;			/* when last asked for; 0: unused */
};

static BufferHints hints[HINT_RELATIONS];
static uint64 hint_clock;

BufferHints *
BufferHintsFor(RelFileNode node)
{
	BufferHints *oldest = &hints[0];

	for (int i = 0; i < HINT_RELATIONS; i++)
	{
		if (hints[i].stamp != 0 && RelFileNodeEquals(hints[i].node, node))
		{
			hints[i].stamp = ++hint_clock;
			return &hints[i];
		}
		if (hints[i].stamp < oldest->stamp)
			oldest = &hints[i];
	}
	if (oldest->buf)
		pfree(oldest->buf);
	oldest->node = node;
	oldest->nblocks = 0;
	oldest->buf = NULL;
	oldest->stamp = ++hint_clock;
	return oldest;
}

Buffer
BufferHintGet(BufferHints *h, BlockNumber b)
{
	Buffer		buf;
	BufferTag	tag;

	if (h == NULL || b >= h->nblocks)
		return InvalidBuffer;
	buf = h->buf[b];
	if (buf <= 0 || buf > NBuffers)
		return InvalidBuffer;
	/* an unlocked read: a torn or stale tag only makes a wrong hint */
	tag = ((volatile BufferDesc *) GetBufferDescriptor(buf - 1))->tag;
	if (tag.blockNum != b || tag.forkNum != MAIN_FORKNUM || !RelFileNodeEquals(tag.rnode, h->node))
		return InvalidBuffer;
	return buf;
}

void
BufferHintSet(BufferHints *h, BlockNumber b, Buffer buf)
{
	if (h == NULL || b >= MAX_HINT_BLOCKS || buf <= 0)
		return;					/* a local buffer (negative) is not shared */
	if (b >= h->nblocks)
	{
		uint32		n = Max(Max(b + 1, 1024), Min(2 * h->nblocks, MAX_HINT_BLOCKS));
		Buffer	   *grown;

		grown = MemoryContextAllocExtended(TopMemoryContext, n * sizeof(Buffer), MCXT_ALLOC_NO_OOM);
		if (grown == NULL)
			return;
		if (h->buf)
		{
			memcpy(grown, h->buf, h->nblocks * sizeof(Buffer));
			pfree(h->buf);
		}
		memset(grown + h->nblocks, 0, (n - h->nblocks) * sizeof(Buffer));
		h->buf = grown;
		h->nblocks = n;
	}
	h->buf[b] = buf;
}
