/*
 * test_dtype.c: unit tests of the dtype descriptors (src/core/dtype.c),
 * the small-float conversions (half.h, half.c) and the paths that go
 * through them: the parser, dtx_convert and the binary form.
 *
 * Every descriptor row: names and aliases, load/store/write_row round
 * trips of its extremes, NaN, infinities, signed zero and subnormals, its
 * range failures.  float16 and bfloat16 against references written here:
 * a nearest-value search over all 65536 bit patterns (rounding from
 * double), the F16C path of half.c against the portable one for every
 * pattern and many random floats, bfloat16 against float32 truncation with
 * ties to even, and text output read back for every pattern.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binary.h"
#include "half.h"
#include "kern_util.h"
#include "kernels.h"
#include "parse.h"
#include "tap.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#endif

/* bulk conversions (half.c) */
void		dtx_f16_to_f32(const void *src, float *dst, int64_t n);
void		dtx_f32_to_f16(const float *src, void *dst, int64_t n);
void		dtx_bf16_to_f32(const void *src, float *dst, int64_t n);
void		dtx_f32_to_bf16(const float *src, void *dst, int64_t n);

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint32_t
f32_bits(float f)
{
	uint32_t	u;

	memcpy(&u, &f, 4);
	return u;
}

static float
bits_f32(uint32_t u)
{
	float		f;

	memcpy(&f, &u, 4);
	return f;
}

/* ---- names ---- */

static void
test_names(void)
{
	char		list[512],
				small[12];
	int			rows = 0,
				names_ok = 1,
				list_ok = 1;

	for (int k = 0; dtx_dtypes[k]; k++)
	{
		const DtxDtypeDesc *d = dtx_dtypes[k];
		char		upper[32];

		rows++;
		names_ok &= dtx_dtype(d->code) == d && dtx_dtype_name(d->code) == d->name &&
			dtx_elem_size(d->code) == d->size &&
			dtx_dtype_from_name(d->name, strlen(d->name)) == d->code;
		for (size_t i = 0; i <= strlen(d->name); i++)
			upper[i] = (char) (d->name[i] >= 'a' && d->name[i] <= 'z' ? d->name[i] - 32 : d->name[i]);
		names_ok &= dtx_dtype_from_name(upper, strlen(upper)) == d->code;
		for (int a = 0; d->aliases[a]; a++)
			names_ok &= dtx_dtype_from_name(d->aliases[a], strlen(d->aliases[a])) == d->code;
		/* a prefix of a name is no name */
		names_ok &= dtx_dtype_from_name(d->name, strlen(d->name) - 1) == DTX_INVALID ||
			dtx_dtype_from_name(d->name, strlen(d->name) - 1) != d->code;
		tap_ok(d->size == 2 || d->size == 4 || d->size == 8, "%s: element size %d", d->name, d->size);
		tap_ok(d->load && d->store && d->write_row && d->compute > 0 &&
			   (d->to_f32 == NULL) == (d->from_f32 == NULL),
			   "%s: load, store, write_row, compute %d, to_f32/from_f32 both or neither",
			   d->name, d->compute);
	}
	tap_ok(rows == 6, "six descriptor rows (got %d)", rows);
	/* the longest texts of the wide dtypes fit their text_max (the half ones: every pattern, below) */
	for (int k = 0; dtx_dtypes[k]; k++)
	{
		const DtxDtypeDesc *d = dtx_dtypes[k];
		static const double extremes[] = {-1.1754943508222875e-38, -3.4028234663852886e38,
			-16777216.0, -1.401298464324817e-45, -0.1, -2.2250738585072014e-308,
			-1.7976931348623157e308, -4.9406564584124654e-324, -123456789012345.67,
			-2147483648.0, -9223372036854775808.0, -1e300 / 3};
		char		buf[2 * DTX_ELEM_TEXT_MAX];
		uint64_t	elem;
		int			longest = 0;

		if (d->to_f32)
			continue;
		for (size_t i = 0; i < sizeof(extremes) / sizeof(extremes[0]); i++)
			if (d->store(extremes[i], &elem, 0))
			{
				int			len = (int) (d->write_row(buf, &elem, 1) - buf);

				longest = len > longest ? len : longest;
			}
		tap_ok(longest + 1 <= d->text_max && d->text_max <= DTX_ELEM_TEXT_MAX,
			   "%s: the longest extreme prints in %d bytes, with its separator within text_max %d",
			   d->name, longest, d->text_max);
	}
	tap_ok(names_ok, "every name and alias (any case) gives its row's code, and the code its row");
	tap_ok(dtx_dtype_from_name("float16", 7) == DTX_FLOAT16 &&
		   dtx_dtype_from_name("half", 4) == DTX_FLOAT16 &&
		   dtx_dtype_from_name("bfloat16", 8) == DTX_BFLOAT16 &&
		   dtx_dtype_from_name("int8", 4) == DTX_INT64 &&
		   dtx_dtype_from_name("real", 4) == DTX_FLOAT32,
		   "float16, half, bfloat16; int8 is PostgreSQL's int8 (int64); real is float32");
	tap_ok(dtx_dtype_from_name("float17", 7) == DTX_INVALID &&
		   dtx_dtype_from_name("", 0) == DTX_INVALID &&
		   dtx_dtype_from_name("float16x", 8) == DTX_INVALID &&
		   dtx_dtype_from_name("float16x", 7) == DTX_FLOAT16,
		   "unknown names are DTX_INVALID; the length bounds the name");
	tap_ok(dtx_dtype(DTX_INVALID) == NULL && dtx_dtype(DTX_INT8) == NULL &&
		   dtx_dtype(-1) == NULL && dtx_dtype(DTX_DTYPE_CODES) == NULL && dtx_dtype(255) == NULL &&
		   dtx_elem_size(DTX_INT8) == 0 && dtx_dtype_name(99) == NULL &&
		   !dtx_dtype_supported(DTX_INT8) && dtx_dtype_supported(DTX_BFLOAT16),
		   "codes 0, 7 (reserved int8), -1, 8 and 255 have no row");
	tap_ok(dtx_dtype_is_half(DTX_FLOAT16) && dtx_dtype_is_half(DTX_BFLOAT16) &&
		   !dtx_dtype_is_half(DTX_FLOAT32) && !dtx_dtype_is_half(DTX_INT8) &&
		   dtx_dtype_is_float(DTX_BFLOAT16) && !dtx_dtype_is_float(DTX_INT32) &&
		   dtx_dtype(DTX_FLOAT16)->compute == DTX_FLOAT32 &&
		   dtx_dtype(DTX_BFLOAT16)->compute == DTX_FLOAT32,
		   "half dtypes: float, half, computed in float32");
	dtx_dtype_list(list, sizeof(list));
	for (int k = 0; dtx_dtypes[k]; k++)
	{
		list_ok &= strstr(list, dtx_dtypes[k]->name) != NULL;
		for (int a = 0; dtx_dtypes[k]->aliases[a]; a++)
			list_ok &= strstr(list, dtx_dtypes[k]->aliases[a]) != NULL;
	}
	tap_ok(list_ok && strcmp(list, "float32 (float, float4, real), float64 (double, float8), "
							 "int32 (int, int4, integer), int64 (long, int8, bigint), "
							 "float16 (half), bfloat16") == 0,
		   "dtx_dtype_list names every dtype and alias: %s", list);
	memset(small, 'x', sizeof(small));
	dtx_dtype_list(small, 8);
	tap_ok(strlen(small) == 7 && small[8] == 'x', "dtx_dtype_list stops within a short buffer: \"%s\"", small);
}

