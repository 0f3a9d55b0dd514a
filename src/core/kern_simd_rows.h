/*
 * kern_simd_rows.h: the loops over rows of a narrow float dtype (float32,
 * float16, bfloat16), written once and included by kern_simd_lanes.h once
 * per element type.  Every element widens exactly to double (a float16 or
 * bfloat16 value is a float32 value), and a product of two widened
 * elements is exact in double, so each loop gives the bits of the float32
 * loop run on the widened values: a float16 column ranks exactly as its
 * float32 copy would.  The includer defines:
 *
 *   R_T          the element type (float, or uint16_t for the half dtypes)
 *   R_TAG        the name prefix of the loops (f32, f16, bf16)
 *   R_LD(p)      16 elements at p widened into 16 double lanes
 *   R_W(x)       one element widened to double (the tails)
 *
 * No include guard: this file is meant to be included several times.
 */

#define RFN(op) FN(DTX_CAT(R_TAG, op))

DTX_TARGET static double
RFN(dot) (const R_T *a, const R_T *b, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(madd32)(R_LD(a + i), R_LD(b + i), acc);
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] += R_W(a[i]) * R_W(b[i]);
	return lanes_sum(s);
}

DTX_TARGET static void
RFN(dot3) (const R_T *a, const R_T *b, int64_t n, double *ab, double *aa, double *bb)
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
		DtxLanes	va = R_LD(a + i),
					vb = R_LD(b + i);

		sab = L(madd32)(va, vb, sab);
		saa = L(madd32)(va, va, saa);
		sbb = L(madd32)(vb, vb, sbb);
	}
	L(st)(s, sab);
	L(st)(x, saa);
	L(st)(y, sbb);
	for (; i < n; i++)
	{
		double		wa = R_W(a[i]),
					wb = R_W(b[i]);

		s[i & 15] += wa * wb;
		x[i & 15] += wa * wa;
		y[i & 15] += wb * wb;
	}
	*ab = lanes_sum(s);
	*aa = lanes_sum(x);
	*bb = lanes_sum(y);
}

/* squared L2 distance: the difference is rounded to double, then fused */
DTX_TARGET static double
RFN(l2sq) (const R_T *a, const R_T *b, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
	{
		DtxLanes	d = L(sub)(R_LD(a + i), R_LD(b + i));

		acc = L(fma)(d, d, acc);
	}
	L(st)(s, acc);
	for (; i < n; i++)
	{
		double		d = R_W(a[i]) - R_W(b[i]);

		s[i & 15] = fma(d, d, s[i & 15]);
	}
	return lanes_sum(s);
}

DTX_TARGET static double
RFN(l1) (const R_T *a, const R_T *b, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(add)(acc, L(abs)(L(sub)(R_LD(a + i), R_LD(b + i))));
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] += fabs(R_W(a[i]) - R_W(b[i]));
	return lanes_sum(s);
}

/*
 * The same loops against a query widened to double once (wq[i] is the
 * query's element i exactly): only the row is converted per call, and
 * every lane sees the same values and operations, so the results are the
 * pair loops' bits.
 */
DTX_TARGET static double
RFN(wdot) (const R_T *a, const double *wq, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(madd32)(R_LD(a + i), L(ld64)(wq + i), acc);
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] += R_W(a[i]) * wq[i];
	return lanes_sum(s);
}

/* a.q and a.a (cosine against a query whose q.q is known) */
DTX_TARGET static void
RFN(wdot2) (const R_T *a, const double *wq, int64_t n, double *ab, double *aa)
{
	DtxLanes	sab = L(zero)(),
				saa = sab;
	double		s[16],
				x[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
	{
		DtxLanes	va = R_LD(a + i);

		sab = L(madd32)(va, L(ld64)(wq + i), sab);
		saa = L(madd32)(va, va, saa);
	}
	L(st)(s, sab);
	L(st)(x, saa);
	for (; i < n; i++)
	{
		double		wa = R_W(a[i]);

		s[i & 15] += wa * wq[i];
		x[i & 15] += wa * wa;
	}
	*ab = lanes_sum(s);
	*aa = lanes_sum(x);
}

DTX_TARGET static double
RFN(wl2sq) (const R_T *a, const double *wq, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
	{
		DtxLanes	d = L(sub)(R_LD(a + i), L(ld64)(wq + i));

		acc = L(fma)(d, d, acc);
	}
	L(st)(s, acc);
	for (; i < n; i++)
	{
		double		d = R_W(a[i]) - wq[i];

		s[i & 15] = fma(d, d, s[i & 15]);
	}
	return lanes_sum(s);
}

DTX_TARGET static double
RFN(wl1) (const R_T *a, const double *wq, int64_t n)
{
	DtxLanes	acc = L(zero)();
	double		s[16];
	int64_t		i = 0;

	for (; i + 16 <= n; i += 16)
		acc = L(add)(acc, L(abs)(L(sub)(R_LD(a + i), L(ld64)(wq + i))));
	L(st)(s, acc);
	for (; i < n; i++)
		s[i & 15] += fabs(R_W(a[i]) - wq[i]);
	return lanes_sum(s);
}

#undef RFN
