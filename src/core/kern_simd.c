/*
 * kern_simd.c: the float loops of kern_simd.h, once per path, and the
 * choice among them.  The loops themselves are in kern_simd_lanes.h; this
 * file gives each path its 16-lane primitives.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dtype.h"
#include "half.h"
#include "kern_simd.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DTX_X86 1
#endif

#define DTX_STR2(x) #x
#define DTX_STR(x) DTX_STR2(x)
#define DTX_CAT2(a, b) a##_##b
#define DTX_CAT(a, b) DTX_CAT2(a, b)
/* a primitive of the path being defined: L(fma) is lanes_fma_avx2 there */
#define L(op) DTX_CAT(DTX_CAT(lanes, op), DTX_SUFFIX)

/* the one reduction tree: lane l + lane l+8, then +4, +2, +1 */
static inline double
lanes_sum(double *s)
{
	for (int l = 0; l < 8; l++)
		s[l] += s[l + 8];
	for (int l = 0; l < 4; l++)
		s[l] += s[l + 4];
	s[0] += s[2];
	s[1] += s[3];
	return s[0] + s[1];
}

/* ---- plain C: the definition the vector paths follow ---- */
typedef struct
{
	double		v[16];
} DtxLanesC;

#define DtxLanes DtxLanesC
#define DTX_SUFFIX generic
#define DTX_TARGET
#define LANES_MAP(expr) \
	DtxLanes r; \
	for (int l = 0; l < 16; l++) \
		r.v[l] = (expr); \
	return r

static inline DtxLanes
L(zero)(void)
{
	LANES_MAP(0.0);
}
static inline DtxLanes
L(ld32)(const float *p)
{
	LANES_MAP((double) p[l]);
}
static inline DtxLanes
L(ld16)(const uint16_t *p)
{
	LANES_MAP((double) dtx_f16_to_float(p[l]));
}
static inline DtxLanes
L(ldbf)(const uint16_t *p)
{
	LANES_MAP((double) dtx_bf16_to_float(p[l]));
}
static inline DtxLanes
L(ld64)(const double *p)
{
	LANES_MAP(p[l]);
}
static inline void
L(st)(double *s, DtxLanes x)
{
	memcpy(s, x.v, sizeof(x.v));
}
static inline DtxLanes
L(add)(DtxLanes x, DtxLanes y)
{
	LANES_MAP(x.v[l] + y.v[l]);
}
static inline DtxLanes
L(sub)(DtxLanes x, DtxLanes y)
{
	LANES_MAP(x.v[l] - y.v[l]);
}
static inline DtxLanes
L(abs)(DtxLanes x)
{
	LANES_MAP(fabs(x.v[l]));
}
static inline DtxLanes
L(fma)(DtxLanes x, DtxLanes y, DtxLanes acc)
{
	LANES_MAP(fma(x.v[l], y.v[l], acc.v[l]));
}
static inline DtxLanes
L(madd32)(DtxLanes x, DtxLanes y, DtxLanes acc)
{
	LANES_MAP(acc.v[l] + x.v[l] * y.v[l]);
}

#include "kern_simd_lanes.h"
#undef DtxLanes
#undef DTX_SUFFIX
#undef DTX_TARGET

#ifdef DTX_X86
/* ---- AVX2 + FMA: four registers of 4 doubles, lanes 0-3, 4-7, 8-11, 12-15 ---- */
typedef struct
{
	__m256d		r[4];
} DtxLanes256;

#define DtxLanes DtxLanes256
#define DTX_SUFFIX avx2
#define DTX_TARGET __attribute__((target("avx2,fma,f16c")))
/* spelt out, not a loop: GCC at -O2 would keep the registers in memory */
#define LANES_EACH(expr) \
	DtxLanes o; \
	{ const int k = 0; o.r[k] = (expr); } \
	{ const int k = 1; o.r[k] = (expr); } \
	{ const int k = 2; o.r[k] = (expr); } \
	{ const int k = 3; o.r[k] = (expr); } \
	return o