/* ---- each row: extremes through store, load, write_row and the parser ---- */

typedef struct Case
{
	double		v;
	int			ok;				/* store accepts it */
	double		want;			/* the value stored (NAN: a NaN) */
} Case;

/* store v, load it back, print it, parse the text with the dtype's tag: the same bits */
static int
round_trip(const DtxDtypeDesc *d, const Case *c, char *why, size_t whylen)
{
	uint64_t	elem = 0x5a5a5a5a5a5a5a5aull,
				back = 0;
	uint64_t	sentinel = elem;
	char		text[128];
	char	   *p;
	int			n;
	DtxParseInfo info;
	DtxParseError err;
	double		got;

	if (d->store(c->v, &elem, 0) != c->ok)
		return snprintf(why, whylen, "store(%g) gave %d", c->v, !c->ok), 0;
	if (!c->ok)
	{
		if (elem != sentinel)
			return snprintf(why, whylen, "a refused store(%g) wrote", c->v), 0;
		return 1;
	}
	got = d->load(&elem, 0);
	if (isnan(c->want) ? !isnan(got) : (got != c->want || signbit(got) != signbit(c->want)))
		return snprintf(why, whylen, "store(%.17g) loads as %.17g, not %.17g", c->v, got, c->want), 0;
	if (isnan(got) ? !isnan(dtx_load_double(d->code, &elem, 0)) :
		dtx_load_double(d->code, &elem, 0) != got)
		return snprintf(why, whylen, "dtx_load_double disagrees with load"), 0;
	n = sprintf(text, "%s:", d->name);
	p = d->write_row(text + n, &elem, 1);
	*p = '\0';
	if (p - (text + n) > DTX_ELEM_TEXT_MAX)
		return snprintf(why, whylen, "text \"%s\" is longer than DTX_ELEM_TEXT_MAX", text), 0;
	if (d->is_float && !strpbrk(text + n, ".eNI"))
		return snprintf(why, whylen, "float text \"%s\" would re-read as an integer", text), 0;
	if (dtx_parse(text, d->code, &back, 1, &info, &err, NULL) != DTX_PARSE_OK ||
		info.dtype != d->code || info.ndim != 0)
		return snprintf(why, whylen, "\"%s\" does not parse back", text), 0;
	if (isnan(got) ? !isnan(d->load(&back, 0)) : memcmp(&back, &elem, d->size) != 0)
		return snprintf(why, whylen, "\"%s\" parses to other bits", text), 0;
	return snprintf(why, whylen, "%.17g -> \"%s\"", c->v, text + n), 1;
}

static void
run_cases(int code, const Case *cases, int n)
{
	const DtxDtypeDesc *d = dtx_dtype(code);

	for (int i = 0; i < n; i++)
	{
		char		why[256];
		int			ok = round_trip(d, &cases[i], why, sizeof(why));

		tap_ok(ok, "%s: %s%s", d->name, cases[i].ok ? "" : "refused: ", why);
	}
}

