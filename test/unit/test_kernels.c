/*
 * test_kernels.c: every CPU kernel against a naive reference on random
 * shapes and all four dtypes (fixed seeds), with OpenBLAS and the SIMD
 * loops both on and forced off.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "elementwise.h"
#include "half.h"
#include "kern_simd.h"
#include "kern_util.h"
#include "kernels.h"
#include "shape.h"
#include "tap.h"

static uint64_t rng = 42;

static uint64_t
next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* maxsim's tile scratch */
static double scratch[DTX_MAXSIM_SCRATCH];

static int64_t
irand(int64_t lo, int64_t hi)
{
	return lo + (int64_t) (next() % (uint64_t) (hi - lo + 1));
}

/* random data of a dtype: floats in [-1,1), integers small enough not to overflow */
static void *
rand_data(int dtype, int64_t n)
{
	void	   *p = malloc((size_t) (n ? n : 1) * dtx_elem_size(dtype));

	for (int64_t i = 0; i < n; i++)
	{
		double		v = (double) (next() >> 11) / 9007199254740992.0 * 2 - 1;

		switch (dtype)
		{
			case DTX_FLOAT32:
				((float *) p)[i] = (float) v;
				break;
			case DTX_FLOAT64:
				((double *) p)[i] = v;
				break;
			case DTX_INT32:
				((int32_t *) p)[i] = (int32_t) irand(-100, 100);
				break;
			default:
				((int64_t *) p)[i] = irand(-100000, 100000);
				break;
		}
	}
	return p;
}

static long double
ref_dot(int dtype, const void *a, const void *b, int64_t n)
{
	long double s = 0;

	for (int64_t i = 0; i < n; i++)
		s += (long double) dtx_load_double(dtype, a, i) * dtx_load_double(dtype, b, i);
	return s;
}

/* relative error allowed per dtype: float32 output rounds to float */
static int
close_enough(int dtype, double got, long double want, long double scale, int float_out)
{
	long double err = fabsl((long double) got - want);

	if (dtype == DTX_INT32 || dtype == DTX_INT64)
		return err == 0;
	if (float_out)
		return err <= 1e-6L * (scale + fabsl(want)) + 1e-30L;
	return err <= 1e-12L * (scale + 1);
}

static void
test_dot(void)
{
	int			bad = 0,
				cases = 0;

	for (int t = 0; t < 400; t++)
	{
		int			dtype = 1 + t % 4;
		int64_t		n = t % 7 == 0 ? 0 : irand(1, 3000);
		void	   *a = rand_data(dtype, n),
				   *b = rand_data(dtype, n);
		double		got;
		long double scale = 0;

		for (int64_t i = 0; i < n; i++)
			scale += fabsl((long double) dtx_load_double(dtype, a, i) * dtx_load_double(dtype, b, i));
		cases++;
		if (dtx_dot(dtype, a, b, n, &got) != DTX_OK ||
			!close_enough(dtype, got, ref_dot(dtype, a, b, n), scale, 0))
			bad++;
		free(a);
		free(b);
	}
	tap_ok(bad == 0, "dot matches the reference on %d random cases (%d bad), %s loops", cases, bad,
		   dtx_simd_name());
}

/* float32 dot of 100K elements within 1e-6 relative of a float64 reference */
static void
test_accuracy(void)
{
	int64_t		n = 100000;
	float	   *a = rand_data(DTX_FLOAT32, n),
			   *b = rand_data(DTX_FLOAT32, n);
	double		got;
	long double want;
	double		worst = 0;

	for (int rep = 0; rep < 20; rep++)
	{
		for (int64_t i = 0; i < n; i++)
		{
			/* positive data keeps the sum large, so relative error is meaningful */
			a[i] = fabsf(a[i]) + 0.01f;
			b[i] = fabsf(b[i]) + 0.01f;
		}
		dtx_dot(DTX_FLOAT32, a, b, n, &got);
		want = ref_dot(DTX_FLOAT32, a, b, n);
		worst = fmax(worst, (double) (fabsl(got - want) / fabsl(want)));
		free(a);
		free(b);
		a = rand_data(DTX_FLOAT32, n);
		b = rand_data(DTX_FLOAT32, n);
	}
	tap_ok(worst < 1e-6, "float32 dot of 100K elements: worst relative error %.3g < 1e-6", worst);
	free(a);
	free(b);
}

