/*
 * tensor_distance.c: dot, cosine_similarity, l2_distance, l1_distance and
 * the ranking operators <#>, <=>, <->, <+>: one number from two vectors.
 *
 * ORDER BY emb <#> '[...]' LIMIT k calls the operator once per table row
 * with the same query, so everything that depends on the query alone is
 * done on the first call and kept in fn_extra: its checks, its conversion
 * to the column's dtype, the loops for this CPU, the GPU decision.  A row
 * then costs a header check and one kernel call.  The query is the
 * argument PostgreSQL says is stable for the whole statement (a constant or
 * an outside parameter); when neither is, every call does the full work.
 *
 * The ranking operators (and l2_distance/l1_distance, their pgvector
 * function names) convert an integer operand to the other operand's float
 * dtype, so pgvector-style literals such as '[1,0,0]' (int64) rank a
 * float32 column; dot and cosine_similarity keep torch's rule: one dtype.
 * A half column (float16, bfloat16) computes in float32: an integer query
 * converts to float32, and a float32 query (what '[0.1,...]' literals
 * infer) or another half dtype's ranks against it by widening the half
 * side exactly, never by rounding the query to the column's dtype.  The
 * per-row loops read the half row directly (kern_simd.h): the same bits
 * as the float32 loops on the widened row, at half the bytes per row.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "device.h"
#include "distance.h"
#include "heap_prefetch.h"
#include "kern_util.h"
#include "tensor_check.h"

/* the longest query the per-row fast path widens to double (32 MB) */
#define RANK_WIDE_MAX_ELEMS ((int32) 1 << 22)

PG_FUNCTION_INFO_V1(tensor_dot);
PG_FUNCTION_INFO_V1(tensor_negative_dot);
PG_FUNCTION_INFO_V1(tensor_cosine_similarity);
PG_FUNCTION_INFO_V1(tensor_cosine_distance);
PG_FUNCTION_INFO_V1(tensor_l2_distance);
PG_FUNCTION_INFO_V1(tensor_l1_distance);
PG_FUNCTION_INFO_V1(tensor_l2_operator);
PG_FUNCTION_INFO_V1(tensor_l1_operator);

typedef struct RankOp
{
	DtxMetric	metric;
	bool		negate;			/* <#> is -dot */
	bool		one_minus;		/* <=> is 1 - cosine */
	bool		convert;		/* an integer operand takes the float dtype */
	const char *name;			/* for errors: what the user wrote */
} RankOp;

/*
 * Each operator has a C function of its own, not the named function's:
 * the planner folds constant operands through a FuncExpr, so the call
 * itself cannot tell which spelling the user wrote.
 */
static const RankOp op_dot = {DTX_METRIC_DOT, false, false, false, "dot"};
static const RankOp op_negative_dot = {DTX_METRIC_DOT, true, false, true, "<#>"};
static const RankOp op_cosine = {DTX_METRIC_COSINE, false, false, false, "cosine_similarity"};
static const RankOp op_cosine_distance = {DTX_METRIC_COSINE, false, true, true, "<=>"};
static const RankOp op_l2 = {DTX_METRIC_L2, false, false, true, "l2_distance"};
static const RankOp op_l2_operator = {DTX_METRIC_L2, false, false, true, "<->"};
static const RankOp op_l1 = {DTX_METRIC_L1, false, false, true, "l1_distance"};
static const RankOp op_l1_operator = {DTX_METRIC_L1, false, false, true, "<+>"};

/* the query's part of the work, per call site */
typedef struct RankCache
{
	int			qarg;			/* the stable argument, or -1: none */
	Tensor	   *query;			/* it, checked and converted, in fn_mcxt */
	int			dtype;			/* the dtype a row must have for the fast path */
	int32		n;				/* and its length */
	bool		fast;			/* float dtype on the CPU: rows take the fast path */
	const DtxSimd *simd;
	double	   *wq;				/* a float32 or half query widened to double, once */
	double		qq;				/* and its q.q, for cosine */
} RankCache;

/* two rank-1 tensors of one length and dtype */
static void
CheckVectors(const RankOp *op, const Tensor *a, const Tensor *b)
{
	CheckSameDtype(op->name, a, b);
	CheckRank(op->name, a, b, 1, 1,
			  op->metric == DTX_METRIC_DOT ?
			  "Flatten the tensors with flatten(), or use rowdot() for row-wise products." :
			  op->metric == DTX_METRIC_COSINE ?
			  "Flatten the tensors with flatten(), or use rowcosine() for row-wise products." :
			  "Flatten the tensors with flatten().");
	CheckSameShape(op->name, a, b);
}