static void
test_rows(void)
{
	const double f16max = 65504.0,
				f16min = ldexp(1, -14),
				f16tiny = ldexp(1, -24);
	const double bfmax = DTX_BF16_MAX,
				bfmin = ldexp(1, -126),
				bftiny = ldexp(1, -133);
	const Case f32[] = {
		{FLT_MAX, 1, FLT_MAX}, {-FLT_MAX, 1, -FLT_MAX}, {FLT_MIN, 1, FLT_MIN},
		{FLT_TRUE_MIN, 1, FLT_TRUE_MIN}, {-0.0, 1, -0.0}, {NAN, 1, NAN},
		{INFINITY, 1, INFINITY}, {-INFINITY, 1, -INFINITY}, {0.1, 1, 0.1f},
		{1 + ldexp(1, -24), 1, 1.0}, {1 + 3 * ldexp(1, -24), 1, 1 + ldexp(1, -22)},
		{ldexp(1, -150), 1, 0.0}, {3.5e38, 0, 0}, {-1e300, 0, 0},
	};
	const Case f64[] = {
		{DBL_MAX, 1, DBL_MAX}, {DBL_MIN, 1, DBL_MIN}, {DBL_TRUE_MIN, 1, DBL_TRUE_MIN},
		{-0.0, 1, -0.0}, {NAN, 1, NAN}, {INFINITY, 1, INFINITY}, {-INFINITY, 1, -INFINITY},
		{0.1, 1, 0.1},
	};
	const Case i32[] = {
		{2147483647.0, 1, 2147483647.0}, {-2147483648.0, 1, -2147483648.0},
		{-2.9, 1, -2.0}, {2.9, 1, 2.0}, {-0.0, 1, 0.0}, {2147483648.0, 0, 0},
		{-2147483649.0, 0, 0}, {NAN, 0, 0}, {INFINITY, 0, 0},
	};
	const Case i64[] = {
		{-9223372036854775808.0, 1, -9223372036854775808.0},
		{9223372036854774784.0, 1, 9223372036854774784.0}, {-7.5, 1, -7.0},
		{9223372036854775808.0, 0, 0}, {NAN, 0, 0}, {-INFINITY, 0, 0},
	};
	const Case f16[] = {
		{f16max, 1, f16max}, {-f16max, 1, -f16max}, {f16min, 1, f16min}, {f16tiny, 1, f16tiny},
		{f16min - f16tiny, 1, f16min - f16tiny}, {-0.0, 1, -0.0}, {NAN, 1, NAN},
		{INFINITY, 1, INFINITY}, {-INFINITY, 1, -INFINITY},
		/* ties to even: 2049 and 2051 lie halfway */
		{2049, 1, 2048}, {2051, 1, 2052}, {-2049, 1, -2048}, {2050.0001, 1, 2050},
		{1 + ldexp(1, -11), 1, 1}, {1 + 3 * ldexp(1, -11), 1, 1 + ldexp(1, -9)},
		/* halfway between subnormals: 0 and 2^-24, 2^-24 and 2^-23 */
		{ldexp(1, -25), 1, 0}, {-ldexp(1, -25), 1, -0.0}, {3 * ldexp(1, -25), 1, ldexp(1, -23)},
		{nextafter(ldexp(1, -25), 1), 1, f16tiny}, {ldexp(1, -30), 1, 0},
		/* the largest finite values still round to 65504; 65520 rounds away */
		{65519.99, 1, f16max}, {65520, 0, 0}, {-65520, 0, 0}, {1e300, 0, 0}, {70000, 0, 0},
	};
	const Case bf16[] = {
		{bfmax, 1, bfmax}, {-bfmax, 1, -bfmax}, {bfmin, 1, bfmin}, {bftiny, 1, bftiny},
		{-0.0, 1, -0.0}, {NAN, 1, NAN}, {INFINITY, 1, INFINITY}, {-INFINITY, 1, -INFINITY},
		{1 + ldexp(1, -8), 1, 1}, {1 + 3 * ldexp(1, -8), 1, 1 + ldexp(1, -6)},
		{ldexp(1, -134), 1, 0}, {3 * ldexp(1, -134), 1, ldexp(1, -132)},
		{FLT_MAX, 0, 0}, {bfmax + ldexp(1, 119), 0, 0}, {nextafter(bfmax + ldexp(1, 119), 0), 1, bfmax},
		{1e39, 0, 0}, {0.1, 1, 0.10009765625},
	};

	run_cases(DTX_FLOAT32, f32, sizeof(f32) / sizeof(f32[0]));
	run_cases(DTX_FLOAT64, f64, sizeof(f64) / sizeof(f64[0]));
	run_cases(DTX_INT32, i32, sizeof(i32) / sizeof(i32[0]));
	run_cases(DTX_INT64, i64, sizeof(i64) / sizeof(i64[0]));
	run_cases(DTX_FLOAT16, f16, sizeof(f16) / sizeof(f16[0]));
	run_cases(DTX_BFLOAT16, bf16, sizeof(bf16) / sizeof(bf16[0]));
}

/* ---- float16 and bfloat16 against references ---- */

