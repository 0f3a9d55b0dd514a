/*
 * dtype.c: the dtype descriptors, one row per dtype.
 *
 * Adding a dtype: a row here (with its load/store/write_row), a kernel
 * family or a compute dtype to widen into, and the update script's
 * nothing: the code is already in the on-disk format.
 */
#include "dtype.h"
#include "half.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * PostgreSQL's shortest round-trip digits (Ryu, src/common): every server
 * exports them, and the unit tests link libpgcommon.  Declared here, not
 * included, so that the core keeps no PostgreSQL header.
 */
extern int	float_to_shortest_decimal_bufn(float f, char *result);
extern int	double_to_shortest_decimal_bufn(double f, char *result);

/*
 * Float text that re-reads as a float: "1" becomes "1.0".  Only an
 * integral value can print without a point or an exponent, so others
 * (nearly every embedding value) skip the look.
 */
static inline int
add_point_if_integral(char *p, int n, int integral)
{
	if (!integral)
		return n;
	for (int i = 0; i < n; i++)
		if (p[i] == '.' || p[i] == 'e' || p[i] == 'N' || p[i] == 'I')
			return n;
	p[n++] = '.';
	p[n++] = '0';
	return n;
}

/* ---- float32 ---- */

static double
load_f32(const void *p, int64_t i)
{
	return ((const float *) p)[i];
}

static int
store_f32(double v, void *p, int64_t i)
{
	float		f = (float) v;

	if (isinf(f) && !isinf(v))
		return 0;
	((float *) p)[i] = f;
	return 1;
}

static char *
write_f32(char *p, const void *data, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
	{
		float		v = ((const float *) data)[i];

		if (i > 0)
			*p++ = ',';
		p += add_point_if_integral(p, float_to_shortest_decimal_bufn(v, p), v == rintf(v));
	}
	return p;
}

/* ---- float64 ---- */

static double
load_f64(const void *p, int64_t i)
{
	return ((const double *) p)[i];
}

static int
store_f64(double v, void *p, int64_t i)
{
	((double *) p)[i] = v;
	return 1;
}

static char *
write_f64(char *p, const void *data, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
	{
		double		v = ((const double *) data)[i];

		if (i > 0)
			*p++ = ',';
		p += add_point_if_integral(p, double_to_shortest_decimal_bufn(v, p), v == rint(v));
	}
	return p;
}

/* ---- integers ---- */

/* truncation toward zero fits: the bounds are exact powers of two */
#define FITS_I64(v) (!isnan(v) && trunc(v) >= -9223372036854775808.0 && trunc(v) < 9223372036854775808.0)
#define FITS_I32(v) (!isnan(v) && trunc(v) >= -2147483648.0 && trunc(v) <= 2147483647.0)

