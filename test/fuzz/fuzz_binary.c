/*
 * fuzz_binary.c: libFuzzer target for the binary (recv) decoder.  The
 * header decoder must reject anything inconsistent; what it accepts must
 * decode within the message and the buffer it sized.  Each input is also
 * read as a recipe for a header of rank 0 to 17 whose dims are drawn from
 * 0, 1, 2^31-1 and arbitrary values, followed by the input's bytes as data,
 * so that huge dims with zeros among them are always exercised.
 */
#include <stdlib.h>
#include <string.h>

#include "binary.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void
decode_one(const unsigned char *data, size_t size)
{
	DtxBinHeader h;
	/* an exact copy, so ASan sees reads past the message */
	unsigned char *msg = malloc(size ? size : 1);

	memcpy(msg, data, size);
	if (dtx_bin_decode_header(msg, size, (size_t) 1 << 26, &h) == DTX_BIN_OK)
	{
		void	   *out;

		if (h.data_offset + h.data_bytes > size ||
			(uint64_t) h.numel * dtx_elem_size(h.dtype) != h.data_bytes)
			abort();
		out = malloc(h.data_bytes ? h.data_bytes : 1);
		dtx_bin_decode_data(msg + h.data_offset, h.dtype, h.numel, out);
		dtx_bin_encode_data(out, h.dtype, h.numel, msg + h.data_offset);
		/* decode then encode gives the message back */
		if (memcmp(msg + h.data_offset, data + h.data_offset, h.data_bytes) != 0)
			abort();
		free(out);
	}
	free(msg);
}

static void
decode_recipe(const unsigned char *data, size_t size)
{
	unsigned char *msg;
	int			rank;
	size_t		hdr,
				len;

	if (size < 2)
		return;
	rank = data[0] % 18;
	hdr = 4 + 4 * (size_t) rank;
	len = hdr + size;
	msg = malloc(len);
	msg[0] = (unsigned char) rank;
	/* every code a dotext may write, the half dtypes' 2-byte elements and the reserved 7 included */
	msg[1] = (unsigned char) (1 + data[1] % (DTX_DTYPE_CODES - 1));
	msg[2] = msg[3] = 0;
	for (int k = 0; k < rank; k++)
	{
		unsigned char b = 2 + (size_t) k < size ? data[2 + k] : 0;
		uint32_t	d = b % 4 == 0 ? 0 : b % 4 == 1 ? 1 : b % 4 == 2 ? 2147483647u : (uint32_t) b * 8388607u;

		msg[hdr - 4 * (rank - k)] = (unsigned char) (d >> 24);
		msg[hdr - 4 * (rank - k) + 1] = (unsigned char) (d >> 16);
		msg[hdr - 4 * (rank - k) + 2] = (unsigned char) (d >> 8);
		msg[hdr - 4 * (rank - k) + 3] = (unsigned char) d;
	}
	memcpy(msg + hdr, data, size);
	decode_one(msg, len);
	free(msg);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	decode_one(data, size);
	decode_recipe(data, size);
	return 0;
}
