/*
 * harness.c: correctness and timing of the GPU library (cuda/) against the
 * CPU kernels (src/core), with no PostgreSQL.  For the lent GPU machine:
 *   bash test/gpu/run.sh
 * Exit status: 0 all passed, 1 a case failed, 77 no usable GPU (skipped).
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cuda_runtime_api.h>

#include "blas.h"
#include "dotext_cuda.h"
#include "kern_simd.h"
#include "kernels.h"
#include "shape.h"

static const DotextCudaApi *gpu;
static int	passed,
			failed;
static char err[512];
static uint64_t rng = 7;

static double
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double) ((rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0 * 2 - 1;
}

static void *
rand_data(int dtype, int64_t n)
{
	void	   *p = malloc((n ? n : 1) * dtx_elem_size(dtype));

	for (int64_t i = 0; i < n; i++)
	{
		if (dtype == DTX_FLOAT32)
			((float *) p)[i] = (float) rnd();
		else
			((double *) p)[i] = rnd();
	}
	return p;
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static void
report(int ok, const char *fmt, ...)
{
	va_list		ap;

	(ok ? passed++ : failed++);
	printf("%s ", ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* poison: NaN everywhere, so an output the GPU forgot to write fails */
static void
poison(void *p, size_t bytes)
{
	memset(p, 0xff, bytes);
}

static int
close_rel(double got, double want, double scale, double tol)
{
	return fabs(got - want) <= tol * (fabs(want) + scale) || (isnan(got) && isnan(want));
}

static double
getv(int dtype, const void *p, int64_t i)
{
	return dtype == DTX_FLOAT32 ? ((const float *) p)[i] : ((const double *) p)[i];
}

static void
check_rows(int dtype, int andim, const int64_t *ad, int bndim, const int64_t *bd, int cosine)
{
	DtxRowSpec	spec;
	int			ond;
	int64_t		od[16];
	int64_t		na = dtx_numel(andim, ad, INT64_MAX),
				nb = dtx_numel(bndim, bd, INT64_MAX);

	if (dtx_rows_plan(andim, ad, bndim, bd, &spec, &ond, od) != DTX_SHAPE_OK)
		return;
	int64_t		nr = dtx_numel(ond, od, INT64_MAX);
	int			osz = cosine && dtype != DTX_FLOAT32 ? 8 : (int) dtx_elem_size(dtype);
	void	   *a = rand_data(dtype, na),
			   *b = rand_data(dtype, nb),
			   *g = malloc(nr * osz + 8),
			   *c = malloc(nr * osz + 8);
	int			st,
				ok = 1;
	double		tol = dtype == DTX_FLOAT32 ? 1e-5 : 1e-12;

	poison(g, nr * osz);
	st = gpu->rowdot(dtype, &spec, a, spec.n ? na / spec.n : 0, b, spec.n ? nb / spec.n : 0, g, cosine,
					 NULL, NULL, err, sizeof(err));
	(cosine ? dtx_rowcosine : dtx_rowdot) (dtype, &spec, a, b, c, 0, nr);
	for (int64_t r = 0; r < nr && st == DCU_OK; r++)
		ok &= close_rel(getv(cosine && dtype != DTX_FLOAT32 ? DTX_FLOAT64 : dtype, g, r),
						getv(cosine && dtype != DTX_FLOAT32 ? DTX_FLOAT64 : dtype, c, r),
						cosine ? 1 : sqrt((double) spec.n), tol);
	report(st == DCU_OK && ok, "%s %s a=%lldx%lld b rows=%lld n=%lld%s", cosine ? "rowcosine" : "rowdot",
		   dtype == DTX_FLOAT32 ? "float32" : "float64", (long long) (spec.n ? na / spec.n : 0),
		   (long long) spec.n, (long long) (spec.n ? nb / spec.n : 0), (long long) spec.n,
		   st == DCU_OK ? "" : err);
	free(a);
	free(b);
	free(g);
	free(c);
}

