/*
 * kern_compare.c: the total order of tensor elements and their hashing
 * form (see elementwise.h).  Floats follow PostgreSQL's float8 order
 * (float8_cmp_internal), so that a tensor sorts, groups and hashes as its
 * elements would in a double precision[] column.
 */
#include "elementwise.h"

#include <math.h>
#include <string.h>

#include "half.h"

#define CMP_FLOAT(x, y) \
	(isnan(x) ? (isnan(y) ? 0 : 1) : isnan(y) ? -1 : (x) > (y) ? 1 : (x) < (y) ? -1 : 0)
#define CMP_INT(x, y)	((x) > (y) ? 1 : (x) < (y) ? -1 : 0)

#define CMP_LOOP(T, CMP) \
	do { \
		const T    *x = a, \
				   *y = b; \
		for (int64_t i = start; i < start + count; i++) \
			if (x[i] != y[i]) \
			{ \
				int			c = CMP(x[i], y[i]); \
				if (c != 0) \
					return c; \
			} \
	} while (0)

/* a half element widened, for the order (exact; NaN stays NaN) */
#define F16_VAL(x) dtx_f16_to_float(x)
#define BF16_VAL(x) dtx_bf16_to_float(x)
#define CMP_F16(x, y) CMP_FLOAT(F16_VAL(x), F16_VAL(y))
#define CMP_BF16(x, y) CMP_FLOAT(BF16_VAL(x), BF16_VAL(y))

int
dtx_compare(int dtype, const void *a, const void *b, int64_t start, int64_t count)
{
	switch (dtype)
	{
		case DTX_FLOAT32:
			CMP_LOOP(float, CMP_FLOAT);
			break;
		case DTX_FLOAT64:
			CMP_LOOP(double, CMP_FLOAT);
			break;
		case DTX_INT32:
			CMP_LOOP(int32_t, CMP_INT);
			break;
		case DTX_INT64:
			CMP_LOOP(int64_t, CMP_INT);
			break;
		case DTX_FLOAT16:
			CMP_LOOP(uint16_t, CMP_F16);
			break;
		case DTX_BFLOAT16:
			CMP_LOOP(uint16_t, CMP_BF16);
			break;
	}
	return 0;
}

void
dtx_hash_canonical(int dtype, const void *a, void *out, int64_t start, int64_t count)
{
	size_t		es = dtx_elem_size(dtype);

	memcpy(out, (const char *) a + start * es, count * es);
	if (dtype == DTX_FLOAT32)
	{
		float	   *x = out;

		for (int64_t i = 0; i < count; i++)
			if (x[i] == 0 || isnan(x[i]))
				x[i] = x[i] == 0 ? 0.0f : NAN;
	}
	else if (dtype == DTX_FLOAT64)
	{
		double	   *x = out;

		for (int64_t i = 0; i < count; i++)
			if (x[i] == 0 || isnan(x[i]))
				x[i] = x[i] == 0 ? 0.0 : (double) NAN;
	}
	else if (dtype == DTX_FLOAT16 || dtype == DTX_BFLOAT16)
	{
		/* -0 is 0x8000 in both; NaN: all exponent bits and a fraction */
		uint16_t   *x = out;
		uint16_t	inf = dtype == DTX_FLOAT16 ? 0x7c00 : 0x7f80;
		uint16_t	qnan = dtype == DTX_FLOAT16 ? 0x7e00 : 0x7fc0;

		for (int64_t i = 0; i < count; i++)
			if (x[i] == 0x8000)
				x[i] = 0;
			else if ((x[i] & 0x7fff) > inf)
				x[i] = qnan;
	}
}
