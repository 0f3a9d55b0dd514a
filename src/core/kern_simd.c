/*
 * kern_simd.c: dot loops with runtime dispatch (see kern_simd.h).
 */
#include "kern_simd.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DTX_X86 1
#endif

static double
f32dot_generic(const float *a, const float *b, int64_t n)
{
	double		s0 = 0,
				s1 = 0,
				s2 = 0,
				s3 = 0;
	int64_t		i = 0;

	for (; i + 4 <= n; i += 4)
	{
		s0 += (double) a[i] * b[i];
		s1 += (double) a[i + 1] * b[i + 1];
		s2 += (double) a[i + 2] * b[i + 2];
		s3 += (double) a[i + 3] * b[i + 3];
	}
	for (; i < n; i++)
		s0 += (double) a[i] * b[i];
	return (s0 + s1) + (s2 + s3);
}

static void
f32dot3_generic(const float *a, const float *b, int64_t n, double *ab, double *aa, double *bb)
{
	double		s = 0,
				x = 0,
				y = 0;

	for (int64_t i = 0; i < n; i++)
	{
		s += (double) a[i] * b[i];
		x += (double) a[i] * a[i];
		y += (double) b[i] * b[i];
	}
	*ab = s;
	*aa = x;
	*bb = y;
}

static double
f64dot_generic(const double *a, const double *b, int64_t n)
{
	double		s0 = 0,
				s1 = 0,
				s2 = 0,
				s3 = 0;
	int64_t		i = 0;

	for (; i + 4 <= n; i += 4)
	{
		s0 += a[i] * b[i];
		s1 += a[i + 1] * b[i + 1];
		s2 += a[i + 2] * b[i + 2];
		s3 += a[i + 3] * b[i + 3];
	}
	for (; i < n; i++)
		s0 += a[i] * b[i];
	return (s0 + s1) + (s2 + s3);
}

#ifdef DTX_X86
__attribute__((target("avx2,fma")))
static double
f32dot_avx2(const float *a, const float *b, int64_t n)
{
	__m256d		acc0 = _mm256_setzero_pd(),
				acc1 = _mm256_setzero_pd(),
				acc2 = _mm256_setzero_pd(),
				acc3 = _mm256_setzero_pd();
	int64_t		i = 0;
	double		t[4];

	for (; i + 16 <= n; i += 16)
	{
		__m256		va = _mm256_loadu_ps(a + i),
					vb = _mm256_loadu_ps(b + i),
					wa = _mm256_loadu_ps(a + i + 8),
					wb = _mm256_loadu_ps(b + i + 8);

		acc0 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(va)),
							   _mm256_cvtps_pd(_mm256_castps256_ps128(vb)), acc0);
		acc1 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(va, 1)),
							   _mm256_cvtps_pd(_mm256_extractf128_ps(vb, 1)), acc1);
		acc2 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(wa)),
							   _mm256_cvtps_pd(_mm256_castps256_ps128(wb)), acc2);
		acc3 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(wa, 1)),
							   _mm256_cvtps_pd(_mm256_extractf128_ps(wb, 1)), acc3);
	}
	acc0 = _mm256_add_pd(_mm256_add_pd(acc0, acc1), _mm256_add_pd(acc2, acc3));
	_mm256_storeu_pd(t, acc0);
	return (t[0] + t[1]) + (t[2] + t[3]) + f32dot_generic(a + i, b + i, n - i);
}

__attribute__((target("avx2,fma")))
static double
f64dot_avx2(const double *a, const double *b, int64_t n)
{
	__m256d		acc0 = _mm256_setzero_pd(),
				acc1 = _mm256_setzero_pd();
	int64_t		i = 0;
	double		t[4];

	for (; i + 8 <= n; i += 8)
	{
		acc0 = _mm256_fmadd_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i), acc0);
		acc1 = _mm256_fmadd_pd(_mm256_loadu_pd(a + i + 4), _mm256_loadu_pd(b + i + 4), acc1);
	}
	_mm256_storeu_pd(t, _mm256_add_pd(acc0, acc1));
	return (t[0] + t[1]) + (t[2] + t[3]) + f64dot_generic(a + i, b + i, n - i);
}