static void
test_rows(void)
{
	int			bad = 0,
				cases = 0;

	for (int t = 0; t < 300; t++)
	{
		int			dtype = 1 + t % 4;
		int			andim = (int) irand(1, 4),
					bndim = (int) irand(1, 4);
		int64_t		adims[4],
					bdims[4],
					odims[16];
		int64_t		n = irand(0, 70);
		DtxRowSpec	spec;
		int			ondim;

		/* broadcastable leading dims: each aligned pair equal, or one of them 1 */
		for (int k = 0; k < 4; k++)
		{
			int64_t		d = irand(1, 4);

			if (k < andim - 1)
				adims[andim - 2 - k] = irand(0, 2) == 0 ? 1 : d;
			if (k < bndim - 1)
				bdims[bndim - 2 - k] = irand(0, 2) == 0 ? 1 : d;
		}
		adims[andim - 1] = n;
		bdims[bndim - 1] = n;
		if (dtx_rows_plan(andim, adims, bndim, bdims, &spec, &ondim, odims) != DTX_SHAPE_OK)
		{
			bad++;
			continue;
		}
		{
			int64_t		na = dtx_numel(andim, adims, INT64_MAX),
						nb = dtx_numel(bndim, bdims, INT64_MAX),
						nr = dtx_numel(ondim, odims, INT64_MAX);
			void	   *a = rand_data(dtype, na),
					   *b = rand_data(dtype, nb);
			char	   *out = malloc((size_t) (nr + 1) * 8);
			double	   *cos = malloc((size_t) (nr + 1) * 8);
			int64_t		idx[16] = {0};

			cases++;
			/* two calls over row ranges, as the server chunks them */
			if (dtx_rowdot(dtype, &spec, a, b, out, 0, nr / 2) != DTX_OK ||
				dtx_rowdot(dtype, &spec, a, b, out + (nr / 2) * dtx_elem_size(dtype), nr / 2, nr - nr / 2) != DTX_OK ||
				dtx_rowcosine(dtype, &spec, a, b, cos, 0, nr) != DTX_OK)
				bad++;
			for (int64_t r = 0; r < nr; r++)
			{
				int64_t		ao = 0,
							bo = 0;
				long double want,
							aa,
							bb,
							scale = 0,
							wc;
				double		gotc = dtype == DTX_FLOAT32 ? ((float *) cos)[r] : cos[r];

				for (int k = 0; k < ondim; k++)
				{
					ao += idx[k] * spec.a_stride[k];
					bo += idx[k] * spec.b_stride[k];
				}
				{
					const char *pa = (const char *) a + ao * n * dtx_elem_size(dtype);
					const char *pb = (const char *) b + bo * n * dtx_elem_size(dtype);

					want = ref_dot(dtype, pa, pb, n);
					aa = ref_dot(dtype, pa, pa, n);
					bb = ref_dot(dtype, pb, pb, n);
					for (int64_t i = 0; i < n; i++)
						scale += fabsl((long double) dtx_load_double(dtype, pa, i) * dtx_load_double(dtype, pb, i));
				}
				wc = want / (fmaxl(sqrtl(aa), 1e-8L) * fmaxl(sqrtl(bb), 1e-8L));
				if (!close_enough(dtype, dtx_load_double(dtype, out, r), want, scale, dtype == DTX_FLOAT32) ||
					fabsl(gotc - wc) > (dtype == DTX_FLOAT32 ? 1e-6L : 1e-12L))
					bad++;
				for (int k = ondim - 1; k >= 0; k--)
				{
					if (++idx[k] < odims[k])
						break;
					idx[k] = 0;
				}
			}
			free(a);
			free(b);
			free(out);
			free(cos);
		}
	}
	tap_ok(bad == 0, "rowdot and rowcosine with broadcasting match on %d random shapes (%d bad)", cases, bad);
}

