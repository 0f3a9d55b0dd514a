/*
 * test_shape.c: unit tests of the shape logic (src/core/shape.c) and the
 * binary decoder (src/core/binary.c).
 */
#include <string.h>

#include "binary.h"
#include "shape.h"
#include "tap.h"

static void
test_rows(void)
{
	DtxRowSpec	s;
	int			nd;
	int64_t		od[16];
	int64_t		a[] = {5, 3}, b[] = {3}, c[] = {2, 1, 3}, d[] = {4, 3}, e[] = {4};

	tap_ok(dtx_rows_plan(2, a, 1, b, &s, &nd, od) == DTX_SHAPE_OK && nd == 1 && od[0] == 5 &&
		   s.a_stride[0] == 1 && s.b_stride[0] == 0 && s.n == 3, "(5,3) with (3)");
	tap_ok(dtx_rows_plan(1, b, 2, a, &s, &nd, od) == DTX_SHAPE_OK && nd == 1 &&
		   s.a_stride[0] == 0 && s.b_stride[0] == 1, "(3) with (5,3)");
	tap_ok(dtx_rows_plan(3, c, 2, d, &s, &nd, od) == DTX_SHAPE_OK && nd == 2 &&
		   od[0] == 2 && od[1] == 4 && s.a_stride[0] == 1 && s.a_stride[1] == 0 &&
		   s.b_stride[0] == 0 && s.b_stride[1] == 1, "(2,1,3) with (4,3) gives (2,4)");
	tap_ok(dtx_rows_plan(1, b, 1, b, &s, &nd, od) == DTX_SHAPE_OK && nd == 0, "(3) with (3) gives ()");
	tap_ok(dtx_rows_plan(2, a, 1, e, &s, &nd, od) == DTX_SHAPE_MISMATCH, "last dims differ");
	tap_ok(dtx_rows_plan(2, a, 2, d, &s, &nd, od) == DTX_SHAPE_MISMATCH, "(5,3) with (4,3) do not broadcast");
	tap_ok(dtx_rows_plan(0, a, 1, b, &s, &nd, od) == DTX_SHAPE_RANK, "rank 0");
}

static void
test_axes(void)
{
	DtxAxisPlan p;
	int64_t		x[] = {1, 5, 2}, y[] = {1, 2, 5}, m[] = {3, 4}, big[] = {2, 3, 4};

	tap_ok(dtx_axis_plan(3, x, 3, y, 1, 2, &p) == DTX_SHAPE_OK && p.B == 1 && p.M == 2 &&
		   p.K == 5 && p.P == 2 && p.out_ndim == 3 && p.out_dims[1] == 2 && p.out_dims[2] == 2 &&
		   p.xperm[1] == 2 && p.xperm[2] == 1 && p.yperm[1] == 2 && p.yperm[2] == 1,
		   "Keras (1,5,2).(1,2,5) axes (1,2)");
	tap_ok(dtx_axis_plan(2, m, 2, m, 1, 1, &p) == DTX_SHAPE_OK && p.out_ndim == 2 &&
		   p.out_dims[0] == 3 && p.out_dims[1] == 1 && p.M == 1 && p.P == 1, "(B,N) gives (B,1)");
	tap_ok(dtx_axis_plan(2, m, 2, m, -1, -1, &p) == DTX_SHAPE_OK && p.K == 4, "negative axes");
	tap_ok(dtx_axis_plan(2, m, 2, m, 0, 0, &p) == DTX_SHAPE_BAD_AXIS, "batch axis");
	tap_ok(dtx_axis_plan(2, m, 2, m, 2, 1, &p) == DTX_SHAPE_BAD_AXIS, "axis out of range");
	tap_ok(dtx_axis_plan(2, m, 2, m, -3, 1, &p) == DTX_SHAPE_BAD_AXIS, "negative out of range");
	tap_ok(dtx_axis_plan(3, big, 2, m, 1, 1, &p) == DTX_SHAPE_MISMATCH, "batch sizes differ");
	tap_ok(dtx_axis_plan(3, x, 3, y, 1, 1, &p) == DTX_SHAPE_MISMATCH, "axis sizes differ");
}

