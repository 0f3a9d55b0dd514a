/*
 * membw.c: this machine's memory read bandwidth on one core, the floor
 * under any scan of stored embeddings.  Sums a 1 GiB array of doubles
 * with AVX-512 (or AVX2) loads and several independent accumulators;
 * prints the median of 9 passes.
 *
 * --scattered MiB POOL_MiB reads MiB in 8 kB blocks that lie in shuffled
 * order in a shared mapping of POOL_MiB, as a flat index's pages lie in
 * shared buffers that have been in use: the floor under a scan of such a
 * pool.  It reads the blocks as src/flat_read.c does (the next block into
 * L1, one line of each 4 kB page of the block DTX_PAGES_AHEAD ahead into
 * L2), the fastest of the ways tried (README, "flat index").
 *
 *   cc -O2 -I../../src/core -o membw membw.c
 *   ./membw [MiB]
 *   ./membw --scattered MiB POOL_MiB
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "prefetch.h"

#define BLOCK 8192

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((target("avx512f")))
static double
sum512(const double *p, size_t n)
{
	__m512d		a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;

	for (size_t i = 0; i + 32 <= n; i += 32)
	{
		a0 = _mm512_add_pd(a0, _mm512_load_pd(p + i));
		a1 = _mm512_add_pd(a1, _mm512_load_pd(p + i + 8));
		a2 = _mm512_add_pd(a2, _mm512_load_pd(p + i + 16));
		a3 = _mm512_add_pd(a3, _mm512_load_pd(p + i + 24));
	}
	return _mm512_reduce_add_pd(_mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3)));
}

__attribute__((target("avx2")))
static double
sum256(const double *p, size_t n)
{
	__m256d		a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
	double		t[4];

	for (size_t i = 0; i + 16 <= n; i += 16)
	{
		a0 = _mm256_add_pd(a0, _mm256_load_pd(p + i));
		a1 = _mm256_add_pd(a1, _mm256_load_pd(p + i + 4));
		a2 = _mm256_add_pd(a2, _mm256_load_pd(p + i + 8));
		a3 = _mm256_add_pd(a3, _mm256_load_pd(p + i + 12));
	}
	_mm256_storeu_pd(t, _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
	return t[0] + t[1] + t[2] + t[3];
}

static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

/* nblocks blocks of the pool in the order of slot[] */
static double
sum_blocks(const char *pool, const size_t *slot, size_t nblocks, int wide)
{
	double		s = 0;

	for (size_t i = 0; i < nblocks; i++)
	{
		const double *p = (const double *) (pool + slot[i] * BLOCK);

		if (i + 1 < nblocks)
			dtx_prefetch(pool + slot[i + 1] * BLOCK, BLOCK, 1);
		if (i + DTX_PAGES_AHEAD < nblocks)
			dtx_prefetch_pages(pool + slot[i + DTX_PAGES_AHEAD] * BLOCK, BLOCK);
		s += wide ? sum512(p, BLOCK / 8) : sum256(p, BLOCK / 8);
	}
	return s;
}

static int
scattered(size_t mib, size_t pool_mib, int wide)
{
	size_t		npool = pool_mib * 1024 * 1024 / BLOCK,
				nblocks = mib * 1024 * 1024 / BLOCK;
	char	   *pool;
	size_t	   *slot;
	double		t[9],
				sink = 0;

	if (nblocks == 0 || nblocks > npool)
	{
		fprintf(stderr, "membw: --scattered needs 0 < MiB <= POOL_MiB\n");
		return 2;
	}
	/* shared, as shared buffers are: the same page size and placement */
	pool = mmap(NULL, npool * BLOCK, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	slot = malloc(npool * sizeof(size_t));
	if (pool == MAP_FAILED || slot == NULL)
	{
		fprintf(stderr, "membw: out of memory\n");
		return 1;
	}
	memset(pool, 1, npool * BLOCK);
	for (size_t i = 0; i < npool; i++)
		slot[i] = i;
	srand(1);
	for (size_t i = npool - 1; i > 0; i--)
	{
		size_t		j = (((size_t) rand() << 31) ^ (size_t) rand()) % (i + 1),
					x = slot[i];

		slot[i] = slot[j];
		slot[j] = x;
	}
	for (int r = 0; r < 9; r++)
	{
		double		t0 = now();

		sink += sum_blocks(pool, slot, nblocks, wide);
		t[r] = now() - t0;
	}
	qsort(t, 9, sizeof(double), cmp);
	printf("memory read bandwidth, one core, %zu MiB in 8 kB blocks scattered over %zu MiB, %s loads: median %.1f GB/s (min %.1f, max %.1f) [%g]\n",
		   mib, pool_mib, wide ? "AVX-512" : "AVX2", nblocks * BLOCK / t[4] / 1e9,
		   nblocks * BLOCK / t[8] / 1e9, nblocks * BLOCK / t[0] / 1e9, sink > 0 ? 0.0 : 1.0);
	munmap(pool, npool * BLOCK);
	free(slot);
	return 0;
}

int
main(int argc, char **argv)
{
	int			wide = __builtin_cpu_supports("avx512f");

	if (argc == 4 && strcmp(argv[1], "--scattered") == 0)
		return scattered(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10), wide);

	size_t		mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 1024;
	size_t		n = mib * 1024 * 1024 / sizeof(double);
	double	   *p = aligned_alloc(64, n * sizeof(double));
	double		t[9],
				sink = 0;

	memset(p, 1, n * sizeof(double));	/* touch every page first */
	for (int r = 0; r < 9; r++)
	{
		double		t0 = now();

		sink += wide ? sum512(p, n) : sum256(p, n);
		t[r] = now() - t0;
	}
	qsort(t, 9, sizeof(double), cmp);
	printf("memory read bandwidth, one core, %zu MiB, %s loads: median %.1f GB/s (min %.1f, max %.1f) [%g]\n",
		   mib, wide ? "AVX-512" : "AVX2", n * 8 / t[4] / 1e9, n * 8 / t[8] / 1e9,
		   n * 8 / t[0] / 1e9, sink > 0 ? 0.0 : 1.0);
	free(p);
	return 0;
}