/* float32 and the half dtypes, which compute in float32 */
static inline bool
ComputesInFloat32(int dtype)
{
	const DtxDtypeDesc *d = dtx_dtype(dtype);

	return d != NULL && d->compute == DTX_FLOAT32;
}

/* an integer operand of a ranking operator converts to this (exactly) */
static int
IntegerTarget(int float_dtype)
{
	return dtx_dtype(float_dtype)->compute;
}

/*
 * For the ranking operators: an integer operand takes the other's float
 * dtype (float32 for a half one); then float32 against a half dtype, or
 * two half dtypes, widen the half operands to float32.
 */
static void
ConvertOperands(const RankOp *op, Tensor **a, Tensor **b)
{
	if (!op->convert)
		return;
	if (dtx_dtype_is_float((*a)->dtype) && !dtx_dtype_is_float((*b)->dtype))
		*b = TensorToFloatExact(*b, IntegerTarget((*a)->dtype), op->name);
	else if (dtx_dtype_is_float((*b)->dtype) && !dtx_dtype_is_float((*a)->dtype))
		*a = TensorToFloatExact(*a, IntegerTarget((*b)->dtype), op->name);
	if ((*a)->dtype != (*b)->dtype &&
		ComputesInFloat32((*a)->dtype) && ComputesInFloat32((*b)->dtype))
	{
		*a = TensorConvert(*a, DTX_FLOAT32);
		*b = TensorConvert(*b, DTX_FLOAT32);
	}
}

static double
Finish(const RankOp *op, double v)
{
	if (op->negate)
		return -v;
	if (op->one_minus)
		return 1.0 - v;
	return v;
}

/* the whole work for one pair: checks, conversion, device, kernel */
static double
RankPair(const RankOp *op, Tensor *a, Tensor *b)
{
	double		r;
	DtxStatus	st;
	const DotextCudaApi *gpu;

	ConvertOperands(op, &a, &b);
	CheckVectors(op, a, b);
	if (op->metric == DTX_METRIC_DOT && dtx_dtype_is_float(a->dtype) &&
		(gpu = dotext_gpu_for(a->dims[0])) != NULL)
	{
		char		err[256];
		int			gst;

		/* the GPU library computes float32 and float64: a half pair goes widened */
		a = TensorConvert(a, dtx_dtype(a->dtype)->compute);
		b = TensorConvert(b, dtx_dtype(b->dtype)->compute);
		gst = gpu->dot(a->dtype, TensorData(a), TensorData(b), a->dims[0], &r,
					   err, sizeof(err));

		if (gst != DCU_OK)
			dotext_gpu_raise(gst, err);
		return Finish(op, r);
	}
	st = dtx_metric(op->metric, a->dtype, TensorData(a), TensorData(b), a->dims[0], &r);
	/* only the exact integer sums overflow, and they are int64 */
	CheckKernelStatus(st, op->name, DTX_INT64, a, b);
	return Finish(op, r);
}

/*
 * First call at this call site: if an argument is stable, check and
 * convert it once against this call's other operand.  Anything this
 * pair gets wrong is raised by RankPair on the same call, so the cache
 * only keeps what passed.
 */