/*
 * The reference rounding from double: the nearest of the 65536 patterns'
 * values by search (positive finite patterns are ordered as their bits),
 * ties to the even pattern, beyond the largest plus half its step an
 * infinity.
 */
static uint16_t
ref_round(double d, const DtxDtypeDesc *desc, uint16_t maxbits)
{
	uint16_t	sign = signbit(d) ? 0x8000 : 0;
	double		a = fabs(d);
	uint16_t	lo = 0,
				hi = maxbits,
				inf = (uint16_t) (maxbits + 1);
	double		top = desc->load(&maxbits, 0);
	uint16_t	below = (uint16_t) (maxbits - 1);
	double		limit = top + (top - desc->load(&below, 0)) / 2;

	if (a >= limit)
		return sign | inf;
	if (a >= top)
		return sign | maxbits;
	/* the largest pattern whose value is <= a */
	while (lo < hi)
	{
		uint16_t	mid = (uint16_t) ((lo + hi + 1) / 2);

		if (desc->load(&mid, 0) <= a)
			lo = mid;
		else
			hi = (uint16_t) (mid - 1);
	}
	{
		uint16_t	up = (uint16_t) (lo + 1);
		double		vlo = desc->load(&lo, 0),
					vhi = desc->load(&up, 0);

		/* both differences are exact: a lies between neighbours */
		if (a - vlo < vhi - a || (a - vlo == vhi - a && (lo & 1) == 0))
			return sign | lo;
		return sign | up;
	}
}

/* a double of magnitude 2^lo_exp to 2^hi_exp; one in four exactly halfway between two mbits-bit values */
static double
random_double(int lo_exp, int hi_exp, int mbits)
{
	double		m = 1.0 + (double) (next_rand() >> 11) * ldexp(1, -53);
	int			e = lo_exp + (int) (next_rand() % (uint64_t) (hi_exp - lo_exp + 1));
	double		v = ldexp(m, e);

	if (next_rand() % 4 == 0)
		v = ldexp(floor(ldexp(m, mbits)) + 0.5, e - mbits);
	return next_rand() & 1 ? -v : v;
}

static void
test_half_reference(int code, uint16_t maxbits, int mbits, int lo_exp, int hi_exp)
{
	const DtxDtypeDesc *d = dtx_dtype(code);
	int			bad = 0;
	double		first = 0;

	/* every pattern's value and its neighbours' midpoints */
	for (uint32_t b = 0; b < 0x10000; b++)
	{
		uint16_t	h = (uint16_t) b,
					got = 0;
		double		v = d->load(&h, 0);

		if (isnan(v))
			continue;
		d->store(v, &got, 0);
		if (got != h && !bad++)
			first = v;
		if ((h & 0x7fff) < maxbits)
		{
			uint16_t	next = (uint16_t) (h + 1);
			double		mid = (v + d->load(&next, 0)) / 2;
			uint16_t	want = ref_round(mid, d, maxbits);

			/* a refused store is the infinity the reference names */
			if (!d->store(mid, &got, 0))
				got = (uint16_t) ((h & 0x8000) | (maxbits + 1));
			if (got != want && !bad++)
				first = mid;
		}
	}
	tap_ok(bad == 0, "%s: store(load(b)) == b for every non-NaN pattern, every midpoint to even (%d bad, first %.17g)",
		   d->name, bad, first);
	for (int i = 0; i < 1000000; i++)
	{
		double		v = random_double(lo_exp, hi_exp, mbits);
		uint16_t	want = ref_round(v, d, maxbits),
					got = 0;

		if (!d->store(v, &got, 0))
			got = (uint16_t) ((signbit(v) ? 0x8000 : 0) | (maxbits + 1));
		if (got != want && !bad++)
			first = v;
	}
	tap_ok(bad == 0, "%s: store of 10^6 random doubles (2^%d to 2^%d, many ties) equals the nearest-pattern search (%d bad, first %.17g)",
		   d->name, lo_exp, hi_exp, bad, first);
}

static int
cpu_has_f16c(void)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	unsigned int a,
				b,
				c,
				d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 29));
#else
	return 0;
#endif
}

