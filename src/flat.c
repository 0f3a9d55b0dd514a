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
