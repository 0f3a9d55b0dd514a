/*
 * test_simd.c: the one summation order.  Every SIMD path this CPU has
 * (plain C, AVX2, AVX-512) must give the same bits for every float loop
 * and for dot, cosine, rowdot, rowcosine and the distances built on them,
 * on random inputs of many lengths; a path the CPU lacks is skipped and
 * says so.  Also: DOTEXT_SIMD, the distances against a long double
 * reference, the cosine clamp, and the ranking operators' conversion.
 * The float16 and bfloat16 loops must give, on every path, the bits of
 * the plain C float32 loops run on the exactly widened values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "distance.h"
#include "half.h"
#include "kern_simd.h"
#include "kernels.h"
#include "tap.h"

static uint64_t rng = 7;

static double
urand(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double) ((rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* values over several orders of magnitude and both signs, so rounding bites */
static double
rand_value(void)
{
	return (urand() * 2 - 1) * pow(10, (int) (urand() * 7) - 3);
}

static const int64_t lengths_extra[] = {100, 127, 128, 129, 255, 256, 384, 767, 768, 769, 1000, 1536, 3001, 4099};

static int
same_bits(double x, double y)
{
	return memcmp(&x, &y, sizeof(double)) == 0;
}

/* every loop of path p against the plain C loops, on lengths 0..80 and a few large */
static void
test_path_bits(const char *name)
{
	const DtxSimd *p = dtx_simd_path(name),
			   *g = dtx_simd_path("generic");
	int			nlen = 81 + (int) (sizeof(lengths_extra) / sizeof(lengths_extra[0]));
	int			cases = 0,
				bad = 0;

	if (p == NULL)
	{
		printf("ok %d # skip %s: this CPU does not have it\n", ++tap_n, name);
		return;
	}
	for (int li = 0; li < nlen; li++)
		for (int rep = 0; rep < 4; rep++)
		{
			int64_t		n = li < 81 ? li : lengths_extra[li - 81];
			float	   *fa = malloc((n + 1) * sizeof(float)),
					   *fb = malloc((n + 1) * sizeof(float));
			double	   *da = malloc((n + 1) * sizeof(double)),
					   *db = malloc((n + 1) * sizeof(double));
			double		r1[3],
						r2[3];

			for (int64_t i = 0; i < n; i++)
			{
				da[i] = rand_value();
				db[i] = rand_value();
				fa[i] = (float) da[i];
				fb[i] = (float) db[i];
			}
			cases++;
			/* misaligned by one element too: unaligned loads must not matter */
			bad += !same_bits(p->f32dot(fa, fb, n), g->f32dot(fa, fb, n));
			bad += n > 0 && !same_bits(p->f32dot(fa + 1, fb, n - 1), g->f32dot(fa + 1, fb, n - 1));
			bad += !same_bits(p->f64dot(da, db, n), g->f64dot(da, db, n));
			bad += !same_bits(p->f32l2sq(fa, fb, n), g->f32l2sq(fa, fb, n));
			bad += !same_bits(p->f64l2sq(da, db, n), g->f64l2sq(da, db, n));
			bad += !same_bits(p->f32l1(fa, fb, n), g->f32l1(fa, fb, n));
			bad += !same_bits(p->f64l1(da, db, n), g->f64l1(da, db, n));
			p->f32dot3(fa, fb, n, &r1[0], &r1[1], &r1[2]);
			g->f32dot3(fa, fb, n, &r2[0], &r2[1], &r2[2]);
			bad += memcmp(r1, r2, sizeof(r1)) != 0;
			/* the fused cosine sums are the dots themselves */
			bad += !same_bits(r1[0], g->f32dot(fa, fb, n)) || !same_bits(r1[1], g->f32dot(fa, fa, n));
			p->f64dot3(da, db, n, &r1[0], &r1[1], &r1[2]);
			g->f64dot3(da, db, n, &r2[0], &r2[1], &r2[2]);
			bad += memcmp(r1, r2, sizeof(r1)) != 0;
			bad += !same_bits(r1[0], g->f64dot(da, db, n));
			/* against the widened query: the f32 loops' bits */
			for (int64_t i = 0; i < n; i++)
				db[i] = fb[i];
			bad += !same_bits(p->f32wdot(fa, db, n), g->f32dot(fa, fb, n));
			bad += !same_bits(p->f32wl2sq(fa, db, n), g->f32l2sq(fa, fb, n));
			bad += !same_bits(p->f32wl1(fa, db, n), g->f32l1(fa, fb, n));
			p->f32wdot2(fa, db, n, &r1[0], &r1[1]);
			g->f32dot3(fa, fb, n, &r2[0], &r2[1], &r2[2]);
			bad += !same_bits(r1[0], r2[0]) || !same_bits(r1[1], r2[1]);
			free(fa);
			free(fb);
			free(da);
			free(db);
		}
	tap_ok(bad == 0, "%s loops give the plain C loops' bits: %d lengths x 4, 16 checks each (%d differ)",
		   name, cases, bad);
}

