/*
 * tensor_ops.c: norm, rowdot, rowcosine and axis_dot (dot, cosine and the
 * ranking operators are in tensor_distance.c).  Each checks its arguments,
 * plans the shapes with src/core/shape.c and runs a kernel from src/core.
 * Long work runs in chunks with a cancel check between them.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "device.h"
#include "kern_half.h"
#include "kernels.h"
#include "shape.h"
#include "tensor_check.h"

PG_FUNCTION_INFO_V1(tensor_norm);
PG_FUNCTION_INFO_V1(tensor_rowdot);
PG_FUNCTION_INFO_V1(tensor_rowcosine);
PG_FUNCTION_INFO_V1(tensor_axis_dot_int);
PG_FUNCTION_INFO_V1(tensor_axis_dot_array);
PG_FUNCTION_INFO_V1(tensor_axis_dot_text);

/* elements per kernel call between two cancel checks (about 4 MB of float32) */
#define CHUNK_ELEMS (1 << 20)
/* multiply-adds per axis_dot kernel call of whole samples: a few ms even on the exact integer loops */
#define CHUNK_FLOPS (1 << 22)
/*
 * multiply-adds per call on rows of one large sample: a gemm runs to its end
 * before cancel is seen, and 2^26 is a few ms of one core's dgemm; the
 * kernels' own loops poll inside a call (kern_poll.h)
 */
#define CHUNK_GEMM_FLOPS ((int64) 1 << 26)

#define ROWS_RULE "The last dimensions must be equal and the leading ones must broadcast (equal, or 1)."
#define ROWS_HINT "rowdot(a, b) is (a * b).sum(-1) with NumPy broadcasting: (B,N) pairs with (N) or (B,N)."
static const ShapeOp op_rowdot = {"rowdot", "pair", ROWS_RULE, ROWS_HINT};
static const ShapeOp op_rowcosine = {"rowcosine", "pair", ROWS_RULE, ROWS_HINT};
static const ShapeOp op_axis_dot = {
	"axis_dot", "contract",
	"The batch sizes (dim 0) and the sizes along the two axes must be equal.", NULL
};

Datum
tensor_norm(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	double		ss;

	CheckKernelStatus(dtx_sumsq(t->dtype, TensorData(t), TensorNumel(t), &ss), "norm",
					  t->dtype, t, NULL);
	PG_RETURN_FLOAT8(sqrt(ss));
}

/* rowdot and rowcosine: plan the broadcast, then run rows in chunks */
static Tensor *
RowOp(Tensor *a, Tensor *b, bool cosine)
{
	const ShapeOp *op = cosine ? &op_rowcosine : &op_rowdot;
	int64		adims[TENSOR_MAX_NDIM],
				bdims[TENSOR_MAX_NDIM],
				odims[TENSOR_MAX_NDIM];
	DtxRowSpec	spec;
	int			ondim;
	int			odtype;
	int64		nrows,
				step;
	Tensor	   *r;
	char	   *out;
	const DotextCudaApi *gpu;

	CheckSameDtype(op->name, a, b);
	TensorDims64(a, adims);
	TensorDims64(b, bdims);
	CheckShapeCode(dtx_rows_plan(a->ndim, adims, b->ndim, bdims, &spec, &ondim, odims),
				   op, a, b, NULL);
	odtype = cosine ? dtx_cosine_result_dtype(a->dtype) : a->dtype;
	r = InitTensor(odtype, ondim, odims);
	nrows = TensorNumel(r);
	if (nrows == 0)
		return r;
	out = TensorData(r);
	if (dtx_dtype_is_float(a->dtype) && (gpu = dotext_gpu_for(nrows * spec.n)) != NULL)
	{
		char		err[256];
		int			st;

		/*
		 * The GPU library computes float32 and float64: a half pair goes
		 * widened (exactly), to float64 for a cosine (its result dtype),
		 * else to float32 and the result is rounded back as the CPU's is.
		 */
		if (dtx_dtype_is_half(a->dtype) && cosine)
			return RowOp(TensorConvert(a, DTX_FLOAT64), TensorConvert(b, DTX_FLOAT64), true);
		if (dtx_dtype_is_half(a->dtype))
			return TensorRoundFloat32(RowOp(TensorConvert(a, DTX_FLOAT32),
											TensorConvert(b, DTX_FLOAT32), false), odtype);
		st = gpu->rowdot(a->dtype, &spec, TensorData(a),
						 TensorNumel(a) / Max(spec.n, 1), TensorData(b),
						 TensorNumel(b) / Max(spec.n, 1), out, cosine,
						 dotext_gpu_should_stop, NULL, err, sizeof(err));

		if (st != DCU_OK)
			dotext_gpu_raise(st, err);
		return r;
	}
	step = Max(1, CHUNK_ELEMS / Max(spec.n, 1));
	for (int64 row0 = 0; row0 < nrows; row0 += step)
	{
		int64		n = Min(step, nrows - row0);
		DtxStatus	st;

		CHECK_FOR_INTERRUPTS();
		if (cosine)
			st = dtx_rowcosine(a->dtype, &spec, TensorData(a), TensorData(b),
							   out + row0 * dtx_elem_size(odtype), row0, n);
		else
			st = dtx_rowdot(a->dtype, &spec, TensorData(a), TensorData(b),
							out + row0 * dtx_elem_size(odtype), row0, n);
		CheckKernelStatus(st, op->name, odtype, a, b);
	}
	return r;
}