/* 8 floats at a time, loaded and widened in one instruction (vcvtps2pd zmm, m256) */
__attribute__((target("avx512f")))
static double
f32dot_avx512(const float *a, const float *b, int64_t n)
{
	__m512d		acc0 = _mm512_setzero_pd(),
				acc1 = _mm512_setzero_pd(),
				acc2 = _mm512_setzero_pd(),
				acc3 = _mm512_setzero_pd();
	int64_t		i = 0;

	for (; i + 32 <= n; i += 32)
	{
		acc0 = _mm512_fmadd_pd(_mm512_cvtps_pd(_mm256_loadu_ps(a + i)),
							   _mm512_cvtps_pd(_mm256_loadu_ps(b + i)), acc0);
		acc1 = _mm512_fmadd_pd(_mm512_cvtps_pd(_mm256_loadu_ps(a + i + 8)),
							   _mm512_cvtps_pd(_mm256_loadu_ps(b + i + 8)), acc1);
		acc2 = _mm512_fmadd_pd(_mm512_cvtps_pd(_mm256_loadu_ps(a + i + 16)),
							   _mm512_cvtps_pd(_mm256_loadu_ps(b + i + 16)), acc2);
		acc3 = _mm512_fmadd_pd(_mm512_cvtps_pd(_mm256_loadu_ps(a + i + 24)),
							   _mm512_cvtps_pd(_mm256_loadu_ps(b + i + 24)), acc3);
	}
	for (; i + 8 <= n; i += 8)
		acc0 = _mm512_fmadd_pd(_mm512_cvtps_pd(_mm256_loadu_ps(a + i)),
							   _mm512_cvtps_pd(_mm256_loadu_ps(b + i)), acc0);
	acc0 = _mm512_add_pd(_mm512_add_pd(acc0, acc1), _mm512_add_pd(acc2, acc3));
	return _mm512_reduce_add_pd(acc0) + f32dot_generic(a + i, b + i, n - i);
}

__attribute__((target("avx512f")))
static void
f32dot3_avx512(const float *a, const float *b, int64_t n, double *ab, double *aa, double *bb)
{
	__m512d		s0 = _mm512_setzero_pd(), s1 = s0, x0 = s0, x1 = s0, y0 = s0, y1 = s0;
	int64_t		i = 0;
	double		t1,
				t2,
				t3;

	for (; i + 16 <= n; i += 16)
	{
		__m512d		va = _mm512_cvtps_pd(_mm256_loadu_ps(a + i)),
					vb = _mm512_cvtps_pd(_mm256_loadu_ps(b + i)),
					wa = _mm512_cvtps_pd(_mm256_loadu_ps(a + i + 8)),
					wb = _mm512_cvtps_pd(_mm256_loadu_ps(b + i + 8));

		s0 = _mm512_fmadd_pd(va, vb, s0);
		x0 = _mm512_fmadd_pd(va, va, x0);
		y0 = _mm512_fmadd_pd(vb, vb, y0);
		s1 = _mm512_fmadd_pd(wa, wb, s1);
		x1 = _mm512_fmadd_pd(wa, wa, x1);
		y1 = _mm512_fmadd_pd(wb, wb, y1);
	}
	f32dot3_generic(a + i, b + i, n - i, &t1, &t2, &t3);
	*ab = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1)) + t1;
	*aa = _mm512_reduce_add_pd(_mm512_add_pd(x0, x1)) + t2;
	*bb = _mm512_reduce_add_pd(_mm512_add_pd(y0, y1)) + t3;
}

__attribute__((target("avx512f")))
static double
f64dot_avx512(const double *a, const double *b, int64_t n)
{
	__m512d		acc0 = _mm512_setzero_pd(),
				acc1 = _mm512_setzero_pd();
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
	{
		acc0 = _mm512_fmadd_pd(_mm512_loadu_pd(a + i), _mm512_loadu_pd(b + i), acc0);
		acc1 = _mm512_fmadd_pd(_mm512_loadu_pd(a + i + 8), _mm512_loadu_pd(b + i + 8), acc1);
	}
	return _mm512_reduce_add_pd(_mm512_add_pd(acc0, acc1)) +
		f64dot_generic(a + i, b + i, n - i);
}
#endif

dtx_f32dot_fn dtx_f32dot = NULL;
dtx_f32dot3_fn dtx_f32dot3 = NULL;
dtx_f64dot_fn dtx_f64dot = NULL;
static const char *simd_name = "generic";
static int	force_generic = 0;

void
dtx_simd_init(void)
{
	if (dtx_f32dot)
		return;
	dtx_f32dot = f32dot_generic;
	dtx_f32dot3 = f32dot3_generic;
	dtx_f64dot = f64dot_generic;
	simd_name = "generic";
	if (force_generic)
		return;
#ifdef DTX_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
	{
		dtx_f32dot = f32dot_avx512;
		dtx_f32dot3 = f32dot3_avx512;
		dtx_f64dot = f64dot_avx512;
		simd_name = "avx512";
	}
	else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
	{
		dtx_f32dot = f32dot_avx2;
		dtx_f64dot = f64dot_avx2;
		simd_name = "avx2";
	}
#endif
}

const char *
dtx_simd_name(void)
{
	dtx_simd_init();
	return simd_name;
}

void
dtx_simd_force_generic(int on)
{
	force_generic = on;
	dtx_f32dot = NULL;
	dtx_simd_init();
}