/* half.c's bulk float16 path (F16C where the CPU has it) against half.h's portable one */
static void
test_f16_bulk(void)
{
	static uint16_t all[0x10000 + 3],
				back[0x10000 + 3];
	static float wide[0x10000 + 3];
	int			bad = 0;
	enum
	{
		NR = 1 << 20
	};
	float	   *rf = malloc(sizeof(float) * (NR + 5));
	uint16_t   *rh = malloc(sizeof(uint16_t) * (NR + 5));

	printf("# F16C: %s\n", cpu_has_f16c() ? "yes (half.c uses it)" : "no (portable path only)");
	for (uint32_t b = 0; b < 0x10000; b++)
		all[b] = (uint16_t) b;
	/* an odd count: the vector loop and its scalar tail both run */
	dtx_f16_to_f32(all, wide, 0x10000);
	for (uint32_t b = 0; b < 0x10000; b++)
	{
		float		ref = dtx_f16_to_float((uint16_t) b);

		if (isnan(ref) ? !isnan(wide[b]) : f32_bits(ref) != f32_bits(wide[b]))
			bad++;
	}
	tap_ok(bad == 0, "float16 -> float32: bulk equals portable for all 65536 patterns (%d bad)", bad);
	bad = 0;
	for (uint32_t b = 0; b < 0x10000; b++)
	{
		float		f = dtx_f16_to_float((uint16_t) b);
		double		ref = dtx_small_to_double(b, DTX_F16_EBITS, DTX_F16_MBITS);

		if (isnan(ref) ? !isnan(f) : (double) f != ref || !signbit(f) != !signbit(ref))
			bad++;
	}
	tap_ok(bad == 0, "float16 -> float32 by bit arithmetic equals the reference (ldexp) for all 65536 patterns (%d bad)", bad);
	bad = 0;
	dtx_f32_to_f16(wide, back, 0x10000);
	for (uint32_t b = 0; b < 0x10000; b++)
		if (isnan(wide[b]) ? (back[b] & 0x7fff) <= 0x7c00 : back[b] != b)
			bad++;
	tap_ok(bad == 0, "float16 -> float32 -> float16 gives the pattern back, NaN stays NaN (%d bad)", bad);
	bad = 0;
	for (int i = 0; i < NR + 5; i++)
	{
		/* random bits, weighted to float16's exponents, its ties and its edges */
		uint32_t	u = (uint32_t) next_rand();
		int			kind = (int) (next_rand() % 4);

		if (kind == 1)
			u = (u & 0x80000000u) | ((uint32_t) (103 + next_rand() % 40) << 23) | (u & 0x7fffff);
		else if (kind == 2)
			u = (u & 0x80000000u) | ((uint32_t) (103 + next_rand() % 40) << 23) | (u & 0x7fe000) | 0x1000;
		rf[i] = bits_f32(u);
	}
	dtx_f32_to_f16(rf, rh, NR + 5);
	for (int i = 0; i < NR + 5; i++)
	{
		uint16_t	ref = dtx_double_to_f16(rf[i]);

		if (isnan(rf[i]) ? (rh[i] & 0x7fff) <= 0x7c00 : rh[i] != ref)
			bad++;
	}
	tap_ok(bad == 0, "float32 -> float16: bulk equals portable for 2^20 random floats, ties and subnormals among them (%d bad)", bad);
	free(rf);
	free(rh);
}

/* bfloat16: float32 truncated to its top half, ties to even, NaN kept quiet */
static uint16_t
bf16_by_truncation(float f)
{
	uint32_t	u = f32_bits(f);
	uint16_t	top = (uint16_t) (u >> 16);
	uint32_t	rest = u & 0xffff;

	if (isnan(f))
		return top | 0x0040;
	if (rest > 0x8000 || (rest == 0x8000 && (top & 1)))
		top++;
	return top;
}

static void
test_bf16_bulk(void)
{
	enum
	{
		N = 1 << 16
	};
	static uint16_t all[N],
				back[N];
	static float wide[N];
	float	   *f = malloc(sizeof(float) * 4096);
	uint16_t   *h = malloc(sizeof(uint16_t) * 4096);
	int			bad = 0;

	for (uint32_t b = 0; b < N; b++)
		all[b] = (uint16_t) b;
	dtx_bf16_to_f32(all, wide, N);
	for (uint32_t b = 0; b < N; b++)
		if (f32_bits(wide[b]) != b << 16 || f32_bits(dtx_bf16_to_float((uint16_t) b)) != b << 16)
			bad++;
	tap_ok(bad == 0, "bfloat16 -> float32 is the pattern shifted up, bulk and scalar (%d bad)", bad);
	bad = 0;
	dtx_f32_to_bf16(wide, back, N);
	for (uint32_t b = 0; b < N; b++)
		if (isnan(wide[b]) ? (back[b] & 0x7fff) <= 0x7f80 : back[b] != b)
			bad++;
	tap_ok(bad == 0, "bfloat16 -> float32 -> bfloat16 gives the pattern back (%d bad)", bad);
	/* every 2^8th float32 pattern with random low bits, in blocks: every exponent, many ties */
	bad = 0;
	for (uint64_t base = 0; base < ((uint64_t) 1 << 32); base += (uint64_t) 4096 << 8)
	{
		for (int i = 0; i < 4096; i++)
		{
			uint32_t	u = (uint32_t) (base + ((uint64_t) i << 8)) | (uint32_t) (next_rand() & 0xff);

			if (i % 3 == 0)
				u = (u & 0xffff0000u) | 0x8000;	/* exactly halfway */
			f[i] = bits_f32(u);
		}
		dtx_f32_to_bf16(f, h, 4096);
		for (int i = 0; i < 4096; i++)
		{
			uint16_t	want = bf16_by_truncation(f[i]);

			if (h[i] != want || (!isnan(f[i]) && dtx_double_to_bf16(f[i]) != want))
				bad++;
		}
	}
	tap_ok(bad == 0, "float32 -> bfloat16: bulk and rounding from double equal truncation with ties to even, 2^24 patterns over every exponent (%d bad)", bad);
	free(f);
	free(h);
}