static void
test_matmul(void)
{
	int			bad = 0,
				cases = 0;

	for (int t = 0; t < 200; t++)
	{
		int			dtype = 1 + t % 4;
		int64_t		B = irand(1, 3),
					M = irand(0, 40),
					K = irand(0, 50),
					P = t % 5 == 0 ? 1 : irand(1, 40);
		void	   *x = rand_data(dtype, B * M * K),
				   *y = rand_data(dtype, B * K * P);
		char	   *out = malloc((size_t) (B * M * P + 1) * 8);
		double	   *nout = malloc((size_t) (B * M * P + 1) * 8);
		double	   *ynorm = malloc((size_t) (P + 1) * 8);

		cases++;
		if (dtx_batch_matmul(dtype, M, K, P, x, y, out, 0, B) != DTX_OK ||
			dtx_batch_matmul_normalized(dtype, M, K, P, x, y, nout, 0, B, ynorm) != DTX_OK)
		{
			bad++;
			continue;
		}
		for (int64_t b = 0; b < B; b++)
			for (int64_t i = 0; i < M; i++)
				for (int64_t p = 0; p < P; p++)
				{
					long double s = 0,
								scale = 0,
								nx = 0,
								ny = 0,
								want;
					double		gotn;

					for (int64_t k = 0; k < K; k++)
					{
						long double xv = dtx_load_double(dtype, x, b * M * K + i * K + k),
									yv = dtx_load_double(dtype, y, b * K * P + k * P + p);

						s += xv * yv;
						scale += fabsl(xv * yv);
						nx += xv * xv;
						ny += yv * yv;
					}
					/* sgemm accumulates in float: allow it 1e-5 of the absolute sum */
					if (dtype == DTX_FLOAT32 ?
						fabsl(dtx_load_double(dtype, out, b * M * P + i * P + p) - s) > 1e-5L * (scale + 1e-30L) :
						!close_enough(dtype, dtx_load_double(dtype, out, b * M * P + i * P + p), s, scale, 0))
						bad++;
					want = s / (fmaxl(sqrtl(nx), 1e-8L) * fmaxl(sqrtl(ny), 1e-8L));
					gotn = dtype == DTX_FLOAT32 ? ((float *) nout)[b * M * P + i * P + p] :
						nout[b * M * P + i * P + p];
					if (fabsl(gotn - want) > (dtype == DTX_FLOAT32 ? 1e-6L : 1e-12L))
						bad++;
				}
		free(x);
		free(y);
		free(out);
		free(nout);
		free(ynorm);
	}
	tap_ok(bad == 0, "batch_matmul and its normalized form match on %d random shapes (%d bad)", cases, bad);
}

static void
test_cosine(void)
{
	int			bad = 0;

	for (int t = 0; t < 200; t++)
	{
		int			dtype = 1 + t % 4;
		int64_t		n = irand(0, 2000);
		void	   *a = rand_data(dtype, n),
				   *b = rand_data(dtype, n);
		double		got;
		long double ab = ref_dot(dtype, a, b, n),
					aa = ref_dot(dtype, a, a, n),
					bb = ref_dot(dtype, b, b, n),
					want = ab / (fmaxl(sqrtl(aa), 1e-8L) * fmaxl(sqrtl(bb), 1e-8L));

		if (dtx_cosine(dtype, a, b, n, &got) != DTX_OK || fabsl(got - want) > 1e-12L)
			bad++;
		free(a);
		free(b);
	}
	tap_ok(bad == 0, "cosine of 200 random pairs within 1e-12 of the reference (%d bad)", bad);
}

static void
test_overflow(void)
{
	int32_t		a32[] = {65536, 1},
				b32[] = {32768, 1},
				big32[] = {INT32_MAX, INT32_MAX};
	int64_t		a64[] = {INT64_MAX, 1},
				one[] = {1, 1},
				m64[] = {INT64_MAX, -INT64_MAX},
				h64[] = {(int64_t) 1 << 32},
				out64[2];
	int32_t		out32[2];
	double		d;
	DtxRowSpec	spec = {0};

	spec.n = 2;
	tap_ok(dtx_rowdot(DTX_INT32, &spec, a32, b32, out32, 0, 1) == DTX_ERR_OVERFLOW,
		   "int32 rowdot of 2^31 + 1 overflows");
	tap_ok(dtx_dot(DTX_INT32, a32, b32, 2, &d) == DTX_OK && d == 2147483649.0,
		   "int32 dot is exact in 64 bits");
	tap_ok(dtx_dot(DTX_INT32, big32, big32, 2, &d) == DTX_OK && d == 2.0 * 2147483647.0 * 2147483647.0,
		   "int32 dot of max values fits int64");
	tap_ok(dtx_dot(DTX_INT64, a64, one, 2, &d) == DTX_ERR_OVERFLOW, "int64 sum overflow");
	tap_ok(dtx_dot(DTX_INT64, h64, h64, 1, &d) == DTX_ERR_OVERFLOW, "int64 product overflow");
	tap_ok(dtx_dot(DTX_INT64, m64, one, 2, &d) == DTX_OK && d == 0,
		   "int64 intermediate beyond range is fine when the result fits");
	tap_ok(dtx_batch_matmul(DTX_INT64, 1, 2, 1, a64, one, out64, 0, 1) == DTX_ERR_OVERFLOW,
		   "int64 matmul overflow");
	tap_ok(dtx_maxsim(DTX_INT64, a64, 1, one, 1, 2, scratch, &d) == DTX_ERR_OVERFLOW, "maxsim overflow");
}

