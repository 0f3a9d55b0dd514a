/*
 * bench_kernels.c: the bare CPU kernels at the sizes the issues quote,
 * medians of 15 runs.
 *   rowdot (100000,768) x (768) float32    (GB/s of tensor data read)
 *   dot of 100K float32 elements
 *   top-10 of 100 queries x 100000 rows x 768 (sgemm filter + exact rescoring)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "blas.h"
#include "kern_simd.h"
#include "kernels.h"
#include "shape.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static float *
randf(int64_t n, unsigned seed)
{
	float	   *p = malloc(n * sizeof(float));

	srand(seed);
	for (int64_t i = 0; i < n; i++)
		p[i] = (float) rand() / RAND_MAX * 2 - 1;
	return p;
}

#define RUNS 15
#define MEDIAN(expr) ({ double t_[RUNS]; for (int r_ = 0; r_ < RUNS; r_++) { double t0_ = now(); expr; t_[r_] = now() - t0_; } qsort(t_, RUNS, sizeof(double), cmp); t_[RUNS / 2]; })

int
main(void)
{
	int64_t		B = 100000,
				D = 768,
				Q = 100,
				K = 10;
	float	   *rows = randf(B * D, 1),
			   *q = randf(Q * D, 2),
			   *out = malloc(B * sizeof(float)),
			   *scratch = malloc(Q * 4096 * sizeof(float));
	int64_t		adims[] = {B, D},
				bdims[] = {D},
				odims[16];
	DtxRowSpec	spec;
	int			ondim;
	double		t,
				d;

	printf("kernels: %s loops, BLAS: %s\n", dtx_simd_name(), dtx_blas_info());
	dtx_rows_plan(2, adims, 1, bdims, &spec, &ondim, odims);
	t = MEDIAN(dtx_rowdot(DTX_FLOAT32, &spec, rows, q, out, 0, B));
	printf("rowdot (%lld,%lld)x(%lld) float32: median %.2f ms, %.1f GB/s of rows read\n",
		   (long long) B, (long long) D, (long long) D, t * 1e3, B * D * 4 / t / 1e9);
	t = MEDIAN(dtx_dot(DTX_FLOAT32, rows, rows + 100000, 100000, &d));
	printf("dot of 100000 float32: median %.1f us, %.1f GB/s\n", t * 1e6, 2 * 100000 * 4 / t / 1e9);
	{
		double		sc[100 * 10];
		int64_t		id[100 * 10];
		DtxTopK		h[100];

		t = MEDIAN(({
			for (int64_t i = 0; i < Q; i++)
				dtx_topk_init(&h[i], K, sc + i * K, id + i * K);
			for (int64_t r0 = 0; r0 < B; r0 += 4096)
				dtx_topk_scan_f32(rows + r0 * D, B - r0 < 4096 ? B - r0 : 4096, NULL, r0, q, Q, D, scratch, h);
		}));
		printf("top-10 of %lld queries x %lld rows x %lld: median %.1f ms, %.1f GFLOP/s (sgemm filter + exact rescoring)\n",
			   (long long) Q, (long long) B, (long long) D, t * 1e3, 2.0 * Q * B * D / t / 1e9);
	}
	return 0;
}