static void
check_all(void)
{
	int64_t		ns[] = {1, 31, 257, 1000, 4097};

	for (int dt = DTX_FLOAT32; dt <= DTX_FLOAT64; dt++)
	{
		for (int i = 0; i < 5; i++)
		{
			int64_t		n = ns[i];
			void	   *a = rand_data(dt, n * 100),
					   *b = rand_data(dt, n * 100);
			double		g = NAN,
						c;
			int			st = gpu->dot(dt, a, b, n * 100, &g, err, sizeof(err));

			dtx_dot(dt, a, b, n * 100, &c);
			report(st == DCU_OK && close_rel(g, c, sqrt(n * 100.0), dt == DTX_FLOAT32 ? 1e-5 : 1e-12),
				   "dot %s n=%lld", dt == DTX_FLOAT32 ? "float32" : "float64", (long long) n * 100);
			free(a);
			free(b);
		}
		for (int i = 0; i < 5; i++)
			for (int cos = 0; cos <= 1; cos++)
			{
				int64_t		bn[] = {ns[i], 257}, v[] = {257}, b1n[] = {3, 1, 257}, cn[] = {ns[i] % 7 + 1, 257};

				check_rows(dt, 2, bn, 1, v, cos);
				check_rows(dt, 1, v, 2, bn, cos);
				check_rows(dt, 2, bn, 2, bn, cos);
				check_rows(dt, 3, b1n, 2, cn, cos);
			}
		for (int i = 0; i < 4; i++)
			for (int norm = 0; norm <= 1; norm++)
			{
				int64_t		B = ns[i] % 9 + 1,
							M = ns[i] % 33 + 1,
							K = ns[(i + 1) % 5] % 300 + 1,
							P = ns[(i + 2) % 5] % 65 + 1;
				void	   *x = rand_data(dt, B * M * K),
						   *y = rand_data(dt, B * K * P),
						   *g = malloc(B * M * P * 8),
						   *c = malloc(B * M * P * 8);
				int			st,
							ok = 1;

				poison(g, B * M * P * dtx_elem_size(dt));
				st = gpu->batch_matmul(dt, B, M, K, P, x, y, g, norm, NULL, NULL, err, sizeof(err));
				if (norm)
				{
					double	   *ynorm = malloc((P + 1) * 8);

					dtx_batch_matmul_normalized(dt, M, K, P, x, y, c, 0, B, ynorm);
					free(ynorm);
				}
				else
					dtx_batch_matmul(dt, M, K, P, x, y, c, 0, B);
				for (int64_t t = 0; t < B * M * P && st == DCU_OK; t++)
					ok &= close_rel(getv(dt, g, t), getv(dt, c, t), sqrt((double) K), dt == DTX_FLOAT32 ? 1e-5 : 1e-12);
				report(st == DCU_OK && ok, "batch_matmul%s %s B=%lld M=%lld K=%lld P=%lld %s",
					   norm ? " normalized" : "", dt == DTX_FLOAT32 ? "float32" : "float64",
					   (long long) B, (long long) M, (long long) K, (long long) P, st == DCU_OK ? "" : err);
				free(x);
				free(y);
				free(g);
				free(c);
			}
	}
	{
		int64_t		nr = 4097,
					nq = 31,
					d = 257;
		float	   *r = rand_data(DTX_FLOAT32, nr * d),
				   *q = rand_data(DTX_FLOAT32, nq * d),
				   *g = malloc(nr * nq * 4),
				   *c = malloc(nr * nq * 4);
		int			ok = 1,
					st;

		for (int pass = 0; pass < 2; pass++)
		{
			/* the second pass forces many chunks through a tiny device budget */
			gpu->set_chunk_bytes(pass ? 64 * 1024 : 0);
			poison(g, nr * nq * 4);
			st = gpu->scores_f32(r, nr, q, nq, d, g, NULL, NULL, err, sizeof(err));
			dtx_scores_f32(r, nr, q, nq, d, c);
			for (int64_t t = 0; t < nr * nq && st == DCU_OK; t++)
				ok &= close_rel(g[t], c[t], sqrt((double) d), 1e-5);
			report(st == DCU_OK && ok, "scores_f32 %lld rows x %lld queries x %lld%s", (long long) nr,
				   (long long) nq, (long long) d, pass ? " in 64 KiB chunks" : "");
		}
		{
			int64_t		bn[] = {nr, d}, v[] = {d};

			gpu->set_chunk_bytes(64 * 1024);
			check_rows(DTX_FLOAT32, 2, bn, 1, v, 0);
			check_rows(DTX_FLOAT32, 1, v, 2, bn, 1);
			gpu->set_chunk_bytes(0);
		}
		free(r);
		free(q);
		free(g);
		free(c);
	}
}

static int	stop_calls;
static int
stop_now(void *arg)
{
	stop_calls++;
	return 1;
}

static void
check_cancel(void)
{
	int64_t		nr = 20000,
				d = 256;
	float	   *r = rand_data(DTX_FLOAT32, nr * d),
			   *q = rand_data(DTX_FLOAT32, d),
			   *g = malloc(nr * 4);
	int			st;

	gpu->set_chunk_bytes(256 * 1024);
	st = gpu->scores_f32(r, nr, q, 1, d, g, stop_now, NULL, err, sizeof(err));
	gpu->set_chunk_bytes(0);
	report(st == DCU_CANCELLED && stop_calls == 1, "cancel callback stops between chunks (status %d)", st);
	free(r);
	free(q);
	free(g);
}