static void
test_convert(void)
{
	float		f[] = {1.9f, -1.9f, NAN, INFINITY, 3e9f, -0.0f, 1e-45f};
	double		dd[] = {1e300, 0.1, -1e-320};
	int32_t		i32[7];
	int64_t		i64[7],
				bad = -1;
	float		fo[3];
	double		dback[7];
	int64_t		big[] = {INT64_MAX, 16777217};

	tap_ok(dtx_convert(DTX_FLOAT32, f, DTX_INT32, i32, 2, &bad) == DTX_OK &&
		   i32[0] == 1 && i32[1] == -1, "float32 to int32 truncates toward zero");
	tap_ok(dtx_convert(DTX_FLOAT32, f, DTX_INT32, i32, 3, &bad) == DTX_ERR_RANGE && bad == 2, "NaN to int32");
	tap_ok(dtx_convert(DTX_FLOAT32, f + 3, DTX_INT64, i64, 1, &bad) == DTX_ERR_RANGE && bad == 0, "inf to int64");
	tap_ok(dtx_convert(DTX_FLOAT32, f + 4, DTX_INT32, i32, 1, &bad) == DTX_ERR_RANGE, "3e9 to int32");
	tap_ok(dtx_convert(DTX_FLOAT32, f + 4, DTX_INT64, i64, 1, &bad) == DTX_OK && i64[0] == 3000000000LL,
		   "3e9 to int64");
	tap_ok(dtx_convert(DTX_FLOAT64, dd, DTX_FLOAT32, fo, 3, &bad) == DTX_ERR_RANGE && bad == 0,
		   "1e300 to float32 is out of range");
	tap_ok(dtx_convert(DTX_FLOAT64, dd + 1, DTX_FLOAT32, fo, 2, &bad) == DTX_OK && fo[0] == 0.1f &&
		   fo[1] == 0 && signbit(fo[1]), "0.1 rounds; -1e-320 underflows to -0");
	tap_ok(dtx_convert(DTX_FLOAT32, f, DTX_FLOAT64, dback, 7, &bad) == DTX_OK && signbit(dback[5]) &&
		   isnan(dback[2]) && dback[6] > 0 && dback[0] == (double) 1.9f, "float32 widens exactly, -0 and denormals kept");
	tap_ok(dtx_convert(DTX_INT64, big, DTX_INT32, i32, 2, &bad) == DTX_ERR_RANGE, "int64 max to int32");
	tap_ok(dtx_convert(DTX_INT64, big + 1, DTX_FLOAT32, fo, 1, &bad) == DTX_OK && fo[0] == 16777216.0f,
		   "int64 to float32 rounds once");
	tap_ok(dtx_convert(DTX_INT64, big, DTX_FLOAT64, dback, 1, &bad) == DTX_OK && dback[0] == 9223372036854775808.0,
		   "int64 max to float64 rounds to 2^63");
}

static void
test_topk_maxsim(void)
{
	double		sc[3];
	int64_t		id[3];
	DtxTopK		t;
	double		scores[] = {0.5, 2, NAN, 2, -1, 7, 0.5};
	float		doc[] = {1, 0, 0, 1, 1, 1},
				q[] = {1, 0, 2, 2};
	double		m;

	dtx_topk_init(&t, 3, sc, id);
	for (int i = 0; i < 7; i++)
		dtx_topk_push(&t, scores[i], 10 - i);
	dtx_topk_sorted(&t);
	tap_ok(t.n == 3 && id[0] == 5 && id[1] == 7 && id[2] == 9,
		   "topk keeps 7, then the tie 2/2 by smaller id (got %lld %lld %lld)",
		   (long long) id[0], (long long) id[1], (long long) id[2]);
	tap_ok(dtx_maxsim(DTX_FLOAT32, doc, 3, q, 2, 2, scratch, &m) == DTX_OK && m == 5.0, "maxsim float32");
	tap_ok(dtx_maxsim(DTX_FLOAT32, doc, 0, q, 2, 2, scratch, &m) == DTX_ERR_EMPTY, "maxsim of no document row");
}

