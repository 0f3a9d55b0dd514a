/*
 * buffer_hint.h: which shared buffer held a block of a relation when this
 * backend last read it, so that a scan that comes back to the same pages
 * finds them without the buffer mapping table.
 */
#ifndef DOTEXT_BUFFER_HINT_H
#define DOTEXT_BUFFER_HINT_H

#include "storage/block.h"
#include "storage/buf.h"
#include "storage/relfilenode.h"

typedef struct BufferHints BufferHints;

/* the hints of a relation's main fork (of a few relations, the least recently asked for is forgotten) */
extern BufferHints *BufferHintsFor(RelFileNode node);

/*
 * The buffer that held block b last time, if its tag still names the
 * block; read without a lock, so it is a hint: pin it with
 * ReadRecentBuffer, which checks again, or only prefetch from it.
 */
extern Buffer BufferHintGet(BufferHints *h, BlockNumber b);

extern void BufferHintSet(BufferHints *h, BlockNumber b, Buffer buf);

#endif
