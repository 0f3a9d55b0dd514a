/*
 * tensor_compare.c: the total order of tensors (dtype, then shape, then
 * elements as float8 orders them) behind = <> < <= >= > and the btree
 * operator class, and the hash consistent with it, so that DISTINCT,
 * GROUP BY, UNION, ORDER BY, merge and hash joins and btree indexes work.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/fmgrprotos.h"

#include "elementwise.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(tensor_eq);
PG_FUNCTION_INFO_V1(tensor_ne);
PG_FUNCTION_INFO_V1(tensor_lt);
PG_FUNCTION_INFO_V1(tensor_le);
PG_FUNCTION_INFO_V1(tensor_gt);
PG_FUNCTION_INFO_V1(tensor_ge);
PG_FUNCTION_INFO_V1(tensor_cmp);
PG_FUNCTION_INFO_V1(tensor_hash);
PG_FUNCTION_INFO_V1(tensor_hash_extended);

/* elements canonicalized per hash step (512 kB of float64) */
#define HASH_CHUNK_ELEMS (1 << 16)

/*
 * dtype first, then rank, then dims, then elements: tensors of different
 * dtypes or shapes are unequal and ordered, never an error, because a
 * column without a type modifier may hold several and a sort must not fail.
 */
static int
TensorCmp(const Tensor *a, const Tensor *b)
{
	int64		n;

	if (a->dtype != b->dtype)
		return a->dtype < b->dtype ? -1 : 1;
	if (a->ndim != b->ndim)
		return a->ndim < b->ndim ? -1 : 1;
	for (int k = 0; k < a->ndim; k++)
		if (a->dims[k] != b->dims[k])
			return a->dims[k] < b->dims[k] ? -1 : 1;
	n = TensorNumel(a);
	for (int64 i = 0; i < n; i += TENSOR_CHUNK_ELEMS)
	{
		int			c;

		CHECK_FOR_INTERRUPTS();
		c = dtx_compare(a->dtype, TensorData(a), TensorData(b), i,
						Min(TENSOR_CHUNK_ELEMS, n - i));
		if (c != 0)
			return c;
	}
	return 0;
}

#define TENSOR_CMP_FN(fn, expr) \
Datum \
fn(PG_FUNCTION_ARGS) \
{ \
	Tensor	   *a = PG_GETARG_TENSOR_P(0); \
	Tensor	   *b = PG_GETARG_TENSOR_P(1); \
	int			c = TensorCmp(a, b); \
	PG_FREE_IF_COPY(a, 0); \
	PG_FREE_IF_COPY(b, 1); \
	PG_RETURN_BOOL(expr); \
}

TENSOR_CMP_FN(tensor_eq, c == 0)
TENSOR_CMP_FN(tensor_ne, c != 0)
TENSOR_CMP_FN(tensor_lt, c < 0)
TENSOR_CMP_FN(tensor_le, c <= 0)
TENSOR_CMP_FN(tensor_gt, c > 0)
TENSOR_CMP_FN(tensor_ge, c >= 0)

Datum
tensor_cmp(PG_FUNCTION_ARGS)
{
	Tensor	   *a = PG_GETARG_TENSOR_P(0);
	Tensor	   *b = PG_GETARG_TENSOR_P(1);
	int			c = TensorCmp(a, b);

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	PG_RETURN_INT32(c);
}

/*
 * Hash of dtype, shape and the elements' canonical bytes (-0 as 0, one NaN),
 * so that tensors = says are equal hash alike.  The trailer of exact digits
 * (tensor.h) is not part of the value and is not hashed.
 */
static uint64
TensorHash(const Tensor *t, uint64 seed)
{
	int64		n = TensorNumel(t);
	size_t		es = TensorElemSize(t);
	char	   *buf = palloc(Min(n, HASH_CHUNK_ELEMS) * es + 1);
	int32		head[2] = {t->dtype, t->ndim};
	uint64		h;

	h = DatumGetUInt64(hash_any_extended((const unsigned char *) head, sizeof(head), seed));
	h = hash_combine64(h, DatumGetUInt64(hash_any_extended((const unsigned char *) t->dims,
														   sizeof(int32) * t->ndim, seed)));
	for (int64 i = 0; i < n; i += HASH_CHUNK_ELEMS)
	{
		int64		count = Min(HASH_CHUNK_ELEMS, n - i);

		CHECK_FOR_INTERRUPTS();
		dtx_hash_canonical(t->dtype, TensorData(t), buf, i, count);
		h = hash_combine64(h, DatumGetUInt64(hash_any_extended((unsigned char *) buf,
															   count * es, seed)));
	}
	pfree(buf);
	return h;
}

Datum
tensor_hash(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	uint64		h = TensorHash(t, 0);

	PG_FREE_IF_COPY(t, 0);
	PG_RETURN_UINT32((uint32) h);
}

Datum
tensor_hash_extended(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	uint64		h = TensorHash(t, PG_GETARG_INT64(1));

	PG_FREE_IF_COPY(t, 0);
	PG_RETURN_UINT64(h);
}