/* a half element of a random value: float16 or bfloat16 bits, and its float32 value */
static uint16_t
rand_half(int bf, float *wide)
{
	double		v = rand_value();
	uint16_t	h;

	/* now and then a float16 subnormal, a zero of either sign, or a value near the top */
	switch ((int) (urand() * 40))
	{
		case 0:
			v = (urand() - 0.5) * 1e-5;
			break;
		case 1:
			v = urand() < 0.5 ? 0.0 : -0.0;
			break;
		case 2:
			v = (urand() - 0.5) * 1e5;
			break;
	}
	h = bf ? dtx_double_to_bf16(v) : dtx_double_to_f16(v);
	*wide = bf ? dtx_bf16_to_float(h) : dtx_f16_to_float(h);
	return h;
}

/*
 * Every half loop of path p (float16 and bfloat16, pairs and against a
 * widened query) against the plain C float32 loops on the widened values.
 */
static void
test_half_bits(const char *name)
{
	const DtxSimd *p = dtx_simd_path(name),
			   *g = dtx_simd_path("generic");
	int			nlen = 81 + (int) (sizeof(lengths_extra) / sizeof(lengths_extra[0]));
	int			cases = 0,
				bad = 0;

	if (p == NULL)
	{
		printf("ok %d # skip half loops on %s: this CPU does not have it\n", ++tap_n, name);
		return;
	}
	for (int bf = 0; bf < 2; bf++)
	{
		const DtxSimdHalf *h = dtx_simd_half(p, bf ? DTX_BFLOAT16 : DTX_FLOAT16);

		for (int li = 0; li < nlen; li++)
			for (int rep = 0; rep < 3; rep++)
			{
				int64_t		n = li < 81 ? li : lengths_extra[li - 81];
				uint16_t   *ha = malloc((n + 1) * sizeof(uint16_t)),
						   *hb = malloc((n + 1) * sizeof(uint16_t));
				float	   *fa = malloc((n + 1) * sizeof(float)),
						   *fb = malloc((n + 1) * sizeof(float));
				double	   *wq = malloc((n + 1) * sizeof(double));
				double		r1[3],
							r2[3];

				for (int64_t i = 0; i < n; i++)
				{
					ha[i] = rand_half(bf, &fa[i]);
					hb[i] = rand_half(bf, &fb[i]);
					wq[i] = fb[i];
				}
				cases++;
				bad += !same_bits(h->dot(ha, hb, n), g->f32dot(fa, fb, n));
				bad += n > 0 && !same_bits(h->dot(ha + 1, hb, n - 1), g->f32dot(fa + 1, fb, n - 1));
				bad += !same_bits(h->l2sq(ha, hb, n), g->f32l2sq(fa, fb, n));
				bad += !same_bits(h->l1(ha, hb, n), g->f32l1(fa, fb, n));
				h->dot3(ha, hb, n, &r1[0], &r1[1], &r1[2]);
				g->f32dot3(fa, fb, n, &r2[0], &r2[1], &r2[2]);
				bad += memcmp(r1, r2, sizeof(r1)) != 0;
				bad += !same_bits(h->wdot(ha, wq, n), g->f32dot(fa, fb, n));
				bad += !same_bits(h->wl2sq(ha, wq, n), g->f32l2sq(fa, fb, n));
				bad += !same_bits(h->wl1(ha, wq, n), g->f32l1(fa, fb, n));
				h->wdot2(ha, wq, n, &r1[0], &r1[1]);
				bad += !same_bits(r1[0], r2[0]) || !same_bits(r1[1], r2[1]);
				/* the row metric of a half pair is the float32 one */
				bad += !same_bits(dtx_row_metric(p, DTX_METRIC_COSINE, bf ? DTX_BFLOAT16 : DTX_FLOAT16, ha, hb, n),
								  dtx_row_metric(g, DTX_METRIC_COSINE, DTX_FLOAT32, fa, fb, n));
				free(ha);
				free(hb);
				free(fa);
				free(fb);
				free(wq);
			}
	}
	tap_ok(bad == 0, "%s float16 and bfloat16 loops give the float32 loops' bits on the widened values: %d cases, 10 checks each (%d differ)",
		   name, cases, bad);
}

