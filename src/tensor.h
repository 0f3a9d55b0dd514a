/*
 * tensor.h: the on-disk and in-memory form of a tensor, and the helpers
 * every SQL-callable function uses.
 *
 * Layout (forever; the planned dtypes float16/bfloat16/int8 fit it as is):
 *   int32  vl_len_            varlena header
 *   uint8  ndim               0..16
 *   uint8  dtype              DtxDtype code
 *   uint16 flags              bit 0: an exact float64 trailer follows the
 *                             data (see below); other bits must be zero
 *   int32  dims[ndim]
 *   zero padding up to a multiple of 8 bytes (TENSOR_DATA_OFFSET)
 *   data: numel elements of dtype, C order
 *   [trailer: zero padding up to 8 bytes, then numel float64]
 *
 * The trailer exists only for a float32 tensor read from text whose digits
 * say more than float32 holds (an untagged "[0.1]" read with no type
 * modifier).  PostgreSQL applies a column's or a cast's type modifier after
 * the input function ran, so the input function keeps the decimal digits'
 * nearest doubles until the length-coercion cast can use them: '[0.1]' then
 * reaches a tensor(float64) column as 0.1, not as 0.1f widened.  Every
 * operation reads the float32 data and ignores the trailer; every tensor an
 * operation builds has none.
 */
#ifndef DOTEXT_TENSOR_H
#define DOTEXT_TENSOR_H

#include "postgres.h"
#include "fmgr.h"

#include "dtype.h"

#define TENSOR_MAX_NDIM		DTX_MAX_NDIM
#define TENSOR_FLAG_EXACT	0x0001
#define TENSOR_FLAGS_KNOWN	TENSOR_FLAG_EXACT

typedef struct Tensor
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		ndim;
	uint8		dtype;
	uint16		flags;
	int32		dims[FLEXIBLE_ARRAY_MEMBER];
} Tensor;

/* elements per kernel call between two query-cancel checks (a few ms) */
#define TENSOR_CHUNK_ELEMS	(1 << 20)

#define TENSOR_DATA_OFFSET(nd)	TYPEALIGN(8, offsetof(Tensor, dims) + sizeof(int32) * (nd))

#define DatumGetTensorP(x)		((Tensor *) PG_DETOAST_DATUM(x))
#define PG_GETARG_TENSOR_P(n)	DatumGetTensorP(PG_GETARG_DATUM(n))
#define PG_RETURN_TENSOR_P(x)	PG_RETURN_POINTER(x)

static inline void *
TensorData(const Tensor *t)
{
	return (char *) t + TENSOR_DATA_OFFSET(t->ndim);
}

/* valid for any tensor that passed TensorCheck or was built by InitTensor */
static inline int64
TensorNumel(const Tensor *t)
{
	int64		n = 1;

	for (int k = 0; k < t->ndim; k++)
		n *= t->dims[k];
	return n;
}

static inline size_t
TensorElemSize(const Tensor *t)
{
	return dtx_elem_size(t->dtype);
}

static inline double *
TensorExact(const Tensor *t)
{
	if (!(t->flags & TENSOR_FLAG_EXACT))
		return NULL;
	return (double *) ((char *) TensorData(t) +
					   TYPEALIGN(8, TensorNumel(t) * TensorElemSize(t)));
}

/* dims as int64, for the plain-C core */
static inline void
TensorDims64(const Tensor *t, int64 *dims)
{
	for (int k = 0; k < t->ndim; k++)
		dims[k] = t->dims[k];
}

/* tensor.c */
extern Size TensorSize(int dtype, int ndim, const int64 *dims, bool exact);
extern Tensor *InitTensor(int dtype, int ndim, const int64 *dims);
extern Tensor *InitTensorExact(int dtype, int ndim, const int64 *dims, bool exact);
extern char *TensorShapeString(const Tensor *t);
extern char *ShapeString(int ndim, const int64 *dims);
extern const char *TensorDtypeName(int dtype);
extern void CheckSameDtype(const char *op, const Tensor *a, const Tensor *b);
extern Tensor *TensorConvert(const Tensor *t, int dtype);
extern int	DtypeFromTypmod(int32 typmod);
extern void TensorReportTooLarge(void) pg_attribute_noreturn();

#endif
