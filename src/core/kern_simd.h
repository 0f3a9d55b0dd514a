/*
 * kern_simd.h: the inner loops of every float dot product, distance and
 * norm, with one summation order on every CPU.
 *
 * Each loop keeps 16 double partial sums ("lanes"): element i goes to lane
 * i % 16, lanes start at +0, and at the end they are added in one fixed
 * tree, lane l with lane l+8, then l+4, then l+2, then l+1.  The plain C
 * loops, the AVX2 loops (four 4-double registers) and the AVX-512 loops
 * (two 8-double registers) all follow that order, and each step is one
 * correctly rounded operation: a float32 product is exact in double, so a
 * fused multiply-add there equals a product then an add; for float64
 * products and squared differences every path uses a fused multiply-add
 * (fma() in C).  So dot, <#>, cosine, <=>, <->, <+>, rowdot, rowcosine
 * and norm give the same bits on every x86 CPU and in the plain C build:
 * an expression index built on one server agrees with a replica on
 * another CPU.
 *
 * The path is picked once per process: the best the CPU has, or the one
 * the environment variable DOTEXT_SIMD names (avx512, avx2, generic),
 * when the CPU has it.  The AVX2 path needs F16C too (every AVX2 CPU has
 * it) for its float16 loads.  The build never uses -march=native.
 */
#ifndef DOTEXT_KERN_SIMD_H
#define DOTEXT_KERN_SIMD_H

#include <stdint.h>

typedef double (*dtx_f32dot_fn) (const float *a, const float *b, int64_t n);
typedef double (*dtx_f64dot_fn) (const double *a, const double *b, int64_t n);
/* a.b, a.a and b.b in one pass (cosine); ab is bit for bit the dot */
typedef void (*dtx_f32dot3_fn) (const float *a, const float *b, int64_t n,
								double *ab, double *aa, double *bb);
typedef void (*dtx_f64dot3_fn) (const double *a, const double *b, int64_t n,
								double *ab, double *aa, double *bb);
/* float32 rows against a float32 query widened to double once */
typedef double (*dtx_f32wdot_fn) (const float *a, const double *wq, int64_t n);
typedef void (*dtx_f32wdot2_fn) (const float *a, const double *wq, int64_t n,
								 double *ab, double *aa);

/*
 * The same loops for a half dtype (float16 or bfloat16, 16-bit elements):
 * each gives the bits of the float32 loop on the exactly widened values,
 * on every path, so a half column ranks exactly as its float32 copy.
 */
typedef double (*dtx_hdot_fn) (const uint16_t *a, const uint16_t *b, int64_t n);
typedef void (*dtx_hdot3_fn) (const uint16_t *a, const uint16_t *b, int64_t n,
							  double *ab, double *aa, double *bb);
typedef double (*dtx_hwdot_fn) (const uint16_t *a, const double *wq, int64_t n);
typedef void (*dtx_hwdot2_fn) (const uint16_t *a, const double *wq, int64_t n,
							   double *ab, double *aa);

typedef struct DtxSimdHalf
{
	dtx_hdot_fn dot;
	dtx_hdot3_fn dot3;			/* a.b, a.a, b.b */
	dtx_hdot_fn l2sq;
	dtx_hdot_fn l1;
	dtx_hwdot_fn wdot;			/* against a widened query wq */
	dtx_hwdot2_fn wdot2;
	dtx_hwdot_fn wl2sq;
	dtx_hwdot_fn wl1;
} DtxSimdHalf;

/* one path's loops */
typedef struct DtxSimd
{
	const char *name;			/* "avx512", "avx2" or "generic" */
	dtx_f32dot_fn f32dot;
	dtx_f64dot_fn f64dot;
	dtx_f32dot3_fn f32dot3;
	dtx_f64dot3_fn f64dot3;
	dtx_f32dot_fn f32l2sq;		/* sum of (a-b)^2 */
	dtx_f64dot_fn f64l2sq;
	dtx_f32dot_fn f32l1;		/* sum of |a-b| */
	dtx_f64dot_fn f64l1;
	/* the same against a widened query wq (a ranking scan's one query): same bits */
	dtx_f32wdot_fn f32wdot;
	dtx_f32wdot2_fn f32wdot2;	/* a.q and a.a */
	dtx_f32wdot_fn f32wl2sq;
	dtx_f32wdot_fn f32wl1;
	DtxSimdHalf f16;			/* float16 rows */
	DtxSimdHalf bf16;			/* bfloat16 rows */
} DtxSimd;

/* a path's loops for a half dtype, NULL for any other dtype */
const DtxSimdHalf *dtx_simd_half(const DtxSimd *s, int dtype);

/* the chosen path's loops, as plain pointers for the hot callers */
extern dtx_f32dot_fn dtx_f32dot;
extern dtx_f32dot3_fn dtx_f32dot3;
extern dtx_f64dot_fn dtx_f64dot;

/* choose the loops once per process; called by every kernel entry (cheap) */
void		dtx_simd_init(void);

/* the chosen path */
const DtxSimd *dtx_simd(void);

/* "avx512", "avx2" or "generic": what dtx_simd_init chose */
const char *dtx_simd_name(void);

/* a named path's loops, or NULL when this CPU lacks it (tests, benchmarks) */
const DtxSimd *dtx_simd_path(const char *name);

/* tests: switch to a named path (returns 0 when this CPU lacks it) */
int			dtx_simd_select(const char *name);

#endif
