/*
 * prefetch.h: ask the memory system for a range of bytes ahead of use.
 *
 * A prefetch never faults, so a range may be a guess.  GCC 12 deletes a
 * loop of __builtin_prefetch whose results it cannot see used, hence the
 * volatile asm on x86.
 */
#ifndef DOTEXT_PREFETCH_H
#define DOTEXT_PREFETCH_H

#include <stddef.h>

/*
 * to_l1: for data the very next instructions read.  Otherwise into L2
 * only, for data needed a little later: on Zen 4/5 the L1 has few miss
 * buffers and L2 many, so rows prefetched this way keep more misses in
 * flight (test/bench/heap_walk.c: about 1.7x on a heap-page walk).
 */
static inline void
dtx_prefetch(const void *p, size_t bytes, int to_l1)
{
	for (size_t off = 0; off < bytes; off += 64)
	{
		const char *c = (const char *) p + off;

#if defined(__x86_64__)
		if (to_l1)
			__asm__ volatile("prefetcht0 %0"::"m"(*c));
		else
			__asm__ volatile("prefetcht1 %0"::"m"(*c));
#else
		if (to_l1)
			__builtin_prefetch(c, 0, 3);
		else
			__builtin_prefetch(c, 0, 2);
#endif
	}
}

/*
 * One line of each 4 kB page of a range into L2: for memory read a few
 * pages later.  The page walk and the first DRAM access start early, and
 * the hardware prefetcher, which stops at every 4 kB page, starts from
 * there, for two prefetch instructions where a whole 8 kB page takes 128.
 * For 8 kB blocks scattered in memory: DTX_PAGES_AHEAD blocks ahead of
 * the one read (the distances tried: README, "flat index").
 */
#define DTX_PAGES_AHEAD 8

static inline void
dtx_prefetch_pages(const void *p, size_t bytes)
{
	for (size_t off = 0; off < bytes; off += 4096)
	{
		const char *c = (const char *) p + off;

#if defined(__x86_64__)
		__asm__ volatile("prefetcht1 %0"::"m"(*c));
#else
		__builtin_prefetch(c, 0, 2);
#endif
	}
}

/*
 * A row about to be read once, cold from shared buffers (one dot per table
 * row): all of its cache lines asked for up front keep many misses in
 * flight, where the hardware prefetcher stops at every 4 kB page.  Small
 * rows are not worth the loop; streaming kernels (rowdot) need no help.
 */
static inline void
dtx_prefetch_row(const void *p, size_t bytes)
{
	if (bytes >= 1024)
		dtx_prefetch(p, bytes < 65536 ? bytes : 65536, 1);
}

#endif
