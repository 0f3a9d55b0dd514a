/*
 * device.h: where an operation runs (dotext.device) and the GPU library,
 * loaded lazily in a backend on first GPU use.
 */
#ifndef DOTEXT_DEVICE_H
#define DOTEXT_DEVICE_H

#include "postgres.h"

#include "dotext_cuda.h"

/* GUCs, defined from _PG_init */
void		dotext_device_define_gucs(void);

/*
 * The GPU library when an operation of work_elements elements should run
 * on the GPU, else NULL.  With dotext.device = 'gpu' and no usable GPU this
 * raises 55000.  Only operations with a GPU kernel for their dtype ask.
 */
const DotextCudaApi *dotext_gpu_for(int64 work_elements);

/* a non-OK status from the GPU library as an SQL error (53200 for memory) */
void		dotext_gpu_raise(int status, const char *err) pg_attribute_noreturn();

/* cancel check for the GPU library's chunk loop: never longjmps */
int			dotext_gpu_should_stop(void *arg);

#endif
