/*
 * dotext.c: module magic and _PG_init.
 *
 * _PG_init only defines GUCs and the kernels' cancel hook.  It never loads OpenBLAS or CUDA: this code
 * may run in the postmaster (shared_preload_libraries), and thread pools or
 * a CUDA context do not survive fork().  Both are opened lazily in a
 * backend on first use.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "device.h"
#include "kern_poll.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* the kernels' cancel poll (kern_poll.h): raises the cancel error, if any */
static void
dotext_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

void
_PG_init(void)
{
	dtx_interrupt_hook = dotext_check_interrupts;
	dotext_device_define_gucs();
	MarkGUCPrefixReserved("dotext");
}
