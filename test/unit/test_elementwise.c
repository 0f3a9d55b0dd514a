/*
 * test_elementwise.c: unit tests of NumPy broadcasting (src/core/broadcast.c),
 * the element-wise kernels (kern_elementwise.c) and the tensor order
 * (kern_compare.c).
 */
#include <math.h>
#include <string.h>

#include "elementwise.h"
#include "tap.h"

static void
test_broadcast(void)
{
	DtxBroadcast bc;
	int64_t		a[] = {2, 1, 3}, b[] = {4, 1}, c[] = {3}, d[] = {2}, z[] = {0, 1}, one[] = {1};
	int64_t		big[] = {INT32_MAX, INT32_MAX}, big2[] = {INT32_MAX, 1, INT32_MAX};
	int64_t		idx[16], ao, bo;

	tap_ok(dtx_broadcast_plan(3, a, 2, b, INT64_MAX, &bc) == DTX_BROADCAST_OK &&
		   bc.ndim == 3 && bc.dims[0] == 2 && bc.dims[1] == 4 && bc.dims[2] == 3 &&
		   bc.numel == 24, "(2,1,3) with (4,1) gives (2,4,3)");
	tap_ok(bc.a_stride[0] == 3 && bc.a_stride[1] == 0 && bc.a_stride[2] == 1 &&
		   bc.b_stride[0] == 0 && bc.b_stride[1] == 1 && bc.b_stride[2] == 0,
		   "strides are 0 along broadcast dims");
	dtx_broadcast_seek(&bc, 23, idx, &ao, &bo);
	tap_ok(idx[0] == 1 && idx[1] == 3 && idx[2] == 2 && ao == 5 && bo == 3,
		   "seek to the last element");
	tap_ok(dtx_broadcast_plan(1, c, 1, d, INT64_MAX, &bc) == DTX_BROADCAST_MISMATCH,
		   "(3) with (2) do not broadcast");
	tap_ok(dtx_broadcast_plan(2, z, 1, c, INT64_MAX, &bc) == DTX_BROADCAST_OK &&
		   bc.numel == 0 && bc.dims[0] == 0 && bc.dims[1] == 3, "(0,1) with (3) gives (0,3)");
	tap_ok(dtx_broadcast_plan(0, NULL, 1, one, INT64_MAX, &bc) == DTX_BROADCAST_OK &&
		   bc.ndim == 1 && bc.numel == 1 && bc.a_stride[0] == 0, "rank 0 with (1)");
	tap_ok(dtx_broadcast_plan(0, NULL, 0, NULL, INT64_MAX, &bc) == DTX_BROADCAST_OK &&
		   bc.ndim == 0 && bc.numel == 1, "rank 0 with rank 0");
	tap_ok(dtx_broadcast_plan(2, big, 3, big2, INT64_MAX, &bc) == DTX_BROADCAST_TOO_LARGE,
		   "2^93 elements is too large, without overflow");
	tap_ok(dtx_broadcast_plan(2, big, 1, one, 1000, &bc) == DTX_BROADCAST_TOO_LARGE,
		   "capped at max_numel");
}

