/*
 * kern_elementwise.c: element-wise arithmetic with broadcasting, scalar
 * products, slicing and aggregate accumulators (see elementwise.h).  It
 * needs no other kernel file, so the fuzz targets can link it alone.
 */
#include "elementwise.h"

#include <string.h>

#include "kern_half.h"
#include "kern_util.h"

/*
 * One run of n output elements along the innermost dim, a and b advancing
 * by sa and sb (0 for a broadcast operand).  Returns nonzero on integer
 * overflow.
 */
typedef int (*DtxEwRun) (const void *a, int64_t sa, const void *b, int64_t sb,
						 void *out, int64_t n);

#define EW_FLOAT_RUN(name, T, OP) \
static int \
name(const void *a_, int64_t sa, const void *b_, int64_t sb, void *out_, int64_t n) \
{ \
	const T    *a = a_; \
	const T    *b = b_; \
	T		   *out = out_; \
	if (sa == 1 && sb == 1) \
		for (int64_t i = 0; i < n; i++) \
			out[i] = a[i] OP b[i]; \
	else \
		for (int64_t i = 0; i < n; i++) \
			out[i] = a[i * sa] OP b[i * sb]; \
	return 0; \
}

#define EW_INT_RUN(name, T, BUILTIN) \
static int \
name(const void *a_, int64_t sa, const void *b_, int64_t sb, void *out_, int64_t n) \
{ \
	const T    *a = a_; \
	const T    *b = b_; \
	T		   *out = out_; \
	int			ovf = 0; \
	for (int64_t i = 0; i < n; i++) \
		ovf |= BUILTIN(a[i * sa], b[i * sb], &out[i]); \
	return ovf; \
}

/*
 * A half dtype computes in float32, as PyTorch does: each block of a run
 * is widened on the stack, combined in float32 and narrowed back.  A
 * broadcast operand (stride 0) widens once.
 */
static void
widen_strided(const DtxDtypeDesc *d, const uint16_t *p, int64_t stride, float *dst, int64_t n)
{
	if (stride == 1)
		d->to_f32(p, dst, n);
	else if (stride == 0)
	{
		d->to_f32(p, dst, 1);
		for (int64_t i = 1; i < n; i++)
			dst[i] = dst[0];
	}
	else
		for (int64_t i = 0; i < n; i++)
			d->to_f32(p + i * stride, dst + i, 1);
}

static int
half_run(int dtype, DtxEwOp op, const uint16_t *a, int64_t sa, const uint16_t *b,
		 int64_t sb, uint16_t *out, int64_t n)
{
	const DtxDtypeDesc *d = dtx_dtype(dtype);
	float		fa[DTX_HALF_BLOCK],
				fb[DTX_HALF_BLOCK];

	for (int64_t i0 = 0; i0 < n; i0 += DTX_HALF_BLOCK)
	{
		int64_t		m = n - i0 < DTX_HALF_BLOCK ? n - i0 : DTX_HALF_BLOCK;

		widen_strided(d, a + i0 * sa, sa, fa, m);
		widen_strided(d, b + i0 * sb, sb, fb, m);
		for (int64_t i = 0; i < m; i++)
			fa[i] = op == DTX_EW_ADD ? fa[i] + fb[i] : op == DTX_EW_SUB ? fa[i] - fb[i] : fa[i] * fb[i];
		d->from_f32(fa, out + i0, m);
	}
	return 0;
}

#define EW_HALF_RUN(name, DTYPE, OP) \
static int \
name(const void *a, int64_t sa, const void *b, int64_t sb, void *out, int64_t n) \
{ \
	return half_run(DTYPE, OP, a, sa, b, sb, out, n); \
}

EW_HALF_RUN(run_add_f16, DTX_FLOAT16, DTX_EW_ADD)
EW_HALF_RUN(run_sub_f16, DTX_FLOAT16, DTX_EW_SUB)
EW_HALF_RUN(run_mul_f16, DTX_FLOAT16, DTX_EW_MUL)
EW_HALF_RUN(run_add_bf16, DTX_BFLOAT16, DTX_EW_ADD)
EW_HALF_RUN(run_sub_bf16, DTX_BFLOAT16, DTX_EW_SUB)
EW_HALF_RUN(run_mul_bf16, DTX_BFLOAT16, DTX_EW_MUL)
EW_FLOAT_RUN(run_add_f32, float, +)
EW_FLOAT_RUN(run_sub_f32, float, -)
EW_FLOAT_RUN(run_mul_f32, float, *)
EW_FLOAT_RUN(run_add_f64, double, +)
EW_FLOAT_RUN(run_sub_f64, double, -)
EW_FLOAT_RUN(run_mul_f64, double, *)
EW_INT_RUN(run_add_i32, int32_t, __builtin_add_overflow)
EW_INT_RUN(run_sub_i32, int32_t, __builtin_sub_overflow)
EW_INT_RUN(run_mul_i32, int32_t, __builtin_mul_overflow)
EW_INT_RUN(run_add_i64, int64_t, __builtin_add_overflow)
EW_INT_RUN(run_sub_i64, int64_t, __builtin_sub_overflow)
EW_INT_RUN(run_mul_i64, int64_t, __builtin_mul_overflow)

