/*
 * fuzz_shape.c: libFuzzer target for the shape logic of the operations:
 * broadcasting (rowdot, and NumPy's for + - *), Keras axes (axis_dot),
 * permute, reshape.  The input bytes become two shapes of rank 0-16, with
 * dims from small sizes, zeros and values up to 2^31-1, and a few axis
 * numbers; every plan that succeeds is checked against its own promises (in
 * 128-bit arithmetic, so that huge dims cannot hide a wrong product), and
 * permutations and broadcasts of shapes small enough to allocate are run on
 * real buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "elementwise.h"
#include "shape.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static unsigned char
take(const unsigned char **p, size_t *n)
{
	if (*n == 0)
		return 0;
	(*n)--;
	return *(*p)++;
}

/* mostly small dims, some zeros, some near 2^31 */
static int64_t
dim(unsigned char v)
{
	static const int64_t big[] = {2147483647, 2147483646, 65536, 46341, 0, 1};

	return v < 192 ? v % 6 : big[v % 6];
}

/*
 * a * b for a, b >= 0, saturated at 2^64 (exact below it); with a <= 2^64
 * and b < 2^63 the product fits in 127 bits.  Every product the checks
 * compare goes through here, so both sides saturate alike.
 */
#define SAT128 ((__int128) 1 << 64)
static __int128
mul128(__int128 a, __int128 b)
{
	__int128	p = a * b;

	return p > SAT128 ? SAT128 : p;
}

/* product of dims, exact below 2^64, 2^64 at or above it */
static __int128
numel128(int nd, const int64_t *d)
{
	__int128	n = 1;

	for (int k = 0; k < nd; k++)
		n = mul128(n, d[k]);
	return n;
}

/*
 * NumPy broadcasting: the plan's shape obeys the rule, and the element-wise
 * kernel, run in two ranges split at an arbitrary element, gives what a
 * naive per-element seek gives.
 */