/* every pattern printed by write_row and read back by the parser, one at a time and as one row */
static void
test_text_all(int code)
{
	const DtxDtypeDesc *d = dtx_dtype(code);
	enum
	{
		N = 1 << 16
	};
	static uint16_t all[N],
				back[N];
	size_t		cap = (size_t) N * (DTX_ELEM_TEXT_MAX + 1) + 64;
	char	   *text = malloc(cap);
	char		one[64];
	int			bad = 0,
				longer = 0,
				longest = 0;
	DtxParseInfo info;
	DtxParseError err;
	char	   *p;

	for (uint32_t b = 0; b < N; b++)
	{
		uint16_t	h = (uint16_t) b,
					got = 0;
		int			n = sprintf(one, "%s:", d->name);
		char	   *end = d->write_row(one + n, &h, 1);
		int			digits = 0,
					seen = 0;

		*end = '\0';
		longest = (int) (end - (one + n)) > longest ? (int) (end - (one + n)) : longest;
		if (dtx_parse(one, code, &got, 1, &info, &err, NULL) != DTX_PARSE_OK ||
			(isnan(d->load(&h, 0)) ? !isnan(d->load(&got, 0)) : got != h))
			bad++;
		/* shortest: one significant digit fewer reads as another pattern */
		for (const char *c = one + n; *c && *c != 'e'; c++)
		{
			seen |= *c >= '1' && *c <= '9';
			digits += seen && *c >= '0' && *c <= '9';
		}
		if (!isnan(d->load(&h, 0)) && !isinf(d->load(&h, 0)) && d->load(&h, 0) != 0 &&
			d->load(&h, 0) != rint(d->load(&h, 0)) && digits > 1)
		{
			char		shorter[64];
			uint16_t	s = 0;

			snprintf(shorter, sizeof(shorter), "%.*e", digits - 2, d->load(&h, 0));
			if (d->store(strtod(shorter, NULL), &s, 0) && s == h)
				longer++;
		}
	}
	tap_ok(bad == 0, "%s: all 65536 patterns print and parse back to the same bits (NaN as NaN) (%d bad)", d->name, bad);
	tap_ok(longer == 0 && longest + 1 <= d->text_max && d->text_max <= DTX_ELEM_TEXT_MAX,
		   "%s: no fraction printed with a digit more than needed (%d); longest text %d bytes, with its separator within text_max %d",
		   d->name, longer, longest, d->text_max);
	/* the whole set as one literal */
	for (uint32_t b = 0; b < N; b++)
		all[b] = (uint16_t) b;
	p = text + sprintf(text, "%s:[", d->name);
	p = d->write_row(p, all, N);
	strcpy(p, "]");
	bad = 0;
	if (dtx_parse(text, code, back, dtx_parse_capacity(text), &info, &err, NULL) != DTX_PARSE_OK ||
		info.numel != N || info.dtype != code)
		bad = -1;
	else
		for (uint32_t b = 0; b < N; b++)
			if (isnan(d->load(&all[b], 0)) ? !isnan(d->load(&back[b], 0)) : back[b] != all[b])
				bad++;
	tap_ok(bad == 0, "%s: one literal of all 65536 patterns parses back (%d bad)", d->name, bad);
	free(text);
}

/* ---- the parser: rounding once from the digits ---- */

static void
expect_parse(const char *s, int code, double want)
{
	uint64_t	elem = 0;
	DtxParseInfo info;
	DtxParseError err;
	DtxParseCode c = dtx_parse(s, code, &elem, 1, &info, &err, NULL);
	double		got = c == DTX_PARSE_OK ? dtx_dtype(code)->load(&elem, 0) : NAN;

	if (isnan(want))
		tap_ok(c == DTX_PARSE_RANGE, "\"%s\" is out of range (code %d)", s, c);
	else
		tap_ok(c == DTX_PARSE_OK && got == want && signbit(got) == signbit(want),
			   "\"%s\" reads as %.17g (got %.17g, code %d)", s, want, got, c);
}

static void
test_parse_rounding(void)
{
	expect_parse("float16:2049", DTX_FLOAT16, 2048);
	expect_parse("float16:2051", DTX_FLOAT16, 2052);
	/* digits just off a tie whose nearest double lies on it */
	expect_parse("float16:2049.0000000000000000001", DTX_FLOAT16, 2050);
	expect_parse("float16:-2049.0000000000000000001", DTX_FLOAT16, -2050);
	expect_parse("float16:2050.9999999999999999999", DTX_FLOAT16, 2050);
	expect_parse("float16:2.98023223876953125e-8", DTX_FLOAT16, 0);
	expect_parse("float16:2.98023223876953125000000001e-8", DTX_FLOAT16, ldexp(1, -24));
	expect_parse("float16:2.9802322387695312e-8", DTX_FLOAT16, 0);
	expect_parse("float16:-0.0000000298023223876953125", DTX_FLOAT16, -0.0);
	expect_parse("float16:65519.9999999999999999999", DTX_FLOAT16, 65504);
	expect_parse("float16:65520", DTX_FLOAT16, NAN);
	expect_parse("float16:65520.000000000000000001", DTX_FLOAT16, NAN);
	expect_parse("float16:1e400", DTX_FLOAT16, NAN);
	expect_parse("float16:1e-400", DTX_FLOAT16, 0);
	expect_parse("float16:-inf", DTX_FLOAT16, -INFINITY);
	expect_parse("bfloat16:1.0039062500000000001", DTX_BFLOAT16, 1.0078125);
	expect_parse("bfloat16:1.00390625", DTX_BFLOAT16, 1);
	expect_parse("bfloat16:1.0117187499999999999", DTX_BFLOAT16, 1.0078125);
	/* bfloat16's overflow threshold 511 * 2^119, exactly, and a digit's weight below it */
	expect_parse("bfloat16:339617752923046005526922703901628039168", DTX_BFLOAT16, NAN);
	expect_parse("bfloat16:339617752923046005526922703901628039167", DTX_BFLOAT16, DTX_BF16_MAX);
	expect_parse("bfloat16:3.39617752923046005526922703901628039167e38", DTX_BFLOAT16, DTX_BF16_MAX);
	expect_parse("bfloat16:1e39", DTX_BFLOAT16, NAN);
	/* a float16 tie written with more digits than a double holds, in exponent form */
	expect_parse("float16:20490000000000000000000001e-22", DTX_FLOAT16, 2050);
	expect_parse("float16:20490000000000000000000000e-22", DTX_FLOAT16, 2048);
}

