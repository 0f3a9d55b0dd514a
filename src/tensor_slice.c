/*
 * tensor_slice.c: || (torch.cat along the first axis) and subvector()
 * (a slice of the last axis, for truncated Matryoshka embeddings).
 */
#include "postgres.h"

#include "miscadmin.h"

#include "elementwise.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(tensor_concat);
PG_FUNCTION_INFO_V1(tensor_subvector);

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
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("operator || cannot concatenate shapes %s and %s",
						TensorShapeString(a), TensorShapeString(b)),
				 errdetail("Tensors are joined along the first dimension: both need rank 1 or more and the same other dimensions, as torch.cat.")));
	TensorDims64(a, dims);
	dims[0] += b->dims[0];
	if (dims[0] > PG_INT32_MAX)
		TensorReportTooLarge();
	r = InitTensor(a->dtype, a->ndim, dims);
	abytes = TensorNumel(a) * TensorElemSize(a);
	memcpy(TensorData(r), TensorData(a), abytes);
	memcpy((char *) TensorData(r) + abytes, TensorData(b), TensorNumel(b) * TensorElemSize(b));
	PG_RETURN_TENSOR_P(r);
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
	int64		n,
				first,
				end,
				rows,
				step;
	Tensor	   *r;

	if (t->ndim == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("subvector requires a tensor of rank 1 or more, not shape ()")));
	if (count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("subvector count must not be negative, not %lld", (long long) count)));
	TensorDims64(t, dims);
	n = dims[t->ndim - 1];
	/* 64-bit arithmetic: no int32 overflow in start + count */
	first = Min(Max(start - 1, 0), n);
	end = Min(Max(start - 1 + count, first), n);
	dims[t->ndim - 1] = end - first;
	r = InitTensor(t->dtype, t->ndim, dims);
	rows = n > 0 ? TensorNumel(t) / n : 0;
	step = Max(1, TENSOR_CHUNK_ELEMS / Max(n, 1));
	for (int64 r0 = 0; r0 < rows; r0 += step)
	{
		CHECK_FOR_INTERRUPTS();
		dtx_slice_rows(TensorElemSize(t), TensorData(t), n, first, end - first,
					   TensorData(r), r0, Min(step, rows - r0));
	}
	PG_RETURN_TENSOR_P(r);
}
