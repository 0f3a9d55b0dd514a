/*
 * fuzz_kernels.c: libFuzzer target that drives every kernel entry point
 * through its own planner, as the server does: the input bytes pick an
 * operation, dtypes, ranks 0-16 and dims from a palette that mixes 0, small
 * sizes and values near 2^31 (so zero dims sit beside huge ones), then the
 * data.  Whatever the planner accepts runs when the inputs and the result
 * are small enough to allocate here (the server's 1 GB check stands in for
 * that), and integer results are compared with a 128-bit reference.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kern_util.h"
#include "kernels.h"
#include "shape.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* what the fuzzer may allocate per tensor, in elements */
#define CAP 4096

typedef struct Bytes
{
	const unsigned char *p;
	size_t		n;
} Bytes;

static unsigned
take(Bytes *b)
{
	if (b->n == 0)
		return 0;
	b->n--;
	return *b->p++;
}

static const int64_t palette[] = {0, 1, 2, 3, 4, 5, 7, 64, 65536, 46341,
2147483646, 2147483647};

static int
take_shape(Bytes *b, int64_t *dims)
{
	int			nd = take(b) % 17;

	for (int k = 0; k < nd; k++)
	{
		unsigned	v = take(b);

		/* mostly small, so that many shapes can run */
		dims[k] = v < 200 ? v % 6 : palette[v % (sizeof(palette) / sizeof(palette[0]))];
	}
	return nd;
}

static int
take_dtype(Bytes *b)
{
	return 1 + take(b) % 4;
}

/* a buffer of n elements filled from the input (small values for integers) */
static void *
take_data(Bytes *b, int dtype, int64_t n)
{
	void	   *p = malloc((size_t) (n ? n : 1) * 8);

	for (int64_t i = 0; i < n; i++)
	{
		int			v = (int) take(b) - 128;

		switch (dtype)
		{
			case DTX_FLOAT32:
				((float *) p)[i] = v == 127 ? NAN : v / 8.0f;
				break;
			case DTX_FLOAT64:
				((double *) p)[i] = v == -128 ? INFINITY : v / 8.0;
				break;
			case DTX_INT32:
				((int32_t *) p)[i] = v == 127 ? INT32_MAX : v == -128 ? INT32_MIN : v;
				break;
			default:
				((int64_t *) p)[i] = v == 127 ? INT64_MAX : v;
				break;
		}
	}
	return p;
}

static int64_t
numel_capped(int nd, const int64_t *dims)
{
	return dtx_numel(nd, dims, CAP);
}

static __int128
load_int(int dtype, const void *p, int64_t i)
{
	return dtype == DTX_INT32 ? ((const int32_t *) p)[i] : ((const int64_t *) p)[i];
}

static void
fuzz_rows(Bytes *b, int cosine)
{
	int64_t		ad[16],
				bd[16],
				od[16];
	int			an = take_shape(b, ad),
				bn = take_shape(b, bd),
				on,
				dtype = take_dtype(b);
	DtxRowSpec	spec;
	int64_t		na,
				nb,
				nr;
	void	   *x,
			   *y,
			   *out;

	if (dtx_rows_plan(an, ad, bn, bd, &spec, &on, od) != DTX_SHAPE_OK)
		return;
	na = numel_capped(an, ad);
	nb = numel_capped(bn, bd);
	nr = numel_capped(on, od);
	if (na < 0 || nb < 0 || nr < 0)
		return;
	x = take_data(b, dtype, na);
	y = take_data(b, dtype, nb);
	out = calloc(nr + 1, 8);
	if (cosine)
		dtx_rowcosine(dtype, &spec, x, y, out, 0, nr);
	else if (dtx_rowdot(dtype, &spec, x, y, out, 0, nr) == DTX_OK && !dtx_dtype_is_float(dtype))
	{
		/* each output row against a 128-bit reference, strides from the plan */
		for (int64_t r = 0; r < nr; r++)
		{
			int64_t		rem = r,
						ao = 0,
						bo = 0;
			__int128	s = 0;

			for (int k = spec.nlead - 1; k >= 0; k--)
			{
				ao += (rem % spec.out_dims[k]) * spec.a_stride[k];
				bo += (rem % spec.out_dims[k]) * spec.b_stride[k];
				rem /= spec.out_dims[k];
			}
			for (int64_t i = 0; i < spec.n; i++)
				s += load_int(dtype, x, ao * spec.n + i) * load_int(dtype, y, bo * spec.n + i);
			if (s != load_int(dtype, out, r))
				abort();
		}
	}
	free(x);
	free(y);
	free(out);
}

