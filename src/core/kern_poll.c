/*
 * kern_poll.c: the cancel hook of the kernels (see kern_poll.h).
 */
#include "kern_poll.h"

#include <stddef.h>

void		(*dtx_interrupt_hook) (void) = NULL;