Datum
tensor_rowdot(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(RowOp(PG_GETARG_TENSOR_P(0), PG_GETARG_TENSOR_P(1), false));
}

Datum
tensor_rowcosine(PG_FUNCTION_ARGS)
{
	PG_RETURN_TENSOR_P(RowOp(PG_GETARG_TENSOR_P(0), PG_GETARG_TENSOR_P(1), true));
}

/* t's elements with its dims permuted, or t's own data when perm is identity */
static void *
PermutedData(Tensor *t, const int *perm)
{
	int64		dims[TENSOR_MAX_NDIM];
	void	   *dst;

	if (dtx_perm_is_identity(t->ndim, perm))
		return TensorData(t);
	TensorDims64(t, dims);
	/* same byte count as t's data, which passed the size checks */
	dst = palloc_extended(Max(TensorNumel(t) * TensorElemSize(t), 1), MCXT_ALLOC_HUGE);
	dtx_permute_copy(TensorElemSize(t), t->ndim, dims, perm, TensorData(t), dst);
	return dst;
}

/*
 * Keras Dot(axes=(ax, ay), normalize): dim 0 is the batch, the contracted
 * axes are made contiguous, then one matrix product per sample.
 */
static Tensor *
AxisDot(Tensor *a, Tensor *b, int64 ax, int64 ay, bool normalize)
{
	int64		adims[TENSOR_MAX_NDIM],
				bdims[TENSOR_MAX_NDIM];
	DtxAxisPlan plan;
	Tensor	   *r;
	int			odtype;
	void	   *x,
			   *y;
	char	   *out;
	double	   *ynorm;
	int64		per_batch;
	size_t		es = TensorElemSize(a);
	DtxStatus	st;
	const DotextCudaApi *gpu;

	CheckSameDtype(op_axis_dot.name, a, b);
	TensorDims64(a, adims);
	TensorDims64(b, bdims);
	CheckShapeCode(dtx_axis_plan(a->ndim, adims, b->ndim, bdims, ax, ay, &plan), &op_axis_dot,
				   a, b, (int64[]) {ax, ay});
	odtype = normalize ? dtx_cosine_result_dtype(a->dtype) : a->dtype;
	r = InitTensor(odtype, plan.out_ndim, plan.out_dims);
	/* an empty result needs no work (and M, K, P may be huge beside a 0) */
	if (TensorNumel(r) == 0)
		return r;
	x = PermutedData(a, plan.xperm);
	y = PermutedData(b, plan.yperm);
	out = TensorData(r);
	if (dtx_dtype_is_float(a->dtype) &&
		(gpu = dotext_gpu_for(plan.B * (plan.M * plan.K + plan.K * plan.P))) != NULL)
	{
		char		err[256];
		int			st;

		/* half inputs: as in RowOp */
		if (dtx_dtype_is_half(a->dtype) && normalize)
			return AxisDot(TensorConvert(a, DTX_FLOAT64), TensorConvert(b, DTX_FLOAT64),
						   ax, ay, true);
		if (dtx_dtype_is_half(a->dtype))
			return TensorRoundFloat32(AxisDot(TensorConvert(a, DTX_FLOAT32),
											  TensorConvert(b, DTX_FLOAT32), ax, ay, false),
									  odtype);
		st = gpu->batch_matmul(a->dtype, plan.B, plan.M, plan.K, plan.P, x, y, out,
							   normalize, dotext_gpu_should_stop, NULL,
							   err, sizeof(err));

		if (st != DCU_OK)
			dotext_gpu_raise(st, err);
		return r;
	}
	/* y's column norms, one sample at a time (P <= the result's numel) */
	ynorm = normalize ? palloc_extended(plan.P * sizeof(double), MCXT_ALLOC_HUGE) : NULL;
	per_batch = Max(1, plan.M * plan.K * plan.P);
	if (per_batch <= CHUNK_FLOPS)
	{
		/* small samples: several per call, a product costs M*K*P multiply-adds */
		int64		step = CHUNK_FLOPS / per_batch;

		for (int64 b0 = 0; b0 < plan.B; b0 += step)
		{
			int64		nb = Min(step, plan.B - b0);

			CHECK_FOR_INTERRUPTS();
			if (normalize)
				st = dtx_batch_matmul_normalized(a->dtype, plan.M, plan.K, plan.P,
												 x, y, out, b0, nb, ynorm);
			else
				st = dtx_batch_matmul(a->dtype, plan.M, plan.K, plan.P, x, y, out, b0, nb);
			CheckKernelStatus(st, op_axis_dot.name, odtype, a, b);
		}
		return r;
	}
	/* large samples: rows of one sample per call, each gemm a few ms */
	for (int64 bi = 0; bi < plan.B; bi++)
	{
		const char *xb = (const char *) x + bi * plan.M * plan.K * es;
		const char *yb = (const char *) y + bi * plan.K * plan.P * es;
		char	   *ob = out + bi * plan.M * plan.P * dtx_elem_size(odtype);
		int64		step = Max(1, CHUNK_GEMM_FLOPS / Max(1, plan.K * plan.P));

		if (normalize)
			dtx_col_norms(a->dtype, plan.K, plan.P, yb, ynorm);
		for (int64 i0 = 0; i0 < plan.M; i0 += step)
		{
			int64		ni = Min(step, plan.M - i0);

			CHECK_FOR_INTERRUPTS();
			if (normalize)
				st = dtx_matmul_rows_normalized(a->dtype, plan.M, plan.K, plan.P,
												xb, yb, ynorm, ob, i0, ni);
			else
				st = dtx_matmul_rows(a->dtype, plan.M, plan.K, plan.P, xb, yb, ob, i0, ni);
			CheckKernelStatus(st, op_axis_dot.name, odtype, a, b);
		}
	}
	return r;
}

