/*
 * binary.h: the binary (send/recv) form of a tensor, decoded and validated
 * in plain C so that the decoder can be fuzzed without a server.
 *
 * Layout 1 (dotext 0.1 and 0.2), all integers in network byte order:
 *   uint8 ndim (0..16), uint8 dtype (the DtxDtype code: 1 float32,
 *   2 float64, 3 int32, 4 int64, 5 float16, 6 bfloat16), uint16 flags (0),
 *   int32 dims[ndim] (each >= 0), then the numel elements in C order, each
 *   of the descriptor's size (2, 4 or 8 bytes) in network byte order: IEEE
 *   754 binary16/32/64, bfloat16 (a binary32's top 16 bits) or two's
 *   complement integers.
 * A later layout starts with the byte 0xFF (never a rank) and a layout
 * version byte, so that this decoder can name it instead of misreading it.
 */
#ifndef DOTEXT_BINARY_H
#define DOTEXT_BINARY_H

#include <stddef.h>
#include <stdint.h>
#include "dtype.h"

/* the first byte of a layout after 1, and what version 1 would write there */
#define DTX_BIN_LAYOUT_MARKER	0xFF

typedef enum DtxBinCode
{
	DTX_BIN_OK = 0,
	/* not a dotext tensor at all: another client's bytes */
	DTX_BIN_NOT_TENSOR,			/* header bytes no dotext ever wrote */
	DTX_BIN_LAYOUT,				/* a later layout (marker, then version) */
	DTX_BIN_DTYPE,				/* a planned dtype this version cannot store */
	/* a dotext tensor header, with something wrong after it */
	DTX_BIN_RANK,				/* ndim above DTX_MAX_NDIM */
	DTX_BIN_TRUNCATED,			/* header, dims or data cut short */
	DTX_BIN_NEGDIM,				/* a negative dimension */
	DTX_BIN_TOO_LARGE			/* element count or bytes beyond max_bytes */
} DtxBinCode;

typedef struct DtxBinHeader
{
	int			ndim;
	int			dtype;
	int			flags;
	int			layout;			/* DTX_BIN_LAYOUT: the version named */
	int64_t		dims[DTX_MAX_NDIM];
	int64_t		numel;
	size_t		data_offset;	/* where the elements start in the message */
	size_t		data_bytes;
} DtxBinHeader;

/*
 * Validate a message of len bytes: header, dims, sizes (data may take at
 * most max_bytes), and that the data is all there.  Bytes after the data
 * are the caller's business (COPY reports them).
 */
DtxBinCode	dtx_bin_decode_header(const unsigned char *buf, size_t len,
								  size_t max_bytes, DtxBinHeader *h);

/* numel elements of dtype from network order at src into dst (host order) */
void		dtx_bin_decode_data(const unsigned char *src, int dtype, int64_t numel,
								void *dst);

/* the inverse, into dst of numel * elem_size bytes */
void		dtx_bin_encode_data(const void *src, int dtype, int64_t numel,
								unsigned char *dst);

#endif
