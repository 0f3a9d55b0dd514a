/*
 * dtype.h: element types of a tensor, shared by the server code, the CPU
 * kernels, the parser and the CUDA library.  Plain C, no PostgreSQL headers.
 *
 * The numeric codes are written to disk and into binary COPY messages: they
 * never change and are never reused.
 */
#ifndef DOTEXT_DTYPE_H
#define DOTEXT_DTYPE_H

#include <stddef.h>
#include <stdint.h>

typedef enum DtxDtype
{
	DTX_INVALID = 0,
	DTX_FLOAT32 = 1,
	DTX_FLOAT64 = 2,
	DTX_INT32 = 3,
	DTX_INT64 = 4,
	/* planned; codes reserved so the on-disk format needs no change */
	DTX_FLOAT16 = 5,
	DTX_BFLOAT16 = 6,
	DTX_INT8 = 7
} DtxDtype;

#define DTX_MAX_NDIM 16

/* true for the dtypes this version can store and compute with */
static inline int
dtx_dtype_supported(int dtype)
{
	return dtype >= DTX_FLOAT32 && dtype <= DTX_INT64;
}

static inline int
dtx_dtype_is_float(int dtype)
{
	return dtype == DTX_FLOAT32 || dtype == DTX_FLOAT64 ||
		dtype == DTX_FLOAT16 || dtype == DTX_BFLOAT16;
}

/* bytes per element; 0 for an unknown code */
size_t		dtx_elem_size(int dtype);

/* canonical (PyTorch) name, or NULL for an unknown code */
const char *dtx_dtype_name(int dtype);

/* canonical name or alias (float4, real, ...) of len bytes; DTX_INVALID if none */
int			dtx_dtype_from_name(const char *name, size_t len);

#endif