static void
fuzz_axis(Bytes *b)
{
	int64_t		ad[16],
				bd[16];
	int			an = take_shape(b, ad),
				bn = take_shape(b, bd),
				dtype = take_dtype(b),
				normalize = take(b) & 1;
	int64_t		ax = (int8_t) take(b),
				ay = (int8_t) take(b);
	DtxAxisPlan plan;
	int64_t		na,
				nb,
				no;
	void	   *x,
			   *y,
			   *xp,
			   *yp,
			   *out;
	double	   *ynorm;
	size_t		es = dtx_elem_size(dtype);

	if (dtx_axis_plan(an, ad, bn, bd, ax, ay, &plan) != DTX_SHAPE_OK)
		return;
	if (plan.out_ndim > DTX_MAX_NDIM)
		abort();
	na = numel_capped(an, ad);
	nb = numel_capped(bn, bd);
	no = numel_capped(plan.out_ndim, plan.out_dims);
	if (na < 0 || nb < 0 || no < 0 || no == 0)
		return;
	/* a non-empty result: B, M, K, P are exact and small */
	if (plan.B * plan.M * plan.K != na || plan.B * plan.K * plan.P != nb ||
		plan.B * plan.M * plan.P != no)
		abort();
	x = take_data(b, dtype, na);
	y = take_data(b, dtype, nb);
	xp = malloc(na * es + 1);
	yp = malloc(nb * es + 1);
	out = calloc(no + 1, 8);
	ynorm = malloc((plan.P + 1) * sizeof(double));
	dtx_permute_copy(es, an, ad, plan.xperm, x, xp);
	dtx_permute_copy(es, bn, bd, plan.yperm, y, yp);
	if (normalize)
		dtx_batch_matmul_normalized(dtype, plan.M, plan.K, plan.P, xp, yp, out, 0, plan.B, ynorm);
	else if (dtx_batch_matmul(dtype, plan.M, plan.K, plan.P, xp, yp, out, 0, plan.B) == DTX_OK &&
			 !dtx_dtype_is_float(dtype))
	{
		for (int64_t bi = 0; bi < plan.B; bi++)
			for (int64_t i = 0; i < plan.M; i++)
				for (int64_t p = 0; p < plan.P; p++)
				{
					__int128	s = 0;

					for (int64_t k = 0; k < plan.K; k++)
						s += load_int(dtype, xp, (bi * plan.M + i) * plan.K + k) *
							load_int(dtype, yp, (bi * plan.K + k) * plan.P + p);
					if (s != load_int(dtype, out, (bi * plan.M + i) * plan.P + p))
						abort();
				}
	}
	else if (normalize == 0 && dtx_dtype_is_float(dtype))
		dtx_matmul_rows(dtype, plan.M, plan.K, plan.P, xp, yp, out, 0, plan.M);
	free(x);
	free(y);
	free(xp);
	free(yp);
	free(out);
	free(ynorm);
}

static void
fuzz_vectors(Bytes *b)
{
	int64_t		d[16];
	int			nd = take_shape(b, d),
				dtype = take_dtype(b),
				to = take_dtype(b);
	int64_t		n = numel_capped(nd, d),
				bad;
	void	   *x,
			   *y,
			   *conv;
	double		r;

	if (n < 0)
		return;
	x = take_data(b, dtype, n);
	y = take_data(b, dtype, n);
	conv = malloc(n * 8 + 1);
	dtx_dot(dtype, x, y, n, &r);
	/* integers have no NaN or infinity: their cosine lies in [-1, 1] */
	if (dtx_cosine(dtype, x, y, n, &r) == DTX_OK && !dtx_dtype_is_float(dtype) &&
		(r > 1.0 + 1e-9 || r < -1.0 - 1e-9))
		abort();
	dtx_sumsq(dtype, x, n, &r);
	dtx_convert(dtype, x, to, conv, n, &bad);
	free(x);
	free(y);
	free(conv);
}

static void
fuzz_maxsim(Bytes *b)
{
	static double scratch[DTX_MAXSIM_SCRATCH];
	int			dtype = take_dtype(b);
	int64_t		nq = take(b) % 80,
				ndoc = take(b) % 80,
				d = take(b) % 40;
	void	   *q,
			   *doc;
	double		r;

	if (nq * d > CAP || ndoc * d > CAP)
		return;
	q = take_data(b, dtype, nq * d);
	doc = take_data(b, dtype, ndoc * d);
	if (dtx_maxsim(dtype, doc, ndoc, q, nq, d, scratch, &r) == DTX_OK && !dtx_dtype_is_float(dtype))
	{
		__int128	total = 0;

		for (int64_t i = 0; i < nq; i++)
		{
			__int128	best = 0;

			for (int64_t j = 0; j < ndoc; j++)
			{
				__int128	s = 0;

				for (int64_t k = 0; k < d; k++)
					s += load_int(dtype, q, i * d + k) * load_int(dtype, doc, j * d + k);
				if (j == 0 || s > best)
					best = s;
			}
			total += best;
		}
		if ((double) (int64_t) total != r)
			abort();
	}
	free(q);
	free(doc);
}

static void
fuzz_topk(Bytes *b)
{
	int64_t		n = take(b) % 64,
				nq = 1 + take(b) % 12,
				d = take(b) % 33,
				k = 1 + take(b) % 8;
	float	   *rows,
			   *qs,
			   *scratch;
	double	   *sc;
	int64_t    *ids;
	DtxTopK    *heaps;

	if (n * d > CAP)
		return;
	rows = take_data(b, DTX_FLOAT32, n * d);
	qs = take_data(b, DTX_FLOAT32, nq * d);
	scratch = malloc((nq * n + 1) * sizeof(float));
	sc = malloc(nq * k * sizeof(double));
	ids = malloc(nq * k * sizeof(int64_t));
	heaps = malloc(nq * sizeof(DtxTopK));
	for (int64_t q = 0; q < nq; q++)
		dtx_topk_init(&heaps[q], k, sc + q * k, ids + q * k);
	dtx_topk_scan_f32(rows, n, NULL, 1000, qs, nq, d, scratch, heaps);
	for (int64_t q = 0; q < nq; q++)
	{
		dtx_topk_sorted(&heaps[q]);
		if (heaps[q].n != (n < k ? n : k))
			abort();
	}
	free(rows);
	free(qs);
	free(scratch);
	free(sc);
	free(ids);
	free(heaps);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	Bytes		b = {data, size};

	switch (take(&b) % 6)
	{
		case 0:
			fuzz_rows(&b, 0);
			break;
		case 1:
			fuzz_rows(&b, 1);
			break;
		case 2:
			fuzz_axis(&b);
			break;
		case 3:
			fuzz_vectors(&b);
			break;
		case 4:
			fuzz_maxsim(&b);
			break;
		default:
			fuzz_topk(&b);
			break;
	}
	return 0;
}
