/*
 * dtype.h: element types of a tensor, shared by the server code, the CPU
 * kernels, the parser and the CUDA library.  Plain C, no PostgreSQL headers.
 *
 * Every fact about a dtype lives in one descriptor row (dtype.c): its name
 * and aliases, element size, kind, how an element widens to double and
 * narrows from it, how it prints, and which kernels compute it.  Code that
 * needs one of those facts asks the descriptor; a switch over dtype codes
 * lists every dtype it handles and treats any other code as the internal
 * error it is, never as a default dtype.
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
	DTX_FLOAT16 = 5,			/* IEEE 754 binary16 */
	DTX_BFLOAT16 = 6,			/* the top half of a float32 */
	/* planned; code reserved so the on-disk format needs no change */
	DTX_INT8 = 7
} DtxDtype;

#define DTX_MAX_NDIM 16

/* one past the highest code a descriptor row may have */
#define DTX_DTYPE_CODES 8

/* longest text one element of any dtype prints as, sign, ".0" and separator included */
#define DTX_ELEM_TEXT_MAX 32

typedef struct DtxDtypeDesc
{
	int			code;			/* DtxDtype */
	const char *name;			/* PyTorch's name, printed by dtype() and in tags */
	const char *const *aliases; /* other accepted spellings, NULL-ended */
	uint8_t		size;			/* bytes per element; the binary format's element width */
	uint8_t		is_float;
	uint8_t		tag_in_text;	/* an untagged literal of it would read as another dtype: text output tags it ("float64:[...]"); every empty non-float32 value is tagged */

	/*
	 * The dtype whose kernels compute this one: itself for float32,
	 * float64, int32 and int64; float32 for float16 and bfloat16, whose
	 * elements widen to float32 exactly (to_f32) and whose results narrow
	 * back from float32 (from_f32), as PyTorch computes them.
	 */
	int			compute;

	/* element i as a double (exact except int64 beyond 2^53) */
	double		(*load) (const void *p, int64_t i);

	/*
	 * Store v into element i as Tensor.to() does: floats round to nearest
	 * even, integers truncate toward zero.  Returns 0 (storing nothing)
	 * when v is out of the dtype's range: a finite v that would round to
	 * an infinity, or NaN/inf into an integer dtype.
	 */
	int			(*store) (double v, void *p, int64_t i);

	/*
	 * n elements, comma-separated, in the shortest text that reads back as
	 * the same bits (floats always with a point or an exponent, so that
	 * the text re-reads as a float); returns the end.  Room needed: n *
	 * text_max bytes.
	 */
	char	   *(*write_row) (char *p, const void *data, int64_t n);

	/* half dtypes only (else NULL): n elements to and from float32 */
	void		(*to_f32) (const void *src, float *dst, int64_t n);
	void		(*from_f32) (const float *src, void *dst, int64_t n);

	/*
	 * longest text of one element with its separator (<= DTX_ELEM_TEXT_MAX):
	 * what sizes tensor_out's buffer, so the largest printable tensor
	 * depends on it
	 */
	uint8_t		text_max;
} DtxDtypeDesc;

/* the row of a code, or NULL for a code this version cannot store */
const DtxDtypeDesc *dtx_dtype(int code);

/* the rows, in code order, for loops over every dtype (NULL-ended) */
extern const DtxDtypeDesc *const dtx_dtypes[];

/* true for the dtypes this version can store and compute with */
static inline int
dtx_dtype_supported(int code)
{
	return dtx_dtype(code) != NULL;
}

static inline int
dtx_dtype_is_float(int code)
{
	const DtxDtypeDesc *d = dtx_dtype(code);

	return d != NULL && d->is_float;
}

/* true for float16 and bfloat16: stored narrow, computed in float32 */
static inline int
dtx_dtype_is_half(int code)
{
	const DtxDtypeDesc *d = dtx_dtype(code);

	return d != NULL && d->to_f32 != NULL;
}

/* bytes per element; 0 for an unknown code */
size_t		dtx_elem_size(int code);

/* canonical (PyTorch) name, or NULL for an unknown code */
const char *dtx_dtype_name(int code);

/* canonical name or alias (float4, real, half, ...) of len bytes; DTX_INVALID if none */
int			dtx_dtype_from_name(const char *name, size_t len);

/*
 * "float32, float64, ..." with each dtype's aliases in parentheses, for
 * hints; written into buf (at most buflen bytes, always terminated).
 */
void		dtx_dtype_list(char *buf, size_t buflen);

#endif