/* sgemm-filtered top-k equals exact top-k, with near ties */
static void
test_topk_scan(void)
{
	int64_t		n = 5000,
				d = 64,
				nq = 12,
				k = 10;
	float	   *rows = rand_data(DTX_FLOAT32, n * d),
			   *qs = rand_data(DTX_FLOAT32, nq * d),
			   *scratch = malloc(nq * n * sizeof(float));
	DtxTopK		h1[12],
				h2[12];
	double		s1[120],
				s2[120];
	int64_t		i1[120],
				i2[120];
	int			same = 1;

	/* near ties: copies of one row with one ulp changes */
	for (int64_t j = 100; j < 200; j++)
	{
		memcpy(rows + j * d, rows, d * sizeof(float));
		rows[j * d + j % d] = nextafterf(rows[j * d + j % d], 2.0f);
	}
	for (int64_t q = 0; q < nq; q++)
	{
		memcpy(qs + q * d, rows, d * sizeof(float));	/* so the tied rows are near the top */
		qs[q * d + q] += 0.001f * q;
		dtx_topk_init(&h1[q], k, s1 + q * k, i1 + q * k);
		dtx_topk_init(&h2[q], k, s2 + q * k, i2 + q * k);
	}
	for (int64_t r0 = 0; r0 < n; r0 += 1000)
		dtx_topk_scan_f32(rows + r0 * d, 1000, NULL, r0, qs, nq, d, scratch, h1);
	for (int64_t q = 0; q < nq; q++)
		for (int64_t j = 0; j < n; j++)
		{
			double		v;

			dtx_dot(DTX_FLOAT32, qs + q * d, rows + j * d, d, &v);
			dtx_topk_push(&h2[q], v, j);
		}
	for (int64_t q = 0; q < nq; q++)
	{
		dtx_topk_sorted(&h1[q]);
		dtx_topk_sorted(&h2[q]);
		same &= memcmp(i1 + q * k, i2 + q * k, k * sizeof(int64_t)) == 0;
	}
	tap_ok(same, "sgemm-filtered top-k equals the exact top-k with near ties (%s)", dtx_blas_info());
	free(rows);
	free(qs);
	free(scratch);
}


/* int32 dots: the 128-bit sum makes element order irrelevant */
static void
test_int32_order(void)
{
	int32_t		a[] = {INT32_MAX, INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN, INT32_MIN},
				b[] = {INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX};
	double		d = 0;
	long double want = 3.0L * INT32_MAX * INT32_MAX - 3.0L * 2147483648.0L * INT32_MAX;

	/* 3 (2^31-1)^2 passes int64 on the way before the negative half comes */
	tap_ok(dtx_dot(DTX_INT32, a, b, 6, &d) == DTX_OK && (long double) d == want,
		   "int32 dot whose partial sum passes int64 is exact (%.17g)", d);
}

/* maxsim in tiles equals a plain reference over all pairs, every dtype */
static void
test_maxsim_tiles(void)
{
	int			bad = 0;

	for (int t = 0; t < 40; t++)
	{
		int			dtype = 1 + t % 4;
		int64_t		nq = irand(1, 150),
					ndoc = irand(1, 300),
					d = t % 7 == 0 ? 0 : irand(1, 64);
		void	   *doc = rand_data(dtype, ndoc * d),
				   *q = rand_data(dtype, nq * d);
		long double want = 0;
		double		got;

		for (int64_t i = 0; i < nq; i++)
		{
			long double best = 0;

			for (int64_t r = 0; r < ndoc; r++)
			{
				long double s = ref_dot(dtype, (const char *) q + i * d * dtx_elem_size(dtype),
										(const char *) doc + r * d * dtx_elem_size(dtype), d);

				if (r == 0 || s > best)
					best = s;
			}
			want += best;
		}
		if (dtx_maxsim(dtype, doc, ndoc, q, nq, d, scratch, &got) != DTX_OK ||
			fabsl(got - want) > 1e-4L * (1 + fabsl(want)))
			bad++;
		free(doc);
		free(q);
	}
	tap_ok(bad == 0, "maxsim in tiles matches the reference on 40 random shapes (%d bad)", bad);
}

