/*
 * flat.c: the flat index access method's handler, cost estimate and the
 * helpers its build, insert, scan and vacuum share (see flat.h for the
 * page layout).
 */
#include "postgres.h"

#include <float.h>

#include "access/amapi.h"
#include "access/reloptions.h"
#include "commands/progress.h"
#include "commands/vacuum.h"
#include "miscadmin.h"
#include "optimizer/optimizer.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/selfuncs.h"
#include "utils/spccache.h"

#include "flat.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(flathandler);

/* the operators' functions, in tensor_ops.c: support function 1 names one */
extern Datum tensor_negative_dot(PG_FUNCTION_ARGS);
extern Datum tensor_cosine_distance(PG_FUNCTION_ARGS);

void
FlatInitPage(Page page, uint16 kind)
{
	FlatPageOpaque *op;

	PageInit(page, BLCKSZ, sizeof(FlatPageOpaque));
	op = (FlatPageOpaque *) PageGetSpecialPointer(page);
	op->page_id = FLAT_PAGE_ID;
	op->kind = kind;
	/* the whole data area is in use: generic WAL must not skip it as a hole */
	((PageHeader) page)->pd_lower = ((PageHeader) page)->pd_upper;
}

void
FlatReadMeta(Relation index, FlatMeta *meta)
{
	Buffer		buf = ReadBuffer(index, FLAT_METAPAGE_BLKNO);
	Page		page;
	FlatMeta   *m;

	LockBuffer(buf, BUFFER_LOCK_SHARE);
	page = BufferGetPage(buf);
	m = FlatPageGetMeta(page);
	if (m->magic != FLAT_MAGIC || m->version != FLAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INDEX_CORRUPTED),
				 errmsg("index \"%s\" is not a flat index of version %d",
						RelationGetRelationName(index), FLAT_VERSION)));
	*meta = *m;
	UnlockReleaseBuffer(buf);
}

FlatMetric
FlatGetMetric(Relation index)
{
	FmgrInfo   *proc = index_getprocinfo(index, 1, FLAT_DISTANCE_PROC);

	if (proc->fn_addr == tensor_negative_dot)
		return FLAT_METRIC_IP;
	if (proc->fn_addr == tensor_cosine_distance)
		return FLAT_METRIC_COSINE;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("flat index support function must be tensor_negative_dot or tensor_cosine_distance")));
}

/*
 * A vector (row or query) must be 1-D of the index's dimension and dtype:
 * shapes 22000, dtypes 42804, as the operators report them.
 */
void
FlatCheckVector(Relation index, const FlatMeta *meta, int dtype, int ndim,
				const int32 *dims, const char *what)
{
	if (ndim != 1 || dims[0] != meta->dim)
	{
		int64		d64[TENSOR_MAX_NDIM];
		int64		want = meta->dim;

		for (int k = 0; k < ndim; k++)
			d64[k] = dims[k];
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("flat index \"%s\" holds vectors of shape %s, not %s",
						RelationGetRelationName(index), ShapeString(1, &want),
						ShapeString(ndim, d64)),
				 errdetail("The %s must be a 1-D tensor of the index's dimension.", what)));
	}
	if (dtype != meta->dtype)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("flat index \"%s\" holds %s vectors, not %s",
						RelationGetRelationName(index), TensorDtypeName(meta->dtype),
						TensorDtypeName(dtype)),
				 errhint("Convert the %s with a cast such as ::tensor(%s).",
						 what, TensorDtypeName(meta->dtype))));
}

/*
 * An integer query as the index's float dtype, as the ranking operators
 * convert it: exactly, or 22003 when an element is beyond 2^24 (float32)
 * or 2^53 (float64).  A float query comes back as it is.
 */
Tensor *
FlatQueryToFloat(Tensor *q, int dtype, const char *name)
{
	int64		dims[TENSOR_MAX_NDIM];
	int64		bad = -1;
	Tensor	   *r;

	if (dtx_dtype_is_float(q->dtype))
		return q;
	TensorDims64(q, dims);
	r = InitTensor(dtype, q->ndim, dims);
	if (dtx_int_to_float_exact(q->dtype, TensorData(q), dtype, TensorData(r),
							   TensorNumel(q), &bad) != DTX_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s cannot convert the %s value %lld to %s exactly",
						name, TensorDtypeName(q->dtype),
						(long long) (q->dtype == DTX_INT32 ? ((int32 *) TensorData(q))[bad] :
									 ((int64 *) TensorData(q))[bad]),
						TensorDtypeName(dtype)),
				 errdetail("An integer operand is converted to the other operand's dtype, exactly only while |x| <= 2^%d.",
						   dtype == DTX_FLOAT32 ? 24 : 53),
				 errhint("Write the query with a decimal point or a float dtype, such as ::tensor(%s).",
						 TensorDtypeName(dtype))));
	return r;
}