static inline int
write_int(char *p, int64_t v)
{
	char		tmp[24];
	int			n = 0;
	uint64_t	u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
	int			len = 0;

	do
	{
		tmp[n++] = (char) ('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		p[len++] = '-';
	while (n)
		p[len++] = tmp[--n];
	return len;
}

static double
load_i32(const void *p, int64_t i)
{
	return ((const int32_t *) p)[i];
}

static int
store_i32(double v, void *p, int64_t i)
{
	if (!FITS_I32(v))
		return 0;
	((int32_t *) p)[i] = (int32_t) v;
	return 1;
}

static char *
write_i32(char *p, const void *data, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
	{
		if (i > 0)
			*p++ = ',';
		p += write_int(p, ((const int32_t *) data)[i]);
	}
	return p;
}

static double
load_i64(const void *p, int64_t i)
{
	return (double) ((const int64_t *) p)[i];
}

static int
store_i64(double v, void *p, int64_t i)
{
	if (!FITS_I64(v))
		return 0;
	((int64_t *) p)[i] = (int64_t) v;
	return 1;
}

static char *
write_i64(char *p, const void *data, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
	{
		if (i > 0)
			*p++ = ',';
		p += write_int(p, ((const int64_t *) data)[i]);
	}
	return p;
}

/* ---- float16 and bfloat16 ---- */

/*
 * Shortest digits of a small float: the fewest significant digits (at
 * most 5 for float16, 4 for bfloat16) whose decimal rounds back to the
 * same bits, laid out as float32's text is (PostgreSQL's Ryu output):
 * plain notation for decimal exponents -4 to 5, where an integral value
 * prints all its digits ("65504.0", exact, rather than "6.55e+04"), else
 * an exponent; infinities and NaN print as float32's do.
 */
static int
write_small(char *p, uint16_t bits, int ebits, int mbits)
{
	double		v = dtx_small_to_double(bits, ebits, mbits);
	int			n = 0,
				prec,
				exp10;
	char		tmp[DTX_ELEM_TEXT_MAX];

	if (isnan(v))
		return (int) (memcpy(p, "NaN", 3), 3);
	if (isinf(v))
		return v > 0 ? (int) (memcpy(p, "Infinity", 8), 8) : (int) (memcpy(p, "-Infinity", 9), 9);
	/* in tmp: the caller's room is the row's text_max bytes an element */
	for (prec = 1; prec <= 9; prec++)
	{
		n = snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (dtx_double_to_small(strtod(tmp, NULL), ebits, mbits) == bits)
			break;
	}
	exp10 = atoi(strchr(tmp, 'e') + 1);
	if (exp10 >= -4 && exp10 < 6)
		n = snprintf(tmp, sizeof(tmp), "%.*f", prec - 1 - exp10 > 0 ? prec - 1 - exp10 : 0, v);
	memcpy(p, tmp, n);
	return add_point_if_integral(p, n, v == rint(v));
}

static double
load_f16(const void *p, int64_t i)
{
	return dtx_small_to_double(((const uint16_t *) p)[i], DTX_F16_EBITS, DTX_F16_MBITS);
}

static int
store_f16(double v, void *p, int64_t i)
{
	uint16_t	h = dtx_double_to_f16(v);

	if ((h & 0x7fff) == 0x7c00 && !isinf(v))
		return 0;
	((uint16_t *) p)[i] = h;
	return 1;
}

static char *
write_f16(char *p, const void *data, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
	{
		if (i > 0)
			*p++ = ',';
		p += write_small(p, ((const uint16_t *) data)[i], DTX_F16_EBITS, DTX_F16_MBITS);
	}
	return p;
}

static double
load_bf16(const void *p, int64_t i)
{
	return dtx_bf16_to_float(((const uint16_t *) p)[i]);
}

static int
store_bf16(double v, void *p, int64_t i)
{
	uint16_t	h = dtx_double_to_bf16(v);

	if ((h & 0x7fff) == 0x7f80 && !isinf(v))
		return 0;
	((uint16_t *) p)[i] = h;
	return 1;
}

static char *
write_bf16(char *p, const void *data, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
	{
		if (i > 0)
			*p++ = ',';
		p += write_small(p, ((const uint16_t *) data)[i], DTX_BF16_EBITS, DTX_BF16_MBITS);
	}
	return p;
}

/* bulk conversions of the half dtypes (half.c: F16C / AVX-512 where the CPU has them) */
void		dtx_f16_to_f32(const void *src, float *dst, int64_t n);
void		dtx_f32_to_f16(const float *src, void *dst, int64_t n);
void		dtx_bf16_to_f32(const void *src, float *dst, int64_t n);
void		dtx_f32_to_bf16(const float *src, void *dst, int64_t n);

/* ---- the rows ---- */

/*
 * Names accepted in a type modifier and a literal's dtype tag: PyTorch's
 * name first, then its other spellings and PostgreSQL's.  "int8" is
 * PostgreSQL's 8-byte integer, so it maps to int64 as users of PostgreSQL
 * expect; PyTorch's 1-byte int8 will be spelled "char" or kept out.
 */
static const char *const f32_aliases[] = {"float", "float4", "real", NULL};
static const char *const f64_aliases[] = {"double", "float8", NULL};
static const char *const i32_aliases[] = {"int", "int4", "integer", NULL};
static const char *const i64_aliases[] = {"long", "int8", "bigint", NULL};
static const char *const f16_aliases[] = {"half", NULL};
static const char *const bf16_aliases[] = {NULL};

static const DtxDtypeDesc desc_f32 = {
	DTX_FLOAT32, "float32", f32_aliases, 4, 1, 0, DTX_FLOAT32,
	load_f32, store_f32, write_f32, NULL, NULL, 19
};
static const DtxDtypeDesc desc_f64 = {
	DTX_FLOAT64, "float64", f64_aliases, 8, 1, 1, DTX_FLOAT64,
	load_f64, store_f64, write_f64, NULL, NULL, 28
};
static const DtxDtypeDesc desc_i32 = {
	DTX_INT32, "int32", i32_aliases, 4, 0, 1, DTX_INT32,
	load_i32, store_i32, write_i32, NULL, NULL, 12
};
static const DtxDtypeDesc desc_i64 = {
	DTX_INT64, "int64", i64_aliases, 8, 0, 0, DTX_INT64,
	load_i64, store_i64, write_i64, NULL, NULL, 21
};
static const DtxDtypeDesc desc_f16 = {
	DTX_FLOAT16, "float16", f16_aliases, 2, 1, 1, DTX_FLOAT32,
	load_f16, store_f16, write_f16, dtx_f16_to_f32, dtx_f32_to_f16, 16
};
static const DtxDtypeDesc desc_bf16 = {
	DTX_BFLOAT16, "bfloat16", bf16_aliases, 2, 1, 1, DTX_FLOAT32,
	load_bf16, store_bf16, write_bf16, dtx_bf16_to_f32, dtx_f32_to_bf16, 16
};

const DtxDtypeDesc *const dtx_dtypes[] = {
	&desc_f32, &desc_f64, &desc_i32, &desc_i64, &desc_f16, &desc_bf16, NULL
};

static const DtxDtypeDesc *const by_code[DTX_DTYPE_CODES] = {
	[DTX_FLOAT32] = &desc_f32,
	[DTX_FLOAT64] = &desc_f64,
	[DTX_INT32] = &desc_i32,
	[DTX_INT64] = &desc_i64,
	[DTX_FLOAT16] = &desc_f16,
	[DTX_BFLOAT16] = &desc_bf16,
};

const DtxDtypeDesc *
dtx_dtype(int code)
{
	if (code < 0 || code >= DTX_DTYPE_CODES)
		return NULL;
	return by_code[code];
}

size_t
dtx_elem_size(int code)
{
	const DtxDtypeDesc *d = dtx_dtype(code);

	return d ? d->size : 0;
}

const char *
dtx_dtype_name(int code)
{
	const DtxDtypeDesc *d = dtx_dtype(code);

	return d ? d->name : NULL;
}

static int
name_is(const char *want, const char *name, size_t len)
{
	return strlen(want) == len && strncasecmp(want, name, len) == 0;
}

int
dtx_dtype_from_name(const char *name, size_t len)
{
	for (int k = 0; dtx_dtypes[k]; k++)
	{
		const DtxDtypeDesc *d = dtx_dtypes[k];

		if (name_is(d->name, name, len))
			return d->code;
		for (int a = 0; d->aliases[a]; a++)
			if (name_is(d->aliases[a], name, len))
				return d->code;
	}
	return DTX_INVALID;
}

void
dtx_dtype_list(char *buf, size_t buflen)
{
	size_t		at = 0;

	if (buflen == 0)
		return;
	buf[0] = '\0';
	for (int k = 0; dtx_dtypes[k] && at < buflen; k++)
	{
		const DtxDtypeDesc *d = dtx_dtypes[k];

		at += snprintf(buf + at, buflen - at, "%s%s", k ? ", " : "", d->name);
		for (int a = 0; d->aliases[a] && at < buflen; a++)
			at += snprintf(buf + at, buflen - at, "%s%s%s", a ? ", " : " (",
						   d->aliases[a], d->aliases[a + 1] ? "" : ")");
	}
}