DTX_TARGET static inline DtxLanes
L(zero)(void)
{
	LANES_EACH(_mm256_setzero_pd());
}
DTX_TARGET static inline DtxLanes
L(ld32)(const float *p)
{
	LANES_EACH(_mm256_cvtps_pd(_mm_loadu_ps(p + 4 * k)));
}
/* 8 widened floats as lanes 0-3 and 4-7 of a pair of registers */
#define SPLIT256(o, k, f) \
	((o).r[k] = _mm256_cvtps_pd(_mm256_castps256_ps128(f)), \
	 (o).r[(k) + 1] = _mm256_cvtps_pd(_mm256_extractf128_ps((f), 1)))
DTX_TARGET static inline DtxLanes
L(ld16)(const uint16_t *p)
{
	DtxLanes	o;
	__m256		lo = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) p));
	__m256		hi = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) (p + 8)));

	SPLIT256(o, 0, lo);
	SPLIT256(o, 2, hi);
	return o;
}
/* bfloat16 is the top half of a float32: zero-extend, shift left 16 */
DTX_TARGET static inline __m256
bf16x8_avx2(const uint16_t *p)
{
	return _mm256_castsi256_ps(_mm256_slli_epi32(
		_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *) p)), 16));
}
DTX_TARGET static inline DtxLanes
L(ldbf)(const uint16_t *p)
{
	DtxLanes	o;
	__m256		lo = bf16x8_avx2(p);
	__m256		hi = bf16x8_avx2(p + 8);

	SPLIT256(o, 0, lo);
	SPLIT256(o, 2, hi);
	return o;
}
DTX_TARGET static inline DtxLanes
L(ld64)(const double *p)
{
	LANES_EACH(_mm256_loadu_pd(p + 4 * k));
}
DTX_TARGET static inline void
L(st)(double *s, DtxLanes x)
{
	_mm256_storeu_pd(s, x.r[0]);
	_mm256_storeu_pd(s + 4, x.r[1]);
	_mm256_storeu_pd(s + 8, x.r[2]);
	_mm256_storeu_pd(s + 12, x.r[3]);
}
DTX_TARGET static inline DtxLanes
L(add)(DtxLanes x, DtxLanes y)
{
	LANES_EACH(_mm256_add_pd(x.r[k], y.r[k]));
}
DTX_TARGET static inline DtxLanes
L(sub)(DtxLanes x, DtxLanes y)
{
	LANES_EACH(_mm256_sub_pd(x.r[k], y.r[k]));
}
DTX_TARGET static inline DtxLanes
L(abs)(DtxLanes x)
{
	LANES_EACH(_mm256_andnot_pd(_mm256_set1_pd(-0.0), x.r[k]));
}
DTX_TARGET static inline DtxLanes
L(fma)(DtxLanes x, DtxLanes y, DtxLanes acc)
{
	LANES_EACH(_mm256_fmadd_pd(x.r[k], y.r[k], acc.r[k]));
}
DTX_TARGET static inline DtxLanes
L(madd32)(DtxLanes x, DtxLanes y, DtxLanes acc)
{
	LANES_EACH(_mm256_fmadd_pd(x.r[k], y.r[k], acc.r[k]));
}

#include "kern_simd_lanes.h"
#undef DtxLanes
#undef DTX_SUFFIX
#undef DTX_TARGET
#undef LANES_EACH
#undef SPLIT256

/* ---- AVX-512F: two registers of 8 doubles, lanes 0-7 and 8-15 ---- */
typedef struct
{
	__m512d		r[2];
} DtxLanes512;

#define DtxLanes DtxLanes512
#define DTX_SUFFIX avx512
#define DTX_TARGET __attribute__((target("avx512f")))
#define LANES_EACH(expr) \
	DtxLanes o; \
	{ const int k = 0; o.r[k] = (expr); } \
	{ const int k = 1; o.r[k] = (expr); } \
	return o