static int
close_all(int dtype, const void *a, const void *b, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
	{
		double		x = dtx_load_double(dtype, a, i),
					y = dtx_load_double(dtype, b, i);

		if (fabs(x - y) > (dtype == DTX_FLOAT32 ? 1e-4 : 1e-10) * (1 + fabs(x)))
			return 0;
	}
	return 1;
}

/* rows of one product computed in slices equal the whole product */
static void
test_matmul_rows(void)
{
	int			bad = 0;

	for (int t = 0; t < 40; t++)
	{
		int			dtype = 1 + t % 4;
		int64_t		M = irand(1, 30),
					K = irand(0, 40),
					P = irand(1, 300);
		size_t		es = dtx_elem_size(dtype);
		void	   *x = rand_data(dtype, M * K),
				   *y = rand_data(dtype, K * P);
		char	   *whole = calloc(M * P + 1, 8),
				   *part = calloc(M * P + 1, 8);
		int64_t		step = irand(1, 7);

		dtx_batch_matmul(dtype, M, K, P, x, y, whole, 0, 1);
		for (int64_t i0 = 0; i0 < M; i0 += step)
			dtx_matmul_rows(dtype, M, K, P, x, y, part, i0, M - i0 < step ? M - i0 : step);
		/* gemm blocks differently by slice: floats agree to rounding */
		if (!dtx_dtype_is_float(dtype) ? memcmp(whole, part, M * P * es) != 0 :
			!close_all(dtype, whole, part, M * P))
			bad++;
		free(x);
		free(y);
		free(whole);
		free(part);
	}
	tap_ok(bad == 0, "matmul rows in slices equal the whole product (%d bad)", bad);
}

/*
 * The half dtypes through the kernels: each result is the float32 result
 * of the widened inputs (dot, cosine, rowdot narrowed once, matmul,
 * maxsim), arithmetic rounds from float32 (ties to even), and the order
 * and hashing form treat -0 as 0 and every NaN as one.
 */