/* the kernel entries (dot, cosine, rowdot, rowcosine, distances) under each path */
typedef struct
{
	double		dot32,
				dot64,
				cos32,
				cos64,
				l2,
				l1;
	float		rowdot32[8],
				rowcos32[8];
	double		rowdot64[8],
				rowcos64[8];
} EntryResults;

static void
run_entries(const float *fa, const float *fb, const double *da, const double *db,
			int64_t n, EntryResults *r)
{
	DtxRowSpec	spec = {0};

	memset(r, 0, sizeof(*r));
	dtx_dot(DTX_FLOAT32, fa, fb, n, &r->dot32);
	dtx_dot(DTX_FLOAT64, da, db, n, &r->dot64);
	dtx_cosine(DTX_FLOAT32, fa, fb, n, &r->cos32);
	dtx_cosine(DTX_FLOAT64, da, db, n, &r->cos64);
	dtx_metric(DTX_METRIC_L2, DTX_FLOAT32, fa, fb, n, &r->l2);
	dtx_metric(DTX_METRIC_L1, DTX_FLOAT64, da, db, n, &r->l1);
	/* (8,n/8) rows against one row of n/8 */
	spec.nlead = 1;
	spec.n = n / 8;
	spec.out_dims[0] = 8;
	spec.a_stride[0] = 1;
	spec.b_stride[0] = 0;
	dtx_rowdot(DTX_FLOAT32, &spec, fa, fb, r->rowdot32, 0, 8);
	dtx_rowcosine(DTX_FLOAT32, &spec, fa, fb, r->rowcos32, 0, 8);
	dtx_rowdot(DTX_FLOAT64, &spec, da, db, r->rowdot64, 0, 8);
	dtx_rowcosine(DTX_FLOAT64, &spec, da, db, r->rowcos64, 0, 8);
}

static void
test_entry_bits(void)
{
	const char *paths[] = {"avx2", "avx512"};

	for (int k = 0; k < 2; k++)
	{
		int			bad = 0,
					cases = 0;

		if (dtx_simd_path(paths[k]) == NULL)
		{
			printf("ok %d # skip dot/cosine/rowdot/rowcosine/distances on %s: this CPU does not have it\n",
				   ++tap_n, paths[k]);
			continue;
		}
		for (int t = 0; t < 300; t++)
		{
			int64_t		n = t < 100 ? t * 8 + 8 : (int64_t) (urand() * 6000) + 8;
			float	   *fa = malloc(n * sizeof(float)),
					   *fb = malloc(n * sizeof(float));
			double	   *da = malloc(n * sizeof(double)),
					   *db = malloc(n * sizeof(double));
			EntryResults want,
						got;

			for (int64_t i = 0; i < n; i++)
			{
				da[i] = rand_value();
				db[i] = rand_value();
				fa[i] = (float) da[i];
				fb[i] = (float) db[i];
			}
			dtx_simd_select("generic");
			run_entries(fa, fb, da, db, n, &want);
			dtx_simd_select(paths[k]);
			run_entries(fa, fb, da, db, n, &got);
			cases++;
			bad += memcmp(&want, &got, sizeof(want)) != 0;
			free(fa);
			free(fb);
			free(da);
			free(db);
		}
		tap_ok(bad == 0, "dot, cosine, rowdot, rowcosine, l2, l1 on %s equal plain C bit for bit (%d cases, %d differ)",
			   paths[k], cases, bad);
	}
	dtx_simd_select("generic");
}