/* ---- dtx_convert through the descriptors ---- */

static void
test_convert(void)
{
	float		f[11] = {0.1f, 65504, 65519, -2049, 1e-8f, -0.0f, INFINITY, NAN, 2051, 3, 4};
	uint16_t	h[11],
				b[11];
	double		dd[11];
	int32_t		i32[11];
	int64_t		i64[2] = {1157425104234217473LL, -(1LL << 62) - (1LL << 54) - 1};
	int64_t		bad = -1;
	int			ok;

	ok = dtx_convert(DTX_FLOAT32, f, DTX_FLOAT16, h, 11, &bad) == DTX_OK;
	ok &= dtx_convert(DTX_FLOAT16, h, DTX_FLOAT64, dd, 11, &bad) == DTX_OK;
	tap_ok(ok && dd[0] == 0.0999755859375 && dd[1] == 65504 && dd[2] == 65504 && dd[3] == -2048 &&
		   dd[4] == 0 &&
		   signbit(dd[5]) && isinf(dd[6]) && isnan(dd[7]) && dd[8] == 2052,
		   "float32 -> float16 (ties to even, 65519 to 65504) -> float64 exact");
	ok = dtx_convert(DTX_FLOAT16, h, DTX_BFLOAT16, b, 11, &bad) == DTX_OK;
	tap_ok(ok && dtx_bf16_to_float(b[1]) == 65536 && dtx_bf16_to_float(b[3]) == -2048,
		   "float16 -> bfloat16 through float32: 65504 rounds to 65536");
	b[0] = dtx_float_to_bf16(1e5f);
	tap_ok(dtx_convert(DTX_BFLOAT16, b, DTX_FLOAT16, h, 1, &bad) == DTX_ERR_RANGE && bad == 0,
		   "bfloat16 1e5 -> float16 is out of range");
	f[3] = 70000;
	bad = -1;
	ok = dtx_convert(DTX_FLOAT32, f, DTX_FLOAT16, h, 11, &bad) == DTX_ERR_RANGE;
	tap_ok(ok && bad == 3, "float32 70000 -> float16: out of range at index 3 (got %lld)", (long long) bad);
	{
		/* beyond the 256-element staging buffer: the index counts from the start */
		static uint16_t big[1000],
					out[1000];

		for (int i = 0; i < 1000; i++)
			big[i] = dtx_float_to_bf16(1.0f);
		big[700] = dtx_float_to_bf16(1e6f);
		bad = -1;
		ok = dtx_convert(DTX_BFLOAT16, big, DTX_FLOAT16, out, 1000, &bad) == DTX_ERR_RANGE;
		tap_ok(ok && bad == 700, "bfloat16 -> float16 reports element 700 of 1000 (got %lld)", (long long) bad);
	}
	ok = dtx_convert(DTX_INT64, i64, DTX_BFLOAT16, b, 2, &bad) == DTX_OK;
	tap_ok(ok && dtx_bf16_to_float(b[0]) == ldexp(1, 60) + ldexp(1, 53) &&
		   dtx_bf16_to_float(b[1]) == -(ldexp(1, 62) + ldexp(1, 55)),
		   "int64 -> bfloat16 rounds once from the integer (2^60+2^52+1 goes up, not to the tie's even 2^60)");
	h[0] = dtx_double_to_f16(-2.75);
	h[1] = dtx_double_to_f16(65504);
	h[2] = dtx_double_to_f16(NAN);
	ok = dtx_convert(DTX_FLOAT16, h, DTX_INT32, i32, 2, &bad) == DTX_OK;
	bad = -1;
	tap_ok(ok && i32[0] == -2 && i32[1] == 65504 &&
		   dtx_convert(DTX_FLOAT16, h, DTX_INT32, i32, 3, &bad) == DTX_ERR_RANGE && bad == 2,
		   "float16 -> int32 truncates; NaN is out of range");
	{
		int32_t		src[3] = {2049, -2051, 70000};

		bad = -1;
		tap_ok(dtx_convert(DTX_INT32, src, DTX_FLOAT16, h, 2, &bad) == DTX_OK &&
			   dtx_f16_to_float(h[0]) == 2048 && dtx_f16_to_float(h[1]) == -2052 &&
			   dtx_convert(DTX_INT32, src, DTX_FLOAT16, h, 3, &bad) == DTX_ERR_RANGE && bad == 2,
			   "int32 -> float16 rounds to even; 70000 is out of range");
	}
	{
		int64_t		big[2] = {INT64_MAX, 5};
		int32_t		o[2];
		int64_t		back[2];
		float		fo[2];

		bad = -1;
		tap_ok(dtx_convert(DTX_INT64, big + 1, DTX_INT32, o, 1, &bad) == DTX_OK && o[0] == 5 &&
			   dtx_convert(DTX_INT64, big, DTX_INT32, o, 2, &bad) == DTX_ERR_RANGE && bad == 0 &&
			   dtx_convert(DTX_INT32, o, DTX_INT64, back, 1, &bad) == DTX_OK && back[0] == 5 &&
			   dtx_convert(DTX_INT64, big, DTX_FLOAT32, fo, 1, &bad) == DTX_OK && fo[0] == 0x1p63f,
			   "integers convert exactly or not at all; int64 max to float32 rounds once to 2^63");
	}
	tap_ok(dtx_convert(DTX_INT8, f, DTX_FLOAT32, f, 1, &bad) == DTX_ERR_DTYPE &&
		   dtx_convert(DTX_FLOAT32, f, 0, f, 1, &bad) == DTX_ERR_DTYPE,
		   "an unknown or reserved code is DTX_ERR_DTYPE");
}