static void
test_half_kernels(void)
{
	for (int bf = 0; bf < 2; bf++)
	{
		int			dt = bf ? DTX_BFLOAT16 : DTX_FLOAT16;
		const char *name = bf ? "bfloat16" : "float16";
		const DtxDtypeDesc *d = dtx_dtype(dt);
		enum {N = 6 * 37};
		uint16_t	ha[N],
					hb[37],
					hout[6],
					h32[6];
		float		fa[N],
					fb[37],
					fout[6];
		double		r16,
					r32,
					s16,
					s32;
		DtxRowSpec	spec = {1, 37, {6}, {1}, {0}};
		int			bad = 0;

		for (int i = 0; i < N; i++)
			fa[i] = (float) sin(i * 0.37) * 3.0f;
		for (int i = 0; i < 37; i++)
			fb[i] = (float) cos(i * 0.91) * 2.0f;
		d->from_f32(fa, ha, N);
		d->from_f32(fb, hb, 37);
		d->to_f32(ha, fa, N);
		d->to_f32(hb, fb, 37);
		bad += dtx_dot(dt, ha, hb, 37, &r16) != DTX_OK || dtx_dot(DTX_FLOAT32, fa, fb, 37, &r32) != DTX_OK ||
			r16 != r32;
		bad += dtx_cosine(dt, ha, hb, 37, &r16) != DTX_OK || dtx_cosine(DTX_FLOAT32, fa, fb, 37, &r32) != DTX_OK ||
			r16 != r32;
		bad += dtx_sumsq(dt, ha, N, &s16) != DTX_OK || dtx_sumsq(DTX_FLOAT32, fa, N, &s32) != DTX_OK || s16 != s32;
		bad += dtx_rowdot(dt, &spec, ha, hb, hout, 0, 6) != DTX_OK ||
			dtx_rowdot(DTX_FLOAT32, &spec, fa, fb, fout, 0, 6) != DTX_OK;
		d->from_f32(fout, h32, 6);
		bad += memcmp(hout, h32, sizeof(hout)) != 0;
		bad += dtx_matmul_rows(dt, 6, 37, 1, ha, hb, hout, 0, 6) != DTX_OK || memcmp(hout, h32, sizeof(hout)) != 0;
		tap_ok(bad == 0, "%s dot, cosine, sumsq equal float32 on the widened values; rowdot and a (6,37)@(37,1) matmul are float32's narrowed", name);

		{
			double		scratch[DTX_MAXSIM_SCRATCH];

			bad = dtx_maxsim(dt, ha, 6, hb, 1, 37, scratch, &r16) != DTX_OK ||
				dtx_maxsim(DTX_FLOAT32, fa, 6, fb, 1, 37, scratch, &r32) != DTX_OK || r16 != r32;
			tap_ok(!bad, "%s maxsim equals float32's on the widened values (%g)", name, r16);
		}
		{
			/* 2048 + 1 ties to 2048 in float16; 256 + 1 to 256 in bfloat16; 1.5 * 2 exact */
			float		x[3] = {bf ? 256.0f : 2048.0f, 1.5f, -0.0f},
						y[3] = {1.0f, 2.0f, 0.0f},
						z[3];
			uint16_t	hx[3],
						hy[3],
						hz[3],
						canon[2];
			DtxBroadcast bc = {1, 3, {3}, {1}, {1}};

			d->from_f32(x, hx, 3);
			d->from_f32(y, hy, 3);
			bad = dtx_ew_binary(DTX_EW_ADD, dt, &bc, hx, hy, hz, 0, 3) != DTX_OK;
			d->to_f32(hz, z, 3);
			bad += z[0] != x[0] || z[1] != 3.5f;
			bad += dtx_ew_binary(DTX_EW_MUL, dt, &bc, hx, hy, hz, 0, 3) != DTX_OK;
			d->to_f32(hz, z, 3);
			bad += z[1] != 3.0f;
			tap_ok(bad == 0, "%s arithmetic rounds from float32: %g + 1 = %g", name, x[0], x[0]);
			/* -0 vs 0 equal; NaN above infinity; two NaN payloads hash alike */
			hx[0] = 0x8000;
			hy[0] = 0;
			canon[0] = bf ? 0x7fc1 : 0x7e01;
			canon[1] = bf ? 0xffc0 : 0xfe00;
			hz[0] = bf ? 0x7f80 : 0x7c00;
			dtx_hash_canonical(dt, canon, canon, 0, 2);
			tap_ok(dtx_compare(dt, hx, hy, 0, 1) == 0 && dtx_compare(dt, canon, hz, 0, 1) == 1 &&
				   canon[0] == canon[1] && dtx_compare(dt, hy, hx + 1, 0, 1) == -1,
				   "%s order: -0 = 0, NaN above inf, NaNs hash alike, 0 < 1.5", name);
		}
	}
	{
		uint16_t	h[2] = {0, 0};
		DtxRowSpec	one = {0};

		one.n = 2;

		tap_ok(dtx_dot(99, h, h, 2, &(double) {0}) == DTX_ERR_DTYPE &&
			   dtx_rowdot(99, &one, h, h, h, 0, 1) == DTX_ERR_DTYPE &&
			   dtx_sumsq(99, h, 2, &(double) {0}) == DTX_ERR_DTYPE,
			   "an unknown dtype code is DTX_ERR_DTYPE, never some dtype");
	}
}

static void
run_all(void)
{
	test_dot();
	test_accuracy();
	test_rows();
	test_cosine();
	test_matmul();
	test_overflow();
	test_convert();
	test_topk_maxsim();
	test_topk_scan();
	test_int32_order();
	test_maxsim_tiles();
	test_matmul_rows();
	test_half_kernels();
}

int
main(void)
{
	printf("# BLAS: %s\n", dtx_blas_info());
	run_all();
	/* the BLAS paths again with two OpenBLAS threads (dotext.blas_threads = 2) */
	dtx_blas_set_threads(2);
	if (dtx_blas() != NULL)
	{
		tap_ok(strstr(dtx_blas_info(), ", 2 threads") != NULL,
			   "two BLAS threads asked, library reports: %s", dtx_blas_info());
		test_matmul();
		test_topk_scan();
	}
	dtx_blas_set_threads(1);
	/* again with OpenBLAS off and the plain C loops */
	setenv("DOTEXT_NO_BLAS", "1", 1);
	dtx_blas_reset();
	dtx_simd_select("generic");
	printf("# BLAS: %s, loops: %s\n", dtx_blas_info(), dtx_simd_name());
	run_all();
	return tap_done();
}
