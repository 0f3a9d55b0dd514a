/*
 * kern_simd_lanes.h: the loops of kern_simd.c, written once over 16 double
 * lanes and included once per path.  The includer defines:
 *
 *   DTX_SUFFIX   name suffix of this path's functions (generic, avx2, avx512)
 *   DTX_TARGET   the function attribute enabling the path's instructions
 *   DtxLanes     a type holding 16 doubles, lane l = element i with i % 16 == l
 *   L(zero), L(ld32), L(ld64), L(st), L(add), L(sub), L(abs)
 *                element-wise, each one correctly rounded operation
 *   L(fma)       x * y + acc rounded once
 *   L(madd32)    the same for products of widened float32, which are exact,
 *                so a plain multiply then add gives the same bits
 *
 * The tail (n % 16 elements) goes to the same lanes in scalar code, and
 * lanes_sum adds the lanes in the one fixed tree.  No include guard: this
 * file is meant to be included several times.
 */

#define FN(name) DTX_CAT(name, DTX_SUFFIX)

DTX_TARGET static double
FN(f32dot) (const float *a, const float *b, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(madd32)(L(ld32)(a + i), L(ld32)(b + i), acc);
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] += (double) a[i] * b[i];
	return lanes_sum(s);
}

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
FN(f32dot3) (const float *a, const float *b, int64_t n, double *ab, double *aa, double *bb)
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
		DtxLanes	va = L(ld32)(a + i),
					vb = L(ld32)(b + i);

		sab = L(madd32)(va, vb, sab);
		saa = L(madd32)(va, va, saa);
		sbb = L(madd32)(vb, vb, sbb);
	}
	L(st)(s, sab);
	L(st)(x, saa);
	L(st)(y, sbb);
	for (; i < n; i++)
	{
		s[i & 15] += (double) a[i] * b[i];
		x[i & 15] += (double) a[i] * a[i];
		y[i & 15] += (double) b[i] * b[i];
	}
	*ab = lanes_sum(s);
	*aa = lanes_sum(x);
	*bb = lanes_sum(y);
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
FN(f32l2sq) (const float *a, const float *b, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
	{
		DtxLanes	d = L(sub)(L(ld32)(a + i), L(ld32)(b + i));

		acc = L(fma)(d, d, acc);
	}
	L(st)(s, acc);
	for (; i < n; i++)
	{
		double		d = (double) a[i] - (double) b[i];

		s[i & 15] = fma(d, d, s[i & 15]);
	}
	return lanes_sum(s);
}

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
FN(f32l1) (const float *a, const float *b, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(add)(acc, L(abs)(L(sub)(L(ld32)(a + i), L(ld32)(b + i))));
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] += fabs((double) a[i] - (double) b[i]);
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

/*
 * The same float32 loops against a query widened to double once (wq[i] ==
 * (double) q[i]): only the row is converted per call, and every lane sees
 * the same values and operations, so the results are the f32 loops' bits.
 */
DTX_TARGET static double
FN(f32wdot) (const float *a, const double *wq, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(madd32)(L(ld32)(a + i), L(ld64)(wq + i), acc);
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] += (double) a[i] * wq[i];
	return lanes_sum(s);
}

/* a.q and a.a (cosine against a query whose q.q is known) */
DTX_TARGET static void
FN(f32wdot2) (const float *a, const double *wq, int64_t n, double *ab, double *aa)
{
	DtxLanes	sab = L(zero)(),
				saa = sab;
	double		s[16],
				x[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
	{
		DtxLanes	va = L(ld32)(a + i);

		sab = L(madd32)(va, L(ld64)(wq + i), sab);
		saa = L(madd32)(va, va, saa);
	}
	L(st)(s, sab);
	L(st)(x, saa);
	for (; i < n; i++)
	{
		s[i & 15] += (double) a[i] * wq[i];
		x[i & 15] += (double) a[i] * a[i];
	}
	*ab = lanes_sum(s);
	*aa = lanes_sum(x);
}

DTX_TARGET static double
FN(f32wl2sq) (const float *a, const double *wq, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
	{
		DtxLanes	d = L(sub)(L(ld32)(a + i), L(ld64)(wq + i));

		acc = L(fma)(d, d, acc);
	}
	L(st)(s, acc);
	for (; i < n; i++)
	{
		double		d = (double) a[i] - wq[i];

		s[i & 15] = fma(d, d, s[i & 15]);
	}
	return lanes_sum(s);
}

DTX_TARGET static double
FN(f32wl1) (const float *a, const double *wq, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(add)(acc, L(abs)(L(sub)(L(ld32)(a + i), L(ld64)(wq + i))));
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] += fabs((double) a[i] - wq[i]);
	return lanes_sum(s);
}

static const DtxSimd FN(simd) = {
	DTX_STR(DTX_SUFFIX),
	FN(f32dot), FN(f64dot), FN(f32dot3), FN(f64dot3),
	FN(f32l2sq), FN(f64l2sq), FN(f32l1), FN(f64l1),
	FN(f32wdot), FN(f32wdot2), FN(f32wl2sq), FN(f32wl1)
};

#undef FN
