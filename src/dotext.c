/*
 * dotext.c: module magic and _PG_init.
 *
 * _PG_init only defines GUCs.  It never loads OpenBLAS or CUDA: this code
 * may run in the postmaster (shared_preload_libraries), and thread pools or
 * a CUDA context do not survive fork().  Both are opened lazily in a
 * backend on first use.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "device.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	dotext_device_define_gucs();
	MarkGUCPrefixReserved("dotext");
}