static void
check_broadcast(int andim, const int64_t *a, int bndim, const int64_t *b, unsigned split)
{
	DtxBroadcast bc;
	int64_t		an = dtx_numel(andim, a, INT64_MAX),
				bn = dtx_numel(bndim, b, INT64_MAX);
	int32_t    *x,
			   *y,
			   *out;
	int64_t		idx[16],
				ao,
				bo,
				cut;

	DtxBroadcastCode code = dtx_broadcast_plan(andim, a, bndim, b, INT64_MAX, &bc);

	/* huge dims beside others may give more elements than a size can hold */
	if (code == DTX_BROADCAST_TOO_LARGE)
		return;
	if (code != DTX_BROADCAST_OK)
	{
		/* refused only when some pair of dims really cannot broadcast */
		int			nd = andim > bndim ? andim : bndim;

		for (int k = 0; k < nd; k++)
		{
			int64_t		da = k < andim ? a[andim - 1 - k] : 1,
						db = k < bndim ? b[bndim - 1 - k] : 1;

			if (da != db && da != 1 && db != 1)
				return;
		}
		abort();
	}
	if (bc.numel != dtx_numel(bc.ndim, bc.dims, INT64_MAX))
		abort();
	/* small outputs only: the per-element reference is slow, and size adds nothing */
	if (bc.numel > 64 || an < 0 || bn < 0 || an > 4096 || bn > 4096)
		return;
	x = malloc((an + 1) * sizeof(int32_t));
	y = malloc((bn + 1) * sizeof(int32_t));
	out = malloc((bc.numel + 1) * sizeof(int32_t));
	for (int64_t i = 0; i < an; i++)
		x[i] = (int32_t) (i * 1000);
	for (int64_t i = 0; i < bn; i++)
		y[i] = (int32_t) i;
	cut = bc.numel ? split % (bc.numel + 1) : 0;
	if (dtx_ew_binary(DTX_EW_ADD, DTX_INT32, &bc, x, y, out, 0, cut) != DTX_OK ||
		dtx_ew_binary(DTX_EW_ADD, DTX_INT32, &bc, x, y, out, cut, bc.numel - cut) != DTX_OK)
		abort();
	for (int64_t i = 0; i < bc.numel; i++)
	{
		dtx_broadcast_seek(&bc, i, idx, &ao, &bo);
		if (ao < 0 || ao >= an || bo < 0 || bo >= bn || out[i] != x[ao] + y[bo])
			abort();
	}
	free(x);
	free(y);
	free(out);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	int			andim = take(&data, &size) % 17,
				bndim = take(&data, &size) % 17;
	int64_t		a[16],
				b[16],
				od[16],
				perm64[16],
				req[16];
	int			perm[16];
	DtxRowSpec	spec;
	DtxAxisPlan plan;
	int			ond;

	for (int k = 0; k < andim; k++)
		a[k] = dim(take(&data, &size));
	for (int k = 0; k < bndim; k++)
		b[k] = dim(take(&data, &size));

	check_broadcast(andim, a, bndim, b, take(&data, &size));
	if (dtx_rows_plan(andim, a, bndim, b, &spec, &ond, od) == DTX_SHAPE_OK)
	{
		if (ond != (andim > bndim ? andim : bndim) - 1 || spec.n != a[andim - 1])
			abort();
		for (int k = 0; k < ond; k++)
			if (spec.a_stride[k] < 0 || spec.b_stride[k] < 0 || od[k] != spec.out_dims[k])
				abort();
	}
	{
		int64_t		ax = (int8_t) take(&data, &size),
					ay = (int8_t) take(&data, &size);

		if (dtx_axis_plan(andim, a, bndim, b, ax, ay, &plan) == DTX_SHAPE_OK)
		{
			__int128	outn = numel128(plan.out_ndim, plan.out_dims);

			if (plan.out_ndim > DTX_MAX_NDIM || plan.out_ndim < 2)
				abort();
			/*
			 * a non-empty result's B, M, K, P are exact (a saturated M or
			 * P makes the result itself at least 2^62)
			 */
			if (outn > 0 && outn < ((__int128) 1 << 62) &&
				(mul128(mul128(plan.B, plan.M), plan.P) != outn ||
				 mul128(mul128(plan.B, plan.M), plan.K) != numel128(andim, a) ||
				 mul128(mul128(plan.B, plan.K), plan.P) != numel128(bndim, b)))
				abort();
		}
	}
	for (int k = 0; k < andim; k++)
		perm64[k] = (int8_t) take(&data, &size) % 18;
	if (dtx_perm_check(andim, perm64, andim, perm) == DTX_SHAPE_OK &&
		numel128(andim, a) <= 4096)
	{
		int64_t		n = dtx_numel(andim, a, INT64_MAX);
		int		   *src = malloc((n + 1) * sizeof(int)),
				   *dst = malloc((n + 1) * sizeof(int)),
				   *back = malloc((n + 1) * sizeof(int));
		int64_t		pd[16];
		int			inv[16];

		for (int64_t i = 0; i < n; i++)
			src[i] = (int) i;
		dtx_permute_copy(sizeof(int), andim, a, perm, src, dst);
		/* permuting back with the inverse restores the data */
		for (int k = 0; k < andim; k++)
		{
			pd[k] = a[perm[k]];
			inv[perm[k]] = k;
		}
		dtx_permute_copy(sizeof(int), andim, pd, inv, dst, back);
		if (n > 0 && memcmp(src, back, n * sizeof(int)) != 0)
			abort();
		free(src);
		free(dst);
		free(back);
	}
	{
		int			nreq = take(&data, &size) % 18;
		int64_t		out[16];

		for (int k = 0; k < nreq && k < 16; k++)
		{
			unsigned char v = take(&data, &size);

			req[k] = v >= 250 ? -1 : dim(v);
		}
		int64_t		numel = dtx_numel(andim, a, INT64_MAX);

		if (numel >= 0 && nreq <= 16 &&
			dtx_reshape_plan(numel, req, nreq, out) == DTX_SHAPE_OK &&
			numel128(nreq, out) != numel)
			abort();
	}
	return 0;
}
