/*
 * tensor_slice.c: || (torch.cat along the first axis), subvector() (a
 * slice of the last axis, for truncated Matryoshka embeddings), and
 * subscripts: t[i] (an index, from 1, dropping the dimension) and
 * t[lo:hi] (a slice, bounds included and clamped, as for arrays), one
 * bracket per leading dimension.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/execExpr.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "nodes/subscripting.h"
#include "parser/parse_coerce.h"
#include "parser/parse_expr.h"

#include "elementwise.h"
#include "shape.h"
#include "tensor_check.h"

PG_FUNCTION_INFO_V1(tensor_concat);
PG_FUNCTION_INFO_V1(tensor_subvector);
PG_FUNCTION_INFO_V1(tensor_subscript_handler);

static const ShapeOp op_concat = {
	"operator ||", "concatenate",
	"Tensors are joined along the first dimension: both need rank 1 or more and the same other dimensions, as torch.cat.",
	NULL
};

/*
 * torch.cat((a, b), 0): one dtype, one rank of at least 1, equal dims after
 * the first.
 */
Datum
tensor_concat(PG_FUNCTION_ARGS)
{
	Tensor	   *a = PG_GETARG_TENSOR_P(0);
	Tensor	   *b = PG_GETARG_TENSOR_P(1);
	int64		dims[TENSOR_MAX_NDIM];
	size_t		abytes;
	Tensor	   *r;

	CheckSameDtype("operator ||", a, b);
	if (a->ndim == 0 || a->ndim != b->ndim ||
		memcmp(a->dims + 1, b->dims + 1, sizeof(int32) * (a->ndim - 1)) != 0)
		CheckShapeCode(DTX_SHAPE_MISMATCH, &op_concat, a, b, NULL);
	TensorDims64(a, dims);
	dims[0] += b->dims[0];
	if (dims[0] > PG_INT32_MAX)
		TensorReportShapeTooLarge(a->dtype, a->ndim, dims);
	r = InitTensor(a->dtype, a->ndim, dims);
	abytes = TensorNumel(a) * TensorElemSize(a);
	dtx_copy(TensorData(r), TensorData(a), abytes);
	dtx_copy((char *) TensorData(r) + abytes, TensorData(b), TensorNumel(b) * TensorElemSize(b));
	PG_RETURN_TENSOR_P(r);
}

/*
 * The box start[k] .. start[k] + count[k] - 1 of t (0-based, within its
 * dims) as a new tensor of shape out_dims (the counts, some dropped).
 */
static Tensor *
CopyBox(const Tensor *t, const int64 *start, const int64 *count, int out_ndim,
		const int64 *out_dims)
{
	Tensor	   *r = InitTensor(t->dtype, out_ndim, out_dims);
	int64		dims[TENSOR_MAX_NDIM];
	int			last = t->ndim - 1;
	int64		rows = 1,
				step;

	TensorDims64(t, dims);
	/* zero-first: an empty box may lie beside huge dims */
	rows = dtx_numel(t->ndim, count, INT64_MAX);
	if (rows == 0)
		return r;
	rows /= count[last];
	step = Max(1, TENSOR_CHUNK_ELEMS / Max(count[last], 1));
	for (int64 r0 = 0; r0 < rows; r0 += step)
	{
		CHECK_FOR_INTERRUPTS();
		dtx_box_copy(TensorElemSize(t), t->ndim, dims, start, count, TensorData(t),
					 TensorData(r), r0, Min(step, rows - r0));
	}
	return r;
}

/*
 * Elements start .. start + count - 1 (counting from 1) of the last axis,
 * clamped to the axis as substring() clamps, so a slice past the end is
 * empty.  pgvector's subvector() for a vector; every row for a batch.
 */
Datum
tensor_subvector(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	int64		start = PG_GETARG_INT32(1);
	int64		count = PG_GETARG_INT32(2);
	int64		dims[TENSOR_MAX_NDIM];
	int64		first[TENSOR_MAX_NDIM] = {0};
	int			last = t->ndim - 1;
	int64		n,
				end;

	CheckRank("subvector", t, NULL, 1, TENSOR_MAX_NDIM, NULL);
	if (count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("subvector count must not be negative, not %lld", (long long) count)));
	TensorDims64(t, dims);
	n = dims[last];
	/* 64-bit arithmetic: no int32 overflow in start + count */
	first[last] = Min(Max(start - 1, 0), n);
	end = Min(Max(start - 1 + count, first[last]), n);
	dims[last] = end - first[last];
	PG_RETURN_TENSOR_P(CopyBox(t, first, dims, t->ndim, dims));
}

/* a subscript expression as integer */
static Node *
SubscriptAsInt(ParseState *pstate, Node *expr)
{
	Node	   *e = transformExpr(pstate, expr, pstate->p_expr_kind);
	Node	   *c = coerce_to_target_type(pstate, e, exprType(e), INT4OID, -1,
										  COERCION_ASSIGNMENT, COERCE_IMPLICIT_CAST, -1);

	if (c == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("tensor subscript must have type integer"),
				 parser_errposition(pstate, exprLocation(expr))));
	return c;
}

