/*
 * kern_poll.h: how long kernel loops let the server check for query cancel.
 *
 * A kernel loop over user-sized work calls dtx_poll() with the work it just
 * did; every DTX_POLL_WORK units it calls dtx_interrupt_hook.  In the server
 * the hook is CHECK_FOR_INTERRUPTS(), which may not return (it raises the
 * cancel error): so a kernel holds no malloc'd memory, lock or half-written
 * shared state across a poll.  The hook is never called from OpenBLAS or
 * other threads; callers bound each BLAS call's size instead.  In unit tests
 * and fuzz targets the hook is NULL.
 */
#ifndef DOTEXT_KERN_POLL_H
#define DOTEXT_KERN_POLL_H

#include <stdint.h>

/* multiply-adds (or elements copied) between two checks: well under 1 ms */
#define DTX_POLL_WORK ((int64_t) 1 << 20)

extern void (*dtx_interrupt_hook) (void);

typedef struct DtxPoll
{
	int64_t		left;
} DtxPoll;

#define DTX_POLL_INIT {DTX_POLL_WORK}

static inline void
dtx_poll(DtxPoll *p, int64_t work)
{
	p->left -= work;
	if (p->left <= 0)
	{
		p->left = DTX_POLL_WORK;
		if (dtx_interrupt_hook)
			dtx_interrupt_hook();
	}
}

#endif