static void
test_permute_reshape(void)
{
	int64_t		dims[] = {2, 3, 4};
	int64_t		req[] = {2, 0, 1};
	int			perm[3];
	int			src[24],
				dst[24];
	int			ok = 1;
	int64_t		out[4];
	int64_t		r1[] = {4, -1}, r2[] = {-1, -1}, r3[] = {5, -1}, r4[] = {0, -1};

	for (int i = 0; i < 24; i++)
		src[i] = i;
	tap_ok(dtx_perm_check(3, req, 3, perm) == DTX_SHAPE_OK, "perm (2,0,1) valid");
	dtx_permute_copy(sizeof(int), 3, dims, perm, src, dst);
	/* dst[k][i][j] = src[i][j][k], dst shape (4,2,3) */
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 2; i++)
			for (int j = 0; j < 3; j++)
				ok &= dst[k * 6 + i * 3 + j] == src[i * 12 + j * 4 + k];
	tap_ok(ok, "permute_copy (2,0,1) moves every element");
	req[1] = 2;
	tap_ok(dtx_perm_check(3, req, 3, perm) == DTX_SHAPE_BAD_ARG, "repeated axis");
	tap_ok(dtx_perm_check(3, req, 2, perm) == DTX_SHAPE_BAD_ARG, "too short");
	tap_ok(dtx_reshape_plan(24, r1, 2, out) == DTX_SHAPE_OK && out[1] == 6, "reshape (4,-1)");
	tap_ok(dtx_reshape_plan(24, r2, 2, out) == DTX_SHAPE_BAD_ARG, "two -1");
	tap_ok(dtx_reshape_plan(24, r3, 2, out) == DTX_SHAPE_BAD_ARG, "24 not divisible by 5");
	tap_ok(dtx_reshape_plan(0, r4, 2, out) == DTX_SHAPE_BAD_ARG, "(0,-1) is ambiguous");
	{
		int64_t		huge[] = {INT32_MAX, INT32_MAX, INT32_MAX};

		tap_ok(dtx_numel(3, huge, INT64_MAX) == -1 || dtx_numel(3, huge, INT64_MAX) > 0,
			   "numel does not wrap silently");
		tap_ok(dtx_numel(3, huge, (int64_t) 1 << 40) == -1, "numel above cap is -1");
	}
}

static void
test_binary(void)
{
	unsigned char m[64] = {1, 3, 0, 0, 0, 0, 0, 2, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xf9};
	DtxBinHeader h;
	int32_t		v[2];

	tap_ok(dtx_bin_decode_header(m, 16, 1 << 30, &h) == DTX_BIN_OK && h.ndim == 1 &&
		   h.dtype == 3 && h.numel == 2 && h.data_offset == 8, "int32 (2) header");
	dtx_bin_decode_data(m + 8, 3, 2, v);
	tap_ok(v[0] == 7 && v[1] == -7, "int32 data decoded from network order");
	{
		unsigned char back[8];

		dtx_bin_encode_data(v, 3, 2, back);
		tap_ok(memcmp(back, m + 8, 8) == 0, "encode is the inverse");
	}
	tap_ok(dtx_bin_decode_header(m, 15, 1 << 30, &h) == DTX_BIN_TRUNCATED, "truncated data");
	tap_ok(dtx_bin_decode_header(m, 3, 1 << 30, &h) == DTX_BIN_TRUNCATED, "truncated header");
	m[1] = 9;
	tap_ok(dtx_bin_decode_header(m, 16, 1 << 30, &h) == DTX_BIN_NOT_TENSOR, "unknown dtype: not a tensor");
	m[1] = 7;
	tap_ok(dtx_bin_decode_header(m, 16, 1 << 30, &h) == DTX_BIN_DTYPE, "planned dtype (7, int8) rejected");
	m[1] = 3;
	m[3] = 1;
	tap_ok(dtx_bin_decode_header(m, 16, 1 << 30, &h) == DTX_BIN_NOT_TENSOR, "reserved flags: not a tensor");
	m[3] = 0;
	m[0] = 0xff;
	m[1] = 2;
	tap_ok(dtx_bin_decode_header(m, 16, 1 << 30, &h) == DTX_BIN_LAYOUT && h.layout == 2,
		   "0xff marks a later layout");
	m[1] = 3;
	m[3] = 0;
	m[0] = 17;
	tap_ok(dtx_bin_decode_header(m, 16, 1 << 30, &h) == DTX_BIN_RANK, "rank 17");
	m[0] = 1;
	m[4] = 0x80;
	tap_ok(dtx_bin_decode_header(m, 16, 1 << 30, &h) == DTX_BIN_NEGDIM, "negative dim");
	{
		unsigned char o[16] = {3, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0};

		tap_ok(dtx_bin_decode_header(o, 16, 1 << 30, &h) == DTX_BIN_TOO_LARGE, "65536^3 int64 too large");
	}
	{
		unsigned char z[12] = {2, 1, 0, 0, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff};

		tap_ok(dtx_bin_decode_header(z, 12, 1 << 30, &h) == DTX_BIN_OK && h.numel == 0,
			   "(0, 2^31-1) is empty, not too large");
	}
}


