/*
 * device.h: where an operation runs (dotext.device) and the GPU library,
 * loaded lazily in a backend on first GPU use.
 */
#ifndef DOTEXT_DEVICE_H
#define DOTEXT_DEVICE_H

#include "postgres.h"

/* GUCs, defined from _PG_init */
void		dotext_device_define_gucs(void);

/*
 * True when an operation of work_elements elements should run on the GPU.
 * With dotext.device = 'gpu' and no usable GPU this raises 55000.
 */
bool		dotext_use_gpu(int64 work_elements);

#endif
