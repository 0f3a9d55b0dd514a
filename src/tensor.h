/*
 * tensor.h: the on-disk and in-memory form of a tensor, and the helpers
 * every SQL-callable function uses.
 *
 * Layout (forever; the planned dtypes float16/bfloat16/int8 fit it as is):
 *   int32  vl_len_            varlena header
 *   uint8  ndim               0..16
 *   uint8  dtype              DtxDtype code
 *   uint16 flags              zero; bit 0 only in values stored by 0.1.x
 *   int32  dims[ndim]
 *   zero padding up to a multiple of 8 bytes (TENSOR_DATA_OFFSET)
 *   data: numel elements of dtype, C order
 *
 * Version 0.1.x kept, for a float32 tensor read from text whose digits said
 * more than float32 holds, each element's nearest double in a trailer after
 * the data, and set flag bit 0 (TENSOR_FLAG_EXACT).  A float32 value is now
 * its 32 bits and nothing else: no code writes the trailer or the flag, and
 * every reader takes the float32 data and ignores both, so old values read
 * as the float32 tensor they always printed as.  TensorConvert drops them.
 */
#ifndef DOTEXT_TENSOR_H
#define DOTEXT_TENSOR_H

#include "postgres.h"
#include "fmgr.h"

#include "dtype.h"

#define TENSOR_MAX_NDIM		DTX_MAX_NDIM
#define TENSOR_FLAG_EXACT	0x0001	/* legacy trailer (0.1.x), read and ignored */

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

/*
 * valid for any tensor that passed TensorCheck or was built by InitTensor;
 * a zero dim first, so that huge dims beside it are never multiplied
 */
static inline int64
TensorNumel(const Tensor *t)
{
	int64		n = 1;

	for (int k = 0; k < t->ndim; k++)
		if (t->dims[k] == 0)
			return 0;
	for (int k = 0; k < t->ndim; k++)
		n *= t->dims[k];
	return n;
}

static inline size_t
TensorElemSize(const Tensor *t)
{
	return dtx_elem_size(t->dtype);
}

extern const DtxDtypeDesc *DtypeDesc(int dtype);

/* the descriptor of t's dtype; an unknown code is an internal error */
static inline const DtxDtypeDesc *
TensorDesc(const Tensor *t)
{
	return DtypeDesc(t->dtype);
}

/* dims as int64, for the plain-C core */
static inline void
TensorDims64(const Tensor *t, int64 *dims)
{
	for (int k = 0; k < t->ndim; k++)
		dims[k] = t->dims[k];
}

/* tensor.c */
extern Size TensorSize(int dtype, int ndim, const int64 *dims);
extern Tensor *InitTensor(int dtype, int ndim, const int64 *dims);
extern Tensor *InitTensorForWrite(int dtype, int ndim, const int64 *dims);
extern char *TensorShapeString(const Tensor *t);
extern char *ShapeString(int ndim, const int64 *dims);
extern const char *TensorDtypeName(int dtype);
extern char *DtypeNameList(void);
extern char *DtypeCodeList(void);
extern char *DtypeRangeHint(int dtype);
extern Tensor *TensorConvert(const Tensor *t, int dtype);
extern Tensor *TensorToFloatExact(Tensor *t, int dtype, const char *name);
extern Tensor *TensorRoundFloat32(const Tensor *t, int dtype);
extern int	DtypeFromTypmod(int32 typmod);
extern void TensorReportTooLarge(void) pg_attribute_noreturn();
extern void TensorReportShapeTooLarge(int dtype, int ndim, const int64 *dims) pg_attribute_noreturn();

#endif
