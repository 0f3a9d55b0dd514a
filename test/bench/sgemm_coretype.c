/*
 * sgemm_coretype.c: OpenBLAS sgemm speed by core type and thread count,
 * the measurement behind dotext's choice of OpenBLAS kernels (blas.c).
 *   ./build/sgemm_coretype [CORETYPE [THREADS]]   e.g. Haswell, SkylakeX, Cooperlake
 * Times 100 x 768 @ (4096 x 768)^T, the shape of topk's scoring, median of 15.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef DOTEXT_OPENBLAS_PATH
#define DOTEXT_OPENBLAS_PATH "libopenblas.so.0"
#endif

typedef void (*sgemm_fn) (int, int, int, int, int, int, float, const float *, int,
						  const float *, int, float, float *, int);

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

int
main(int argc, char **argv)
{
	int			M = 100,
				N = 4096,
				K = 768;
	double		t[15];
	void	   *h;
	sgemm_fn	sgemm;
	const char *(*corename) (void);
	float	   *a = malloc(4L * M * K),
			   *b = malloc(4L * K * N),
			   *o = malloc(4L * M * N);

	setenv("OPENBLAS_NUM_THREADS", argc > 2 ? argv[2] : "1", 1);
	if (argc > 1)
		setenv("OPENBLAS_CORETYPE", argv[1], 1);
	else
		unsetenv("OPENBLAS_CORETYPE");
	h = dlopen(DOTEXT_OPENBLAS_PATH, RTLD_NOW);
	if (!h)
		return fprintf(stderr, "%s\n", dlerror()), 1;
	sgemm = (sgemm_fn) dlsym(h, "cblas_sgemm");
	corename = (const char *(*) (void)) dlsym(h, "openblas_get_corename");
	for (long i = 0; i < (long) M * K; i++)
		a[i] = (i % 7) * 0.1f;
	for (long i = 0; i < (long) K * N; i++)
		b[i] = (i % 5) * 0.1f;
	for (int r = 0; r < 15; r++)
	{
		double		t0 = now();

		sgemm(101, 111, 112, M, N, K, 1, a, K, b, K, 0, o, N);
		t[r] = now() - t0;
	}
	qsort(t, 15, sizeof(double), cmp);
	printf("core %s, %s thread(s): sgemm 100x768 @ (4096x768)^T median %.2f ms, %.1f GFLOP/s\n",
		   corename(), getenv("OPENBLAS_NUM_THREADS"), t[7] * 1e3, 2.0 * M * N * K / t[7] / 1e9);
	return 0;
}