/* ---- the binary form ---- */

static void
test_binary(void)
{
	unsigned char msg[4 + 4 + 6] = {1, DTX_FLOAT16, 0, 0, 0, 0, 0, 3, 0x3c, 0x00, 0xc0, 0x00, 0x7b, 0xff};
	unsigned char again[6];
	uint16_t	h[3];
	DtxBinHeader hd;

	tap_ok(dtx_bin_decode_header(msg, sizeof(msg), 1 << 20, &hd) == DTX_BIN_OK &&
		   hd.numel == 3 && hd.data_bytes == 6, "a float16 message: 3 elements, 6 bytes");
	dtx_bin_decode_data(msg + 8, DTX_FLOAT16, 3, h);
	tap_ok(dtx_f16_to_float(h[0]) == 1 && dtx_f16_to_float(h[1]) == -2 && dtx_f16_to_float(h[2]) == 65504,
		   "its elements decode in network order");
	dtx_bin_encode_data(h, DTX_FLOAT16, 3, again);
	tap_ok(memcmp(again, msg + 8, 6) == 0, "and encode back to the same bytes");
	msg[1] = DTX_BFLOAT16;
	tap_ok(dtx_bin_decode_header(msg, sizeof(msg), 1 << 20, &hd) == DTX_BIN_OK && hd.data_bytes == 6,
		   "a bfloat16 message has 2-byte elements");
	tap_ok(dtx_bin_decode_header(msg, sizeof(msg) - 1, 1 << 20, &hd) == DTX_BIN_TRUNCATED,
		   "one byte short is truncated");
	msg[1] = DTX_INT8;
	tap_ok(dtx_bin_decode_header(msg, sizeof(msg), 1 << 20, &hd) == DTX_BIN_DTYPE,
		   "the reserved code 7 is a dtype this version cannot store");
	msg[1] = DTX_DTYPE_CODES;
	tap_ok(dtx_bin_decode_header(msg, sizeof(msg), 1 << 20, &hd) == DTX_BIN_NOT_TENSOR,
		   "code 8 is no dotext tensor");
	msg[1] = 0;
	tap_ok(dtx_bin_decode_header(msg, sizeof(msg), 1 << 20, &hd) == DTX_BIN_NOT_TENSOR,
		   "code 0 is no dotext tensor");
	for (int k = 0; dtx_dtypes[k]; k++)
	{
		const DtxDtypeDesc *d = dtx_dtypes[k];
		unsigned char buf[24],
					enc[24];
		unsigned char dec[24];

		for (int i = 0; i < 24; i++)
			buf[i] = (unsigned char) (i * 37 + 11);
		dtx_bin_decode_data(buf, d->code, 24 / d->size, dec);
		dtx_bin_encode_data(dec, d->code, 24 / d->size, enc);
		uint16_t	probe = 1;
		int			little = *(unsigned char *) &probe == 1;

		tap_ok(memcmp(buf, enc, 24) == 0 &&
			   (little ? dec[0] == buf[d->size - 1] && dec[d->size - 1] == buf[0] :
				memcmp(dec, buf, 24) == 0),
			   "%s: decode then encode gives the bytes back; decoding reverses each %d-byte element on this host",
			   d->name, d->size);
	}
}

int
main(void)
{
	test_names();
	test_rows();
	test_half_reference(DTX_FLOAT16, 0x7bff, DTX_F16_MBITS, -30, 17);
	test_half_reference(DTX_BFLOAT16, 0x7f7f, DTX_BF16_MBITS, -140, 128);
	test_f16_bulk();
	test_bf16_bulk();
	test_text_all(DTX_FLOAT16);
	test_text_all(DTX_BFLOAT16);
	test_parse_rounding();
	test_convert();
	test_binary();
	return tap_done();
}