DTX_TARGET static inline DtxLanes
L(zero)(void)
{
	LANES_EACH(_mm512_setzero_pd());
}
DTX_TARGET static inline DtxLanes
L(ld32)(const float *p)
{
	/* one vcvtps2pd zmm, m256: load and widen 8 floats */
	LANES_EACH(_mm512_cvtps_pd(_mm256_loadu_ps(p + 8 * k)));
}
/* 16 widened floats as lanes 0-7 and 8-15 */
DTX_TARGET static inline DtxLanes
split512(__m512 f)
{
	DtxLanes	o;

	o.r[0] = _mm512_cvtps_pd(_mm512_castps512_ps256(f));
	o.r[1] = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(f), 1)));
	return o;
}
DTX_TARGET static inline DtxLanes
L(ld16)(const uint16_t *p)
{
	return split512(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) p)));
}
DTX_TARGET static inline DtxLanes
L(ldbf)(const uint16_t *p)
{
	return split512(_mm512_castsi512_ps(_mm512_slli_epi32(
		_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *) p)), 16)));
}
DTX_TARGET static inline DtxLanes
L(ld64)(const double *p)
{
	LANES_EACH(_mm512_loadu_pd(p + 8 * k));
}
DTX_TARGET static inline void
L(st)(double *s, DtxLanes x)
{
	_mm512_storeu_pd(s, x.r[0]);
	_mm512_storeu_pd(s + 8, x.r[1]);
}
DTX_TARGET static inline DtxLanes
L(add)(DtxLanes x, DtxLanes y)
{
	LANES_EACH(_mm512_add_pd(x.r[k], y.r[k]));
}
DTX_TARGET static inline DtxLanes
L(sub)(DtxLanes x, DtxLanes y)
{
	LANES_EACH(_mm512_sub_pd(x.r[k], y.r[k]));
}
DTX_TARGET static inline DtxLanes
L(abs)(DtxLanes x)
{
	LANES_EACH(_mm512_abs_pd(x.r[k]));
}
DTX_TARGET static inline DtxLanes
L(fma)(DtxLanes x, DtxLanes y, DtxLanes acc)
{
	LANES_EACH(_mm512_fmadd_pd(x.r[k], y.r[k], acc.r[k]));
}
DTX_TARGET static inline DtxLanes
L(madd32)(DtxLanes x, DtxLanes y, DtxLanes acc)
{
	LANES_EACH(_mm512_fmadd_pd(x.r[k], y.r[k], acc.r[k]));
}

#include "kern_simd_lanes.h"
#undef DtxLanes
#undef DTX_SUFFIX
#undef DTX_TARGET
#undef LANES_EACH
#endif							/* DTX_X86 */

dtx_f32dot_fn dtx_f32dot = NULL;
dtx_f32dot3_fn dtx_f32dot3 = NULL;
dtx_f64dot_fn dtx_f64dot = NULL;
static const DtxSimd *chosen = NULL;

const DtxSimd *
dtx_simd_path(const char *name)
{
	if (strcmp(name, "generic") == 0)
		return &simd_generic;
#ifdef DTX_X86
	__builtin_cpu_init();
	if (strcmp(name, "avx2") == 0 &&
		__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && dtx_cpu_f16c())
		return &simd_avx2;
	if (strcmp(name, "avx512") == 0 && __builtin_cpu_supports("avx512f"))
		return &simd_avx512;
#endif
	return NULL;
}

static void
use(const DtxSimd *s)
{
	chosen = s;
	dtx_f32dot3 = s->f32dot3;
	dtx_f64dot = s->f64dot;
	dtx_f32dot = s->f32dot;		/* last: dtx_simd_init tests it */
}

/*
 * DOTEXT_SIMD names a path; one this CPU lacks (or a misspelt name) falls
 * back to the best it has, and dtx_simd_name() tells which ran.
 */
void
dtx_simd_init(void)
{
	const char *want;
	const DtxSimd *s = NULL;

	if (dtx_f32dot)
		return;
	want = getenv("DOTEXT_SIMD");
	if (want != NULL)
		s = dtx_simd_path(want);
	if (s == NULL)
		s = dtx_simd_path("avx512");
	if (s == NULL)
		s = dtx_simd_path("avx2");
	if (s == NULL)
		s = &simd_generic;
	use(s);
}

const DtxSimdHalf *
dtx_simd_half(const DtxSimd *s, int dtype)
{
	switch (dtype)
	{
		case DTX_FLOAT16:
			return &s->f16;
		case DTX_BFLOAT16:
			return &s->bf16;
		case DTX_FLOAT32:
		case DTX_FLOAT64:
		case DTX_INT32:
		case DTX_INT64:
			return NULL;
	}
	return NULL;
}

const DtxSimd *
dtx_simd(void)
{
	dtx_simd_init();
	return chosen;
}

const char *
dtx_simd_name(void)
{
	return dtx_simd()->name;
}

int
dtx_simd_select(const char *name)
{
	const DtxSimd *s = dtx_simd_path(name);

	if (s == NULL)
		return 0;
	use(s);
	return 1;
}