static int
cmpd(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

#define MEDIAN(n, expr) ({ double t_[n]; for (int r_ = 0; r_ < n; r_++) { double t0_ = now(); expr; t_[r_] = now() - t0_; } qsort(t_, n, sizeof(double), cmpd); t_[n / 2]; })

static void
timings(void)
{
	size_t		bytes = 256 << 20;
	void	   *pinned,
			   *pageable = malloc(bytes),
			   *dev;

	memset(pageable, 1, bytes);
	cudaMallocHost(&pinned, bytes);
	cudaMalloc(&dev, bytes);
	double		h2d_pin = MEDIAN(5, cudaMemcpy(dev, pinned, bytes, cudaMemcpyHostToDevice));
	double		h2d_page = MEDIAN(5, cudaMemcpy(dev, pageable, bytes, cudaMemcpyHostToDevice));
	double		d2h_pin = MEDIAN(5, cudaMemcpy(pinned, dev, bytes, cudaMemcpyDeviceToHost));

	printf("\ncopy bandwidth (256 MiB): H2D pinned %.1f GB/s, H2D pageable %.1f GB/s, D2H pinned %.1f GB/s\n",
		   bytes / h2d_pin / 1e9, bytes / h2d_page / 1e9, bytes / d2h_pin / 1e9);
	cudaFreeHost(pinned);
	cudaFree(dev);
	free(pageable);

	printf("\n| work | CPU ms | GPU ms (transfers included) | GPU faster |\n| --- | ---: | ---: | --- |\n");
	for (int64_t B = 1000; B <= 1000000; B *= 10)
	{
		int64_t		D = 768,
					ad[] = {B, D},
					v[] = {D},
					od[16];
		int			ond;
		DtxRowSpec	spec;
		float	   *a = rand_data(DTX_FLOAT32, B * D),
				   *q = rand_data(DTX_FLOAT32, 100 * D),
				   *o = malloc(B * 100 * 4);

		dtx_rows_plan(2, ad, 1, v, &spec, &ond, od);
		double		c = MEDIAN(5, dtx_rowdot(DTX_FLOAT32, &spec, a, q, o, 0, B));
		double		g = MEDIAN(5, gpu->rowdot(DTX_FLOAT32, &spec, a, B, q, 1, o, 0, NULL, NULL, err, sizeof(err)));

		printf("| rowdot (%lld,768)x(768) | %.2f | %.2f | %s |\n", (long long) B, c * 1e3, g * 1e3, g < c ? "yes" : "no");
		c = MEDIAN(3, dtx_scores_f32(a, B, q, 100, D, o));
		g = MEDIAN(3, gpu->scores_f32(a, B, q, 100, D, o, NULL, NULL, err, sizeof(err)));
		printf("| scores 100 x (%lld,768) | %.2f | %.2f (%.0f GFLOP/s) | %s |\n", (long long) B, c * 1e3, g * 1e3,
			   2.0 * 100 * B * D / g / 1e9, g < c ? "yes" : "no");
		free(a);
		free(q);
		free(o);
	}
	{
		int64_t		M = 4096;
		float	   *x = rand_data(DTX_FLOAT32, M * M),
				   *o = malloc(M * M * 4);
		double		g = MEDIAN(3, gpu->batch_matmul(DTX_FLOAT32, 1, M, M, M, x, x, o, 0, NULL, NULL, err, sizeof(err)));

		printf("\ncuBLAS SGEMM 4096^3 through batch_matmul, transfers included: %.1f GFLOP/s\n", 2.0 * M * M * M / g / 1e9);
		free(x);
		free(o);
	}
}

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "cuda/libdotext_cuda.so";
	void	   *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	const DotextCudaApi *(*get) (void);
	char		info[256];

	if (!h)
	{
		printf("SKIP: cannot load %s: %s\n", path, dlerror());
		return 77;
	}
	get = (const DotextCudaApi *(*) (void)) dlsym(h, "dotext_cuda_api");
	gpu = get ? get() : NULL;
	if (!gpu || gpu->abi_version != DOTEXT_CUDA_ABI)
	{
		printf("FAIL: %s has no matching dotext_cuda_api\n", path);
		return 1;
	}
	if (gpu->probe(info, sizeof(info)) != DCU_OK)
	{
		printf("SKIP: %s\n", info);
		return 77;
	}
	printf("device: %s\nCPU kernels: %s, BLAS: %s\n\n", info, dtx_simd_name(), dtx_blas_info());
	check_all();
	check_cancel();
	printf("\n%d passed, %d failed\n", passed, failed);
	if (argc > 2 && strcmp(argv[2], "--time") == 0)
		timings();
	return failed ? 1 : 0;
}