static DtxEwRun
ew_run(DtxEwOp op, int dtype)
{
	static const DtxEwRun f32[3] = {run_add_f32, run_sub_f32, run_mul_f32};
	static const DtxEwRun f64[3] = {run_add_f64, run_sub_f64, run_mul_f64};
	static const DtxEwRun i32[3] = {run_add_i32, run_sub_i32, run_mul_i32};
	static const DtxEwRun i64[3] = {run_add_i64, run_sub_i64, run_mul_i64};
	static const DtxEwRun f16[3] = {run_add_f16, run_sub_f16, run_mul_f16};
	static const DtxEwRun bf16[3] = {run_add_bf16, run_sub_bf16, run_mul_bf16};

	if (op < DTX_EW_ADD || op > DTX_EW_MUL)
		return NULL;
	switch (dtype)
	{
		case DTX_FLOAT32:
			return f32[op];
		case DTX_FLOAT64:
			return f64[op];
		case DTX_INT32:
			return i32[op];
		case DTX_INT64:
			return i64[op];
		case DTX_FLOAT16:
			return f16[op];
		case DTX_BFLOAT16:
			return bf16[op];
	}
	return NULL;
}

DtxStatus
dtx_ew_binary(DtxEwOp op, int dtype, const DtxBroadcast *bc, const void *a,
			  const void *b, void *out, int64_t start, int64_t count)
{
	DtxEwRun	run = ew_run(op, dtype);
	size_t		es = dtx_elem_size(dtype);
	int64_t		idx[DTX_MAX_NDIM];
	int64_t		ao,
				bo;
	int			last = bc->ndim - 1;
	int64_t		done = 0;

	if (run == NULL)
		return DTX_ERR_DTYPE;
	if (count <= 0)
		return DTX_OK;
	if (bc->ndim == 0)
		return run(a, 0, b, 0, out, 1) ? DTX_ERR_OVERFLOW : DTX_OK;
	dtx_broadcast_seek(bc, start, idx, &ao, &bo);
	while (done < count)
	{
		int64_t		n = bc->dims[last] - idx[last];

		if (n > count - done)
			n = count - done;
		if (run((const char *) a + ao * es, bc->a_stride[last],
				(const char *) b + bo * es, bc->b_stride[last],
				(char *) out + (start + done) * es, n))
			return DTX_ERR_OVERFLOW;
		done += n;
		idx[last] += n;
		ao += n * bc->a_stride[last];
		bo += n * bc->b_stride[last];
		/* carry into the outer dims, as an odometer */
		for (int k = last; k > 0 && idx[k] == bc->dims[k]; k--)
		{
			ao += bc->a_stride[k - 1] - idx[k] * bc->a_stride[k];
			bo += bc->b_stride[k - 1] - idx[k] * bc->b_stride[k];
			idx[k] = 0;
			idx[k - 1]++;
		}
	}
	return DTX_OK;
}

DtxStatus
dtx_ew_mul_int(int dtype, const void *a, int64_t s, void *out, int64_t start, int64_t count)
{
	int64_t		end = start + count;

	switch (dtype)
	{
		case DTX_FLOAT32:
			for (int64_t i = start; i < end; i++)
				((float *) out)[i] = (float) ((double) ((const float *) a)[i] * (double) s);
			return DTX_OK;
		case DTX_FLOAT64:
			for (int64_t i = start; i < end; i++)
				((double *) out)[i] = ((const double *) a)[i] * (double) s;
			return DTX_OK;
		case DTX_INT32:
			for (int64_t i = start; i < end; i++)
			{
				int64_t		r;

				if (__builtin_mul_overflow((int64_t) ((const int32_t *) a)[i], s, &r) ||
					r < INT32_MIN || r > INT32_MAX)
					return DTX_ERR_OVERFLOW;
				((int32_t *) out)[i] = (int32_t) r;
			}
			return DTX_OK;
		case DTX_INT64:
			for (int64_t i = start; i < end; i++)
				if (__builtin_mul_overflow(((const int64_t *) a)[i], s, &((int64_t *) out)[i]))
					return DTX_ERR_OVERFLOW;
			return DTX_OK;
		case DTX_FLOAT16:
		case DTX_BFLOAT16:
			/* PyTorch: the int scalar joins the float32 computation */
			for (int64_t i = start; i < end; i++)
				dtx_store_float_result(dtype, out, i,
									   (float) dtx_load_double(dtype, a, i) * (float) s);
			return DTX_OK;
	}
	return DTX_ERR_DTYPE;
}