/* huge dims beside a zero one: plans stay in bounds and products do not wrap */
static void
test_extremes(void)
{
	struct
	{
		DtxAxisPlan p;
		unsigned char canary[64];
	}			g;
	int64_t		r16[16],
				zh[4] = {2147483647, 2147483647, 2147483647, 0},
				out[16];
	int			perm[4] = {3, 2, 1, 0};
	char		src[4],
				dst[4] = {7, 7, 7, 7};
	DtxRowSpec	s;
	int			nd;
	int64_t		od[16],
				ra[3] = {2147483647, 2147483647, 0},
				rb[1] = {0};

	for (int k = 0; k < 16; k++)
		r16[k] = k == 0 ? 2 : 1;
	memset(g.canary, 0xA5, sizeof(g.canary));
	tap_ok(dtx_axis_plan(16, r16, 16, r16, 1, 1, &g.p) == DTX_SHAPE_TOO_LARGE,
		   "axis_dot of two rank-16 tensors: result rank 29 is too large");
	nd = 1;
	for (int k = 0; k < 64; k++)
		nd &= g.canary[k] == 0xA5;
	tap_ok(nd, "the plan wrote nothing past its arrays");
	tap_ok(dtx_axis_plan(16, r16, 2, r16, 1, 1, &g.p) == DTX_SHAPE_OK && g.p.out_ndim == 15,
		   "rank 16 with rank 2 gives rank 15");
	{
		int64_t		x[5] = {0, 2147483647, 2147483647, 2147483647, 5},
					y[5] = {0, 5, 2147483647, 2147483647, 2147483647};

		tap_ok(dtx_axis_plan(5, x, 5, y, 4, 1, &g.p) == DTX_SHAPE_OK &&
			   g.p.M == INT64_MAX && g.p.P == INT64_MAX && g.p.B == 0,
			   "(0,h,h,h,5) x (0,5,h,h,h): M and P saturate, B is 0");
	}
	tap_ok(dtx_reshape_plan(0, zh, 4, out) == DTX_SHAPE_OK && out[3] == 0,
		   "reshape of an empty tensor to (huge,huge,huge,0)");
	{
		int64_t		inf[4] = {-1, 2147483647, 2147483647, 2147483647};

		tap_ok(dtx_reshape_plan(0, inf, 4, out) == DTX_SHAPE_OK && out[0] == 0,
			   "-1 beside huge dims of an empty tensor is 0");
		tap_ok(dtx_reshape_plan(6, inf, 4, out) == DTX_SHAPE_BAD_ARG,
			   "-1 beside huge dims of 6 elements is refused");
	}
	dtx_permute_copy(1, 4, zh, perm, src, dst);
	tap_ok(dst[0] == 7, "permute of an empty tensor with huge dims copies nothing");
	tap_ok(dtx_rows_plan(3, ra, 1, rb, &s, &nd, od) == DTX_SHAPE_OK && nd == 2 &&
		   od[0] == 2147483647 && od[1] == 2147483647,
		   "rows plan of (huge,huge,0) with (0): output (huge,huge), strides do not wrap");
	tap_ok(dtx_numel(4, zh, INT64_MAX) == 0, "numel of (huge,huge,huge,0) is 0");
}

int
main(void)
{
	test_rows();
	test_axes();
	test_permute_reshape();
	test_binary();
	test_extremes();
	return tap_done();
}