/*
 * Parse analysis: all indexes (t[2][3]) or all slices (t[:][1:64]); the
 * result is a tensor of the same dtype.  Reading only: a tensor is built
 * whole, not updated element by element.
 */
static void
TensorSubscriptTransform(SubscriptingRef *sbsref, List *indirection, ParseState *pstate,
						 bool isSlice, bool isAssignment)
{
	List	   *upper = NIL;
	List	   *lower = NIL;
	ListCell   *lc;

	if (isAssignment)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot assign to a subscript of a tensor"),
				 errhint("Build the new tensor with ||, subvector() or arithmetic."),
				 parser_errposition(pstate, exprLocation((Node *) indirection))));
	if (list_length(indirection) > TENSOR_MAX_NDIM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a tensor has at most %d dimensions to subscript, not %d",
						TENSOR_MAX_NDIM, list_length(indirection)),
				 parser_errposition(pstate, exprLocation((Node *) indirection))));
	foreach(lc, indirection)
	{
		A_Indices  *ai = lfirst_node(A_Indices, lc);

		/* arrays read a[2][1:3] as a[1:2][1:3]; for a tensor that would surprise */
		if (isSlice && !ai->is_slice)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("tensor subscripts cannot mix indexes and slices"),
					 errhint("Write t[i:i] to keep a dimension of size 1, or index first and slice the result."),
					 parser_errposition(pstate, exprLocation(ai->uidx))));
		if (isSlice)
			lower = lappend(lower, ai->lidx ? SubscriptAsInt(pstate, ai->lidx) : NULL);
		upper = lappend(upper, ai->uidx ? SubscriptAsInt(pstate, ai->uidx) : NULL);
	}
	sbsref->refupperindexpr = upper;
	sbsref->reflowerindexpr = lower;
	/* the same type and dtype modifier as the container */
	sbsref->refrestype = sbsref->refcontainertype;
}

static void
ReportSubscriptRank(const Tensor *t, int nsub)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg_plural("tensor of shape %s cannot take %d subscript",
						   "tensor of shape %s cannot take %d subscripts",
						   nsub, TensorShapeString(t), nsub),
			 errdetail("Each bracket indexes or slices one dimension, from the first.")));
}

/*
 * An index outside 1 .. dim, or a NULL subscript, gives NULL, as for
 * arrays; a slice is clamped to the dimension and may be empty.
 */
static void
TensorSubscriptFetch(ExprState *state, ExprEvalStep *op, ExprContext *econtext)
{
	SubscriptingRefState *sb = op->d.sbsref.state;
	bool		slice = sb->numlower > 0;
	int			nsub = sb->numupper;
	int64		start[TENSOR_MAX_NDIM],
				count[TENSOR_MAX_NDIM],
				out[TENSOR_MAX_NDIM];
	int			out_ndim = 0;
	Tensor	   *t;

	for (int k = 0; k < nsub; k++)
		if ((sb->upperprovided[k] && sb->upperindexnull[k]) ||
			(slice && sb->lowerprovided[k] && sb->lowerindexnull[k]))
		{
			*op->resnull = true;
			return;
		}
	t = DatumGetTensorP(*op->resvalue);
	if (nsub > t->ndim)
		ReportSubscriptRank(t, nsub);
	TensorDims64(t, count);
	memset(start, 0, sizeof(start));
	for (int k = 0; k < t->ndim; k++)
	{
		int64		dim = count[k];

		if (k < nsub && !slice)
		{
			int64		i = DatumGetInt32(sb->upperindex[k]);

			if (i < 1 || i > dim)
			{
				*op->resnull = true;
				return;
			}
			start[k] = i - 1;
			count[k] = 1;
			continue;			/* an index drops its dimension */
		}
		if (k < nsub)
		{
			int64		lo = sb->lowerprovided[k] ? DatumGetInt32(sb->lowerindex[k]) : 1;
			int64		hi = sb->upperprovided[k] ? DatumGetInt32(sb->upperindex[k]) : dim;

			lo = Max(lo, 1);
			hi = Min(hi, dim);
			start[k] = hi >= lo ? lo - 1 : 0;
			count[k] = hi >= lo ? hi - lo + 1 : 0;
		}
		out[out_ndim++] = count[k];
	}
	*op->resvalue = PointerGetDatum(CopyBox(t, start, count, out_ndim, out));
}

static void
TensorSubscriptExecSetup(const SubscriptingRef *sbsref, SubscriptingRefState *sbsrefstate,
						 SubscriptExecSteps *methods)
{
	methods->sbs_check_subscripts = NULL;
	methods->sbs_fetch = TensorSubscriptFetch;
	methods->sbs_assign = NULL;
	methods->sbs_fetch_old = NULL;
}

Datum
tensor_subscript_handler(PG_FUNCTION_ARGS)
{
	static const SubscriptRoutines routines = {
		.transform = TensorSubscriptTransform,
		.exec_setup = TensorSubscriptExecSetup,
		.fetch_strict = true,	/* a NULL tensor gives NULL */
		.fetch_leakproof = false,	/* too many subscripts is an error */
		.store_leakproof = false
	};

	PG_RETURN_POINTER(&routines);
}