static void
test_binary(void)
{
	DtxBroadcast bc;
	int64_t		ad[] = {2, 3}, bd[] = {3}, cd[] = {2, 1};
	float		a[] = {1, 2, 3, 4, 5, 6}, b[] = {10, 20, 30}, out[6];
	int64_t		ia[] = {INT64_MAX, 1}, ib[] = {1}, iout[2];
	int32_t		sa[] = {INT32_MIN, 5}, sb[] = {-1}, sout[2];
	double		ca[] = {1, 2}, cb[] = {1, 2, 3}, cout[6];
	int			ok;

	dtx_broadcast_plan(2, ad, 1, bd, INT64_MAX, &bc);
	ok = dtx_ew_binary(DTX_EW_ADD, DTX_FLOAT32, &bc, a, b, out, 0, 6) == DTX_OK;
	tap_ok(ok && out[0] == 11 && out[2] == 33 && out[3] == 14 && out[5] == 36,
		   "(2,3) + (3) broadcasts rows");
	memset(out, 0, sizeof(out));
	ok = dtx_ew_binary(DTX_EW_SUB, DTX_FLOAT32, &bc, a, b, out, 2, 3) == DTX_OK;
	tap_ok(ok && out[0] == 0 && out[1] == 0 && out[2] == -27 && out[3] == -6 && out[4] == -15 && out[5] == 0,
		   "a range from the middle writes only its elements");
	dtx_broadcast_plan(2, cd, 1, bd, INT64_MAX, &bc);
	ok = dtx_ew_binary(DTX_EW_MUL, DTX_FLOAT64, &bc, ca, cb, cout, 0, 6) == DTX_OK;
	tap_ok(ok && cout[0] == 1 && cout[2] == 3 && cout[3] == 2 && cout[5] == 6,
		   "(2,1) * (3) gives the outer product");
	dtx_broadcast_plan(1, (int64_t[]) {2}, 1, (int64_t[]) {1}, INT64_MAX, &bc);
	tap_ok(dtx_ew_binary(DTX_EW_ADD, DTX_INT64, &bc, ia, ib, iout, 0, 2) == DTX_ERR_OVERFLOW,
		   "int64 max + 1 overflows");
	tap_ok(dtx_ew_binary(DTX_EW_SUB, DTX_INT64, &bc, ia, ib, iout, 0, 2) == DTX_OK &&
		   iout[0] == INT64_MAX - 1 && iout[1] == 0, "int64 subtraction");
	tap_ok(dtx_ew_binary(DTX_EW_MUL, DTX_INT32, &bc, sa, sb, sout, 0, 2) == DTX_ERR_OVERFLOW,
		   "int32 min * -1 overflows");
	tap_ok(dtx_ew_binary(DTX_EW_MUL, DTX_INT32, &bc, sa, sb, sout, 1, 1) == DTX_OK && sout[1] == -5,
		   "int32 product");
	tap_ok(dtx_ew_binary(DTX_EW_DIV, DTX_FLOAT32, &bc, a, b, out, 0, 1) == DTX_ERR_DTYPE,
		   "no element-wise division");
}

static void
test_scalar(void)
{
	int32_t		a[] = {3, -4};
	int64_t		b[] = {INT64_MAX / 2 + 1};
	float		f[] = {1.5f, -2};
	float		out[2];
	int32_t		iout[2];
	int64_t		lout[1];

	tap_ok(dtx_ew_mul_int(DTX_INT32, a, 3, iout, 0, 2) == DTX_OK && iout[0] == 9 && iout[1] == -12,
		   "int32 * 3 stays int32");
	tap_ok(dtx_ew_mul_int(DTX_INT32, a, 1000000000, iout, 0, 2) == DTX_ERR_OVERFLOW,
		   "int32 * 1e9 leaves int32");
	tap_ok(dtx_ew_mul_int(DTX_INT64, b, 2, lout, 0, 1) == DTX_ERR_OVERFLOW, "int64 * 2 overflows");
	tap_ok(dtx_ew_mul_int(DTX_FLOAT32, f, -2, out, 0, 2) == DTX_OK && out[0] == -3 && out[1] == 4,
		   "float32 * integer");
	tap_ok(dtx_ew_scalar_float(DTX_EW_DIV, DTX_INT32, a, 2, DTX_FLOAT32, out, 0, 2) == DTX_OK &&
		   out[0] == 1.5f && out[1] == -2, "int32 / 2.0 is float32");
	tap_ok(dtx_ew_scalar_float(DTX_EW_DIV, DTX_FLOAT32, f, 0, DTX_FLOAT32, out, 0, 2) == DTX_OK &&
		   isinf(out[0]) && out[0] > 0 && isinf(out[1]) && out[1] < 0, "division by zero gives inf");
	tap_ok(dtx_float_result_dtype(DTX_INT64, 1) == DTX_FLOAT32 &&
		   dtx_float_result_dtype(DTX_INT64, 0) == DTX_FLOAT64 &&
		   dtx_float_result_dtype(DTX_FLOAT64, 1) == DTX_FLOAT64, "result dtypes");
}