/* distances and cosine against a long double reference, and the clamp */
static void
test_metrics(void)
{
	int			bad = 0,
				self_bad = 0,
				opp_bad = 0;

	for (int t = 0; t < 300; t++)
	{
		int64_t		n = (int64_t) (urand() * 2000) + 1;
		float	   *a = malloc(n * sizeof(float)),
				   *b = malloc(n * sizeof(float)),
				   *c = malloc(n * sizeof(float));
		long double l2 = 0,
					l1 = 0;
		double		got2,
					got1,
					self,
					opp;

		for (int64_t i = 0; i < n; i++)
		{
			a[i] = (float) rand_value();
			b[i] = (float) rand_value();
			c[i] = -a[i];
			l2 += ((long double) a[i] - b[i]) * ((long double) a[i] - b[i]);
			l1 += fabsl((long double) a[i] - b[i]);
		}
		dtx_metric(DTX_METRIC_L2, DTX_FLOAT32, a, b, n, &got2);
		dtx_metric(DTX_METRIC_L1, DTX_FLOAT32, a, b, n, &got1);
		bad += fabsl(got2 - sqrtl(l2)) > 1e-12L * sqrtl(l2) || fabsl(got1 - l1) > 1e-12L * l1;
		dtx_metric(DTX_METRIC_COSINE, DTX_FLOAT32, a, a, n, &self);
		dtx_metric(DTX_METRIC_COSINE, DTX_FLOAT32, a, c, n, &opp);
		self_bad += self != 1.0 || 1.0 - self != 0.0;
		opp_bad += opp != -1.0;
		free(a);
		free(b);
		free(c);
	}
	tap_ok(bad == 0, "l2 and l1 of 300 random float32 pairs within 1e-12 of the reference (%d bad)", bad);
	tap_ok(self_bad == 0, "cosine of a vector with itself is exactly 1 (300 vectors, %d not)", self_bad);
	tap_ok(opp_bad == 0, "cosine of a vector with its negation is exactly -1 (%d not)", opp_bad);
	tap_ok(dtx_cosine_of_sums(1 + 1e-15, 1, 1) == 1 && dtx_cosine_of_sums(-1 - 1e-15, 1, 1) == -1 &&
		   dtx_cosine_of_sums(0, 0, 0) == 0 && isnan(dtx_cosine_of_sums(NAN, 1, 1)),
		   "cosine clamps to [-1, 1], a zero vector gives 0, NaN stays NaN");
	tap_ok(dtx_cosine_of_sums(1e300, 1e300, 1e300) == 1,
		   "cosine of float64 sums whose product overflows is still 1 with itself");
}

static void
test_int_to_float(void)
{
	int64_t		ok64[] = {0, -1, 16777216, -16777216, 3},
				big[] = {1, 16777217};
	int32_t		ok32[] = {7, -16777216};
	float		f[5];
	double		d[2];
	int64_t		bad = -1;

	tap_ok(dtx_int_to_float_exact(DTX_INT64, ok64, DTX_FLOAT32, f, 5, &bad) == DTX_OK &&
		   f[2] == 16777216.0f && f[3] == -16777216.0f && f[4] == 3.0f,
		   "int64 to float32 is exact up to 2^24");
	tap_ok(dtx_int_to_float_exact(DTX_INT64, big, DTX_FLOAT32, f, 2, &bad) == DTX_ERR_RANGE && bad == 1,
		   "2^24 + 1 to float32 is out of range, at index 1");
	tap_ok(dtx_int_to_float_exact(DTX_INT64, big, DTX_FLOAT64, d, 2, &bad) == DTX_OK && d[1] == 16777217.0,
		   "2^24 + 1 to float64 is exact");
	tap_ok(dtx_int_to_float_exact(DTX_INT32, ok32, DTX_FLOAT32, f, 2, &bad) == DTX_OK && f[1] == -16777216.0f,
		   "int32 to float32 is exact down to -2^24");
	tap_ok(dtx_int_to_float_exact(DTX_FLOAT32, f, DTX_FLOAT64, d, 1, &bad) == DTX_ERR_DTYPE,
		   "a float source is not an integer conversion");
}

/* DOTEXT_SIMD picks the path once per process; unknown or missing ones fall back */
static void
test_env(void)
{
	const char *env = getenv("DOTEXT_SIMD");
	const char *got = dtx_simd_name();

	if (env != NULL && dtx_simd_path(env) != NULL)
		tap_ok(strcmp(got, env) == 0, "DOTEXT_SIMD=%s runs the %s loops", env, got);
	else
		tap_ok(dtx_simd_path(got) != NULL && (dtx_simd_path("avx512") == NULL || strcmp(got, "avx512") == 0),
			   "DOTEXT_SIMD=%s: the best path this CPU has, %s", env ? env : "(unset)", got);
}

int
main(void)
{
	test_env();
	test_path_bits("generic");
	test_path_bits("avx2");
	test_path_bits("avx512");
	test_half_bits("generic");
	test_half_bits("avx2");
	test_half_bits("avx512");
	test_entry_bits();
	test_metrics();
	test_int_to_float();
	return tap_done();
}
