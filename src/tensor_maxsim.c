/*
 * tensor_maxsim.c: maxsim(doc, query), ColBERT late interaction (the
 * ranking aggregates topk and topk_scores are in tensor_agg.c).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "heap_prefetch.h"
#include "kernels.h"
#include "tensor_check.h"

PG_FUNCTION_INFO_V1(tensor_maxsim);

Datum
tensor_maxsim(PG_FUNCTION_ARGS)
{
	Tensor	   *doc = PG_GETARG_TENSOR_P(0);
	Tensor	   *q = PG_GETARG_TENSOR_P(1);
	double		r;
	DtxStatus	st;

	PrefetchNextHeapRow(doc);
	CheckSameDtype("maxsim", doc, q);
	if (doc->ndim != 2 || q->ndim != 2 || doc->dims[1] != q->dims[1])
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("maxsim requires (N,D) and (M,D) tensors, not shapes %s and %s",
						TensorShapeString(doc), TensorShapeString(q)),
				 errhint("Rows are token embeddings: a document (N,D) and a query (M,D) of one width D.")));
	if (doc->dims[0] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("maxsim of a document with no rows, shape %s, is undefined",
						TensorShapeString(doc))));
	/*
	 * half dtypes: widened to float32 (exact), so that the similarities go
	 * through sgemm and equal those of the float32 copies
	 */
	if (dtx_dtype_is_half(doc->dtype))
	{
		doc = TensorConvert(doc, DTX_FLOAT32);
		q = TensorConvert(q, DTX_FLOAT32);
	}
	st = dtx_maxsim(doc->dtype, TensorData(doc), doc->dims[0], TensorData(q),
					q->dims[0], q->dims[1],
					palloc(DTX_MAXSIM_SCRATCH * sizeof(double)), &r);
	CheckKernelStatus(st, "maxsim", doc->dtype, doc, q);
	PG_RETURN_FLOAT8(r);
}
