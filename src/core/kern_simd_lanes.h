/*
 * kern_simd_lanes.h: the loops of kern_simd.c, written once over 16 double
 * lanes and included once per path.  The includer defines:
 *
 *   DTX_SUFFIX   name suffix of this path's functions (generic, avx2, avx512)
 *   DTX_TARGET   the function attribute enabling the path's instructions
 *   DtxLanes     a type holding 16 doubles, lane l = element i with i % 16 == l
 *   L(zero), L(ld32), L(ld16), L(ldbf), L(ld64), L(st), L(add), L(sub), L(abs)
 *                element-wise, each one correctly rounded operation; ld16
 *                and ldbf widen 16 float16 / bfloat16 elements exactly
 *   L(fma)       x * y + acc rounded once
 *   L(madd32)    the same for products of widened float32, which are exact,
 *                so a plain multiply then add gives the same bits
 *
 * The tail (n % 16 elements) goes to the same lanes in scalar code, and
 * lanes_sum adds the lanes in the one fixed tree.  The float64 loops are
 * here; the float32, float16 and bfloat16 ones are one set of loops,
 * kern_simd_rows.h, included once per element type.  No include guard: this
 * file is meant to be included several times.
 */

#define FN(name) DTX_CAT(name, DTX_SUFFIX)

DTX_TARGET static double
FN(f64dot) (const double *a, const double *b, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(fma)(L(ld64)(a + i), L(ld64)(b + i), acc);
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] = fma(a[i], b[i], s[i & 15]);
	return lanes_sum(s);
}

DTX_TARGET static void
FN(f64dot3) (const double *a, const double *b, int64_t n, double *ab, double *aa, double *bb)
{
	DtxLanes	sab = L(zero)(),
				saa = sab,
				sbb = sab;
	double		s[16],
				x[16],
				y[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
	{
		DtxLanes	va = L(ld64)(a + i),
					vb = L(ld64)(b + i);

		sab = L(fma)(va, vb, sab);
		saa = L(fma)(va, va, saa);
		sbb = L(fma)(vb, vb, sbb);
	}
	L(st)(s, sab);
	L(st)(x, saa);
	L(st)(y, sbb);
	for (; i < n; i++)
	{
		s[i & 15] = fma(a[i], b[i], s[i & 15]);
		x[i & 15] = fma(a[i], a[i], x[i & 15]);
		y[i & 15] = fma(b[i], b[i], y[i & 15]);
	}
	*ab = lanes_sum(s);
	*aa = lanes_sum(x);
	*bb = lanes_sum(y);
}

/* squared L2 distance: the difference is rounded to double, then fused */
DTX_TARGET static double
FN(f64l2sq) (const double *a, const double *b, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
	{
		DtxLanes	d = L(sub)(L(ld64)(a + i), L(ld64)(b + i));

		acc = L(fma)(d, d, acc);
	}
	L(st)(s, acc);
	for (; i < n; i++)
	{
		double		d = a[i] - b[i];

		s[i & 15] = fma(d, d, s[i & 15]);
	}
	return lanes_sum(s);
}

DTX_TARGET static double
FN(f64l1) (const double *a, const double *b, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(add)(acc, L(abs)(L(sub)(L(ld64)(a + i), L(ld64)(b + i))));
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] += fabs(a[i] - b[i]);
	return lanes_sum(s);
}

#define R_T float
#define R_TAG f32
#define R_LD(p) L(ld32)(p)
#define R_W(x) ((double) (x))
#include "kern_simd_rows.h"
#undef R_T
#undef R_TAG
#undef R_LD
#undef R_W

#define R_T uint16_t
#define R_TAG f16
#define R_LD(p) L(ld16)(p)
#define R_W(x) ((double) dtx_f16_to_float(x))
#include "kern_simd_rows.h"
#undef R_TAG
#undef R_LD
#undef R_W

#define R_TAG bf16
#define R_LD(p) L(ldbf)(p)
#define R_W(x) ((double) dtx_bf16_to_float(x))
#include "kern_simd_rows.h"
#undef R_T
#undef R_TAG
#undef R_LD
#undef R_W

#define HALF_LOOPS(tag) { \
	FN(tag##_dot), FN(tag##_dot3), FN(tag##_l2sq), FN(tag##_l1), \
	FN(tag##_wdot), FN(tag##_wdot2), FN(tag##_wl2sq), FN(tag##_wl1) }

static const DtxSimd FN(simd) = {
	DTX_STR(DTX_SUFFIX),
	FN(f32_dot), FN(f64dot), FN(f32_dot3), FN(f64dot3),
	FN(f32_l2sq), FN(f64l2sq), FN(f32_l1), FN(f64l1),
	FN(f32_wdot), FN(f32_wdot2), FN(f32_wl2sq), FN(f32_wl1),
	HALF_LOOPS(f16), HALF_LOOPS(bf16)
};

#undef HALF_LOOPS
#undef FN
