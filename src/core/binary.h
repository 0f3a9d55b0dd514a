/*
 * binary.h: the binary (send/recv) form of a tensor, decoded and validated
 * in plain C so that the decoder can be fuzzed without a server.
 *
 *   uint8 ndim, uint8 dtype, uint16 flags (must be 0),
 *   int32 dims[ndim], then numel elements; all in network byte order.
 */
#ifndef DOTEXT_BINARY_H
#define DOTEXT_BINARY_H

#include <stddef.h>
#include <stdint.h>
#include "dtype.h"

typedef enum DtxBinCode
{
	DTX_BIN_OK = 0,
	DTX_BIN_TRUNCATED,			/* header, dims or data cut short */
	DTX_BIN_RANK,				/* ndim above DTX_MAX_NDIM */
	DTX_BIN_DTYPE,				/* unknown or unsupported dtype code */
	DTX_BIN_FLAGS,				/* reserved flag bits set */
	DTX_BIN_NEGDIM,				/* a negative dimension */
	DTX_BIN_TOO_LARGE			/* element count or bytes beyond max_bytes */
} DtxBinCode;

typedef struct DtxBinHeader
{
	int			ndim;
	int			dtype;
	int			flags;
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