DtxStatus
dtx_ew_scalar_float(DtxEwOp op, int dtype, const void *a, double s, int out_dtype,
					void *out, int64_t start, int64_t count)
{
	int64_t		end = start + count;

	if (!dtx_dtype_supported(dtype) || (op != DTX_EW_MUL && op != DTX_EW_DIV) ||
		!dtx_dtype_is_float(out_dtype))
		return DTX_ERR_DTYPE;
	for (int64_t i = start; i < end; i++)
	{
		double		x = dtx_load_double(dtype, a, i);
		double		r = op == DTX_EW_MUL ? x * s : x / s;

		dtx_store_float_result(out_dtype, out, i, r);
	}
	return DTX_OK;
}

void
dtx_box_copy(size_t elem_size, int ndim, const int64_t *dims, const int64_t *start,
			 const int64_t *count, const void *src, void *dst, int64_t row0, int64_t nrows)
{
	int			last = ndim - 1;
	int64_t		stride[DTX_MAX_NDIM];
	int64_t		idx[DTX_MAX_NDIM];
	int64_t		r = row0;
	size_t		run = count[last] * elem_size;

	if (nrows <= 0)
		return;
	stride[last] = 1;
	for (int k = last - 1; k >= 0; k--)
		stride[k] = stride[k + 1] * dims[k + 1];
	/* the multi-index of row0 over the box's leading dims */
	for (int k = last - 1; k >= 0; k--)
	{
		idx[k] = r % count[k];
		r /= count[k];
	}
	for (int64_t n = 0; n < nrows; n++)
	{
		int64_t		off = start[last];

		for (int k = 0; k < last; k++)
			off += (start[k] + idx[k]) * stride[k];
		memcpy((char *) dst + (row0 + n) * run, (const char *) src + off * elem_size, run);
		for (int k = last - 1; k >= 0 && ++idx[k] == count[k]; k--)
			idx[k] = 0;
	}
}

void
dtx_accum_double(int dtype, const void *a, double *acc, int64_t start, int64_t count)
{
	int64_t		end = start + count;

	switch (dtype)
	{
		case DTX_FLOAT32:
			for (int64_t i = start; i < end; i++)
				acc[i] += ((const float *) a)[i];
			break;
		case DTX_FLOAT64:
			for (int64_t i = start; i < end; i++)
				acc[i] += ((const double *) a)[i];
			break;
		case DTX_INT32:
		case DTX_INT64:
			for (int64_t i = start; i < end; i++)
				acc[i] += dtx_load_double(dtype, a, i);
			break;
		case DTX_FLOAT16:
		case DTX_BFLOAT16:
			for (int64_t i0 = start; i0 < end; i0 += DTX_HALF_BLOCK)
			{
				float		f[DTX_HALF_BLOCK];
				int64_t		m = end - i0 < DTX_HALF_BLOCK ? end - i0 : DTX_HALF_BLOCK;

				dtx_dtype(dtype)->to_f32((const uint16_t *) a + i0, f, m);
				for (int64_t i = 0; i < m; i++)
					acc[i0 + i] += f[i];
			}
			break;
	}
}

DtxStatus
dtx_accum_int64(int dtype, const void *a, int64_t *acc, int64_t start, int64_t count)
{
	int64_t		end = start + count;
	int			ovf = 0;

	if (dtype == DTX_INT32)
		for (int64_t i = start; i < end; i++)
			ovf |= __builtin_add_overflow(acc[i], (int64_t) ((const int32_t *) a)[i], &acc[i]);
	else if (dtype == DTX_INT64)
		for (int64_t i = start; i < end; i++)
			ovf |= __builtin_add_overflow(acc[i], ((const int64_t *) a)[i], &acc[i]);
	else
		return DTX_ERR_DTYPE;
	return ovf ? DTX_ERR_OVERFLOW : DTX_OK;
}

void
dtx_accum_finish(const double *acc, double divisor, int out_dtype, void *out,
				 int64_t start, int64_t count)
{
	for (int64_t i = start; i < start + count; i++)
		dtx_store_float_result(out_dtype, out, i, acc[i] / divisor);
}