Datum
tensor_axis_dot_int(PG_FUNCTION_ARGS)
{
	int32		axis = PG_GETARG_INT32(2);

	PG_RETURN_TENSOR_P(AxisDot(PG_GETARG_TENSOR_P(0), PG_GETARG_TENSOR_P(1),
							   axis, axis, PG_GETARG_BOOL(3)));
}

static void
ReportBadAxes(const char *given)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid axes \"%s\" for axis_dot", given),
			 errhint("Give one axis for both tensors, or two: 1, '{1,2}' or '(1,2)'.")));
}

Datum
tensor_axis_dot_array(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(2);
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ReportBadAxes("a multi-dimensional array");
	deconstruct_array(arr, INT4OID, sizeof(int32), true, TYPALIGN_INT, &elems, &nulls, &n);
	/* Keras: a list or tuple of axes has exactly one for each input */
	if (n != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("axis_dot requires an axes array of 2 elements, not %d", n),
				 errhint("Pass one integer, such as axis_dot(a, b, 1), to use one axis for both tensors.")));
	for (int k = 0; k < n; k++)
		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("axes must not contain nulls")));
	PG_RETURN_TENSOR_P(AxisDot(PG_GETARG_TENSOR_P(0), PG_GETARG_TENSOR_P(1),
							   DatumGetInt32(elems[0]), DatumGetInt32(elems[1]),
							   PG_GETARG_BOOL(3)));
}

/* axes as text: "1", "{1,2}", "(1,2)" or "[1,2]", white space allowed */
Datum
tensor_axis_dot_text(PG_FUNCTION_ARGS)
{
	char	   *s = text_to_cstring(PG_GETARG_TEXT_PP(2));
	char	   *p = s;
	long		axes[2];
	int			n = 0;
	char		close = 0;

	while (isspace((unsigned char) *p))
		p++;
	if (*p == '{' || *p == '(' || *p == '[')
	{
		close = *p == '{' ? '}' : *p == '(' ? ')' : ']';
		p++;
	}
	for (;;)
	{
		char	   *end;

		while (isspace((unsigned char) *p))
			p++;
		errno = 0;
		axes[n] = strtol(p, &end, 10);
		if (end == p || errno == ERANGE || axes[n] < PG_INT32_MIN || axes[n] > PG_INT32_MAX)
			ReportBadAxes(s);
		n++;
		p = end;
		while (isspace((unsigned char) *p))
			p++;
		if (*p == ',' && close && n < 2)
		{
			p++;
			continue;
		}
		break;
	}
	if (close)
	{
		if (*p != close)
			ReportBadAxes(s);
		p++;
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		ReportBadAxes(s);
	PG_RETURN_TENSOR_P(AxisDot(PG_GETARG_TENSOR_P(0), PG_GETARG_TENSOR_P(1),
							   axes[0], axes[n - 1], PG_GETARG_BOOL(3)));
}
