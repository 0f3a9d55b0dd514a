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
	 * dotext writes a dtype code below DTX_DTYPE_CODES (those this version
	 * stores and those reserved) and zero flags: anything else is another
	 * program's bytes (a float array sent as binary, say), which deserves
	 * another message than a tensor with a bad size.
	 */
	if (h->dtype <= DTX_INVALID || h->dtype >= DTX_DTYPE_CODES || h->flags != 0)
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

/*
 * One element from network byte order into host order, or back (the same
 * reversal): by value, so that the code is right on either host order.
 * Element widths (2, 4 or 8 bytes) come from the descriptor.
 */
static inline void
swap_elem(const unsigned char *src, unsigned char *dst, size_t es, int to_host)
{
	uint64_t	v = 0;

	if (to_host)
	{
		for (size_t b = 0; b < es; b++)
			v = (v << 8) | src[b];
		switch (es)
		{
			case 2:
				{
					uint16_t	v16 = (uint16_t) v;

					memcpy(dst, &v16, 2);
				}
				break;
			case 4:
				{
					uint32_t	v32 = (uint32_t) v;

					memcpy(dst, &v32, 4);
				}
				break;
			case 8:
				memcpy(dst, &v, 8);
				break;
		}
		return;
	}
	switch (es)
	{
		case 2:
			{
				uint16_t	v16;

				memcpy(&v16, src, 2);
				v = v16;
			}
			break;
		case 4:
			{
				uint32_t	v32;

				memcpy(&v32, src, 4);
				v = v32;
			}
			break;
		case 8:
			memcpy(&v, src, 8);
			break;
	}
	for (size_t b = 0; b < es; b++)
		dst[es - 1 - b] = (unsigned char) (v >> (8 * b));
}

void
dtx_bin_decode_data(const unsigned char *src, int dtype, int64_t numel, void *dst)
{
	size_t		es = dtx_elem_size(dtype);
	unsigned char *d = dst;

	for (int64_t i = 0; i < numel; i++, src += es, d += es)
		swap_elem(src, d, es, 1);
}

void
dtx_bin_encode_data(const void *src, int dtype, int64_t numel, unsigned char *dst)
{
	size_t		es = dtx_elem_size(dtype);
	const unsigned char *s = src;

	for (int64_t i = 0; i < numel; i++, s += es, dst += es)
		swap_elem(s, dst, es, 0);
}