/*
 * dtx_topk_sorted with a cancel check every 4096 entries: the same heap
 * sort (the worst to the end, the last into the root, sifted down), the
 * sift done by dtx_topk_push replacing a root that ranks below everything
 * (NaN with the largest id).  A scan's batch or a search's candidate list
 * can hold millions of entries: a second or more of sorting.
 */
void
FlatTopkSorted(DtxTopK *t)
{
	int64		n = t->n,
				k = t->k;

	while (t->n > 1)
	{
		int64		last = t->n - 1;
		double		worst = t->score[0];
		int64		worst_id = t->id[0];
		double		s = t->score[last];
		int64		id = t->id[last];

		t->n = t->k = last;
		t->score[0] = get_float8_nan();
		t->id[0] = PG_INT64_MAX;
		dtx_topk_push(t, s, id);
		t->score[last] = worst;
		t->id[last] = worst_id;
		if ((last & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	t->n = n;
	t->k = k;
}

static char *
flatbuildphasename(int64 phasenum)
{
	switch (phasenum)
	{
		case PROGRESS_CREATEIDX_SUBPHASE_INITIALIZE:
			return "initializing";
		case 2:
			return "loading tuples";
		default:
			return NULL;
	}
}

/*
 * The scan reads every page of the index once, in order, whatever LIMIT
 * says, and then fetches only the rows the executor takes.  So the whole
 * index read is startup cost, and each row returned costs a heap fetch
 * (which cost_index adds).  Without ORDER BY the index is useless: it has
 * no search operators and we say so with an infinite cost.
 */
static void
flatcostestimate(PlannerInfo *root, IndexPath *path, double loop_count,
				 Cost *indexStartupCost, Cost *indexTotalCost,
				 Selectivity *indexSelectivity, double *indexCorrelation,
				 double *indexPages)
{
	double		spc_seq_page_cost;
	double		pages = Max(path->indexinfo->pages, 1);
	double		tuples = Max(path->indexinfo->tuples, 1);

	*indexCorrelation = 0;
	*indexPages = pages;
	*indexSelectivity = 1.0;
	if (path->indexorderbys == NIL)
	{
		*indexStartupCost = get_float8_infinity();
		*indexTotalCost = get_float8_infinity();
		return;
	}
	get_tablespace_page_costs(path->indexinfo->reltablespace, NULL, &spc_seq_page_cost);
	/* pages in order, one distance per vector as the sequential scan pays */
	*indexStartupCost = pages * spc_seq_page_cost + tuples * cpu_operator_cost;
	/* then handing out a tuple is a heap pop */
	*indexTotalCost = *indexStartupCost + tuples * cpu_index_tuple_cost;
}

static bytea *
flatoptions(Datum reloptions, bool validate)
{
	return NULL;
}

static bool
flatvalidate(Oid opclassoid)
{
	return true;
}

Datum
flathandler(PG_FUNCTION_ARGS)
{
	IndexAmRoutine *am = makeNode(IndexAmRoutine);

	am->amstrategies = 0;
	am->amsupport = 1;
	am->amoptsprocnum = 0;
	am->amcanorder = false;
	am->amcanorderbyop = true;
	am->amcanbackward = false;
	am->amcanunique = false;
	am->amcanmulticol = false;
	am->amoptionalkey = true;
	am->amsearcharray = false;
	am->amsearchnulls = false;
	am->amstorage = false;
	am->amclusterable = false;
	am->ampredlocks = false;
	am->amcanparallel = false;
	am->amcaninclude = false;
	am->amusemaintenanceworkmem = false;
	am->amparallelvacuumoptions = VACUUM_OPTION_NO_PARALLEL;
	am->amkeytype = InvalidOid;

	am->ambuild = flatbuild;
	am->ambuildempty = flatbuildempty;
	am->aminsert = flatinsert;
	am->ambulkdelete = flatbulkdelete;
	am->amvacuumcleanup = flatvacuumcleanup;
	am->amcanreturn = NULL;
	am->amcostestimate = flatcostestimate;
	am->amoptions = flatoptions;
	am->amproperty = NULL;
	am->ambuildphasename = flatbuildphasename;
	am->amvalidate = flatvalidate;
	am->amadjustmembers = NULL;
	am->ambeginscan = flatbeginscan;
	am->amrescan = flatrescan;
	am->amgettuple = flatgettuple;
	am->amgetbitmap = NULL;
	am->amendscan = flatendscan;
	am->ammarkpos = NULL;
	am->amrestrpos = NULL;
	am->amestimateparallelscan = NULL;
	am->aminitparallelscan = NULL;
	am->amparallelrescan = NULL;

	PG_RETURN_POINTER(am);
}