static RankCache *
InitCache(FunctionCallInfo fcinfo, const RankOp *op)
{
	RankCache  *c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RankCache));
	MemoryContext old;
	Tensor	   *q,
			   *row;

	c->qarg = -1;
	for (int k = 1; k >= 0 && c->qarg < 0; k--)
		if (get_fn_expr_arg_stable(fcinfo->flinfo, k))
			c->qarg = k;
	fcinfo->flinfo->fn_extra = c;
	if (c->qarg < 0)
		return c;
	q = PG_GETARG_TENSOR_P(c->qarg);
	row = PG_GETARG_TENSOR_P(1 - c->qarg);
	if (q->ndim != 1)
		return c;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (op->convert && !dtx_dtype_is_float(q->dtype) && dtx_dtype_is_float(row->dtype))
		q = TensorToFloatExact(q, IntegerTarget(row->dtype), op->name);
	else
		q = (Tensor *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(c->qarg));
	MemoryContextSwitchTo(old);
	c->query = q;
	c->dtype = row->dtype;
	c->n = q->dims[0];
	c->simd = dtx_simd();
	/*
	 * Rows of the query's dtype, or (ranking operators) float32 and half
	 * dtypes mixed, which compute in float32.  The GPU takes a dot only
	 * from dotext.gpu_min_elements on: decide once.
	 */
	c->fast = dtx_dtype_is_float(q->dtype) &&
		(q->dtype == row->dtype ||
		 (op->convert && ComputesInFloat32(q->dtype) && ComputesInFloat32(row->dtype))) &&
		(op->metric != DTX_METRIC_DOT || dotext_gpu_for(c->n) == NULL);
	/*
	 * The query widened to double is 2-4 times its bytes: past an
	 * embedding's size (and the few ms the widening loop may run without a
	 * cancel check) the pairs take the general path instead.
	 */
	if (c->n > RANK_WIDE_MAX_ELEMS)
		c->fast = false;
	if (c->fast && ComputesInFloat32(row->dtype))
	{
		const void *qd = TensorData(q);

		/* exact: float32 and the half dtypes widen exactly to double */
		c->wq = MemoryContextAllocHuge(fcinfo->flinfo->fn_mcxt, sizeof(double) * Max(c->n, 1));
		for (int32 i = 0; i < c->n; i++)
			c->wq[i] = dtx_load_double(q->dtype, qd, i);
		/* the bits of q.q in the pair loops, whichever loops the row takes */
		c->qq = dtx_row_metric(c->simd, DTX_METRIC_DOT, q->dtype, qd, qd, c->n);
	}
	return c;
}

static double
RankCall(FunctionCallInfo fcinfo, const RankOp *op)
{
	RankCache  *c = fcinfo->flinfo->fn_extra;
	Tensor	   *a,
			   *b;

	if (c == NULL)
		c = InitCache(fcinfo, op);
	else if (c->fast)
	{
		Tensor	   *row = PG_GETARG_TENSOR_P(1 - c->qarg);

		PrefetchNextHeapRow(row);
		if (likely(row->ndim == 1 && row->dtype == c->dtype && row->dims[0] == c->n))
			return Finish(op, c->wq ?
						  dtx_row_metric_wq(c->simd, op->metric, c->dtype, TensorData(row),
											c->wq, c->qq, c->n) :
						  dtx_row_metric(c->simd, op->metric, c->dtype, TensorData(row),
										 TensorData(c->query), c->n));
		/* another dtype or shape: the full path converts it or says what is wrong */
	}
	a = PG_GETARG_TENSOR_P(0);
	b = PG_GETARG_TENSOR_P(1);
	PrefetchNextHeapRow(a);
	PrefetchNextHeapRow(b);
	return RankPair(op, a, b);
}

Datum
tensor_dot(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RankCall(fcinfo, &op_dot));
}

/* a <#> b, as pgvector: ascending order ranks the largest dot first */
Datum
tensor_negative_dot(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RankCall(fcinfo, &op_negative_dot));
}

Datum
tensor_cosine_similarity(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RankCall(fcinfo, &op_cosine));
}

/* a <=> b = 1 - cosine_similarity(a, b), the similarity clamped: in [0, 2] */
Datum
tensor_cosine_distance(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RankCall(fcinfo, &op_cosine_distance));
}

/* l2_distance(a, b): Euclidean distance */
Datum
tensor_l2_distance(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RankCall(fcinfo, &op_l2));
}

/* a <-> b */
Datum
tensor_l2_operator(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RankCall(fcinfo, &op_l2_operator));
}

/* l1_distance(a, b): taxicab distance */
Datum
tensor_l1_distance(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RankCall(fcinfo, &op_l1));
}

/* a <+> b */
Datum
tensor_l1_operator(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(RankCall(fcinfo, &op_l1_operator));
}

PG_FUNCTION_INFO_V1(dotext_simd_info);

/* which loops run here, and what DOTEXT_SIMD asked for (benchmarks print it) */
Datum
dotext_simd_info(PG_FUNCTION_ARGS)
{
	const char *want = getenv("DOTEXT_SIMD");

	PG_RETURN_TEXT_P(cstring_to_text(psprintf("%s (DOTEXT_SIMD %s)", dtx_simd_name(),
											  want ? want : "unset")));
}
