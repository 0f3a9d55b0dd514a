/*
 * binary.c: decoding and validating the binary form (see binary.h).
 */
#include "binary.h"

#include <string.h>

static uint32_t
get32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

DtxBinCode
dtx_bin_decode_header(const unsigned char *buf, size_t len, size_t max_bytes,
					  DtxBinHeader *h)
{
	uint64_t	numel = 1;
	uint64_t	bytes;
	int			zero = 0;

	memset(h, 0, sizeof(*h));
	if (len >= 2 && buf[0] == DTX_BIN_LAYOUT_MARKER)
	{
		h->layout = buf[1];
		return DTX_BIN_LAYOUT;
	}
	if (len < 4)
		return DTX_BIN_TRUNCATED;
	h->ndim = buf[0];
	h->dtype = buf[1];
	h->flags = (buf[2] << 8) | buf[3];
	/*
	 * dotext writes a dtype code of 1 to 7 and zero flags: anything else is
	 * another program's bytes (a float array sent as binary, say), which
	 * deserves another message than a tensor with a bad size.
	 */
	if (h->dtype < DTX_FLOAT32 || h->dtype > DTX_INT8 || h->flags != 0)
		return DTX_BIN_NOT_TENSOR;
	if (h->ndim > DTX_MAX_NDIM)
		return DTX_BIN_RANK;
	if (!dtx_dtype_supported(h->dtype))
		return DTX_BIN_DTYPE;
	if (len - 4 < (size_t) 4 * h->ndim)
		return DTX_BIN_TRUNCATED;
	for (int k = 0; k < h->ndim; k++)
	{
		int32_t		d = (int32_t) get32(buf + 4 + 4 * k);

		if (d < 0)
			return DTX_BIN_NEGDIM;
		h->dims[k] = d;
		if (d == 0)
			zero = 1;
	}
	/* a zero dim makes the rest irrelevant; else multiply with overflow checks */
	if (zero)
		numel = 0;
	else
		for (int k = 0; k < h->ndim; k++)
			if (__builtin_mul_overflow(numel, (uint64_t) h->dims[k], &numel))
				return DTX_BIN_TOO_LARGE;
	if (__builtin_mul_overflow(numel, (uint64_t) dtx_elem_size(h->dtype), &bytes) ||
		bytes > max_bytes)
		return DTX_BIN_TOO_LARGE;
	h->numel = (int64_t) numel;
	h->data_offset = 4 + (size_t) 4 * h->ndim;
	h->data_bytes = (size_t) bytes;
	if (len - h->data_offset < h->data_bytes)
		return DTX_BIN_TRUNCATED;
	return DTX_BIN_OK;
}

/* byte order swaps; a no-op would be wrong on big-endian hosts, so swap by value */
void
dtx_bin_decode_data(const unsigned char *src, int dtype, int64_t numel, void *dst)
{
	size_t		es = dtx_elem_size(dtype);
	unsigned char *d = dst;

	for (int64_t i = 0; i < numel; i++, src += es, d += es)
	{
		uint64_t	v = 0;

		for (size_t b = 0; b < es; b++)
			v = (v << 8) | src[b];
		if (es == 4)
		{
			uint32_t	v32 = (uint32_t) v;

			memcpy(d, &v32, 4);
		}
		else
			memcpy(d, &v, 8);
	}
}

void
dtx_bin_encode_data(const void *src, int dtype, int64_t numel, unsigned char *dst)
{
	size_t		es = dtx_elem_size(dtype);
	const unsigned char *s = src;

	for (int64_t i = 0; i < numel; i++, s += es, dst += es)
	{
		uint64_t	v;

		if (es == 4)
		{
			uint32_t	v32;

			memcpy(&v32, s, 4);
			v = v32;
		}
		else
			memcpy(&v, s, 8);
		for (size_t b = 0; b < es; b++)
			dst[es - 1 - b] = (unsigned char) (v >> (8 * b));
	}
}
