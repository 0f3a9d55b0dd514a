/*
 * heap_prefetch.h: prefetch the table row a sequential scan hands over next.
 */
#ifndef DOTEXT_HEAP_PREFETCH_H
#define DOTEXT_HEAP_PREFETCH_H

extern void PrefetchNextHeapRow(const void *datum);

#endif