static void
test_rows(void)
{
	float		a[] = {3, 4, 0, 0, 1, 0};
	int64_t		ia[] = {0, 5};
	float		out[6];
	double		dout[2];
	float		sl[4];

	tap_ok(dtx_l2_normalize_rows(DTX_FLOAT32, a, 2, DTX_FLOAT32, out, 0, 3) == DTX_OK &&
		   out[0] == 0.6f && out[1] == 0.8f && out[2] == 0 && out[3] == 0 && out[4] == 1,
		   "rows normalized, a zero row stays zero");
	tap_ok(dtx_l2_normalize_rows(DTX_INT64, ia, 2, DTX_FLOAT64, dout, 0, 1) == DTX_OK &&
		   dout[0] == 0 && dout[1] == 1, "int64 normalized as float64");
	dtx_box_copy(sizeof(float), 2, (int64_t[]) {2, 3}, (int64_t[]) {0, 1}, (int64_t[]) {2, 2},
				 a, sl, 0, 2);
	tap_ok(sl[0] == 4 && sl[1] == 0 && sl[2] == 1 && sl[3] == 0, "slice of the last axis");
	{
		int			src[24], dst[6];

		for (int i = 0; i < 24; i++)
			src[i] = i;
		/* (2,3,4)[1:2][0:3][1:3] in two calls, split inside the box */
		dtx_box_copy(sizeof(int), 3, (int64_t[]) {2, 3, 4}, (int64_t[]) {1, 0, 1},
					 (int64_t[]) {1, 3, 2}, src, dst, 0, 1);
		dtx_box_copy(sizeof(int), 3, (int64_t[]) {2, 3, 4}, (int64_t[]) {1, 0, 1},
					 (int64_t[]) {1, 3, 2}, src, dst, 1, 2);
		tap_ok(dst[0] == 13 && dst[1] == 14 && dst[2] == 17 && dst[3] == 18 &&
			   dst[4] == 21 && dst[5] == 22, "a 3-D box, copied in two ranges");
	}
}

static void
test_accum(void)
{
	double		acc[2] = {0, 0};
	int64_t		iacc[2] = {INT64_MAX, 0};
	int32_t		a[] = {1, 2};
	float		f[] = {0.5f, 1};
	float		out[2];

	dtx_accum_double(DTX_FLOAT32, f, acc, 0, 2);
	dtx_accum_double(DTX_INT32, a, acc, 0, 2);
	tap_ok(acc[0] == 1.5 && acc[1] == 3, "double accumulation of mixed dtypes");
	dtx_accum_finish(acc, 2, DTX_FLOAT32, out, 0, 2);
	tap_ok(out[0] == 0.75f && out[1] == 1.5f, "mean to float32");
	tap_ok(dtx_accum_int64(DTX_INT32, a, iacc, 1, 1) == DTX_OK && iacc[1] == 2, "exact int sum");
	tap_ok(dtx_accum_int64(DTX_INT32, a, iacc, 0, 2) == DTX_ERR_OVERFLOW, "int64 sum overflow");
}

static void
test_compare(void)
{
	float		a[] = {0.0f, NAN, 1}, b[] = {-0.0f, NAN, 2}, c[] = {1, NAN, 1}, inf[] = {INFINITY};
	float		ha[3], hb[3];
	int64_t		x[] = {-1, 5}, y[] = {1, 5};

	tap_ok(dtx_compare(DTX_FLOAT32, a, b, 0, 2) == 0, "-0 = 0 and NaN = NaN");
	tap_ok(dtx_compare(DTX_FLOAT32, a, b, 0, 3) == -1, "1 < 2");
	tap_ok(dtx_compare(DTX_FLOAT32, c, a, 0, 3) == 1, "first difference decides");
	tap_ok(dtx_compare(DTX_FLOAT32, a + 1, inf, 0, 1) == 1 &&
		   dtx_compare(DTX_FLOAT32, inf, a + 1, 0, 1) == -1, "NaN above inf");
	tap_ok(dtx_compare(DTX_INT64, x, y, 0, 2) == -1 && dtx_compare(DTX_INT64, x, x, 0, 2) == 0,
		   "int64 order");
	dtx_hash_canonical(DTX_FLOAT32, a, ha, 0, 3);
	dtx_hash_canonical(DTX_FLOAT32, b, hb, 0, 3);
	tap_ok(memcmp(ha, hb, 2 * sizeof(float)) == 0, "-0/0 and NaN payloads hash alike");
}

int
main(void)
{
	test_broadcast();
	test_binary();
	test_scalar();
	test_rows();
	test_accum();
	test_compare();
	return tap_done();
}
