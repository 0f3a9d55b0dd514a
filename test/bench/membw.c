/*
 * membw.c: this machine's memory read bandwidth on one core, the floor
 * under any scan of stored embeddings.  Sums a 1 GiB array of doubles
 * with AVX-512 (or AVX2) loads and several independent accumulators;
 * prints the median of 9 passes.
 *
 *   cc -O2 -o membw membw.c && ./membw [MiB]
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int
main(int argc, char **argv)
{
	size_t		mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 1024;
	size_t		n = mib * 1024 * 1024 / sizeof(double);
	double	   *p = aligned_alloc(64, n * sizeof(double));
	double		t[9],
				sink = 0;
	int			wide = __builtin_cpu_supports("avx512f");

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
