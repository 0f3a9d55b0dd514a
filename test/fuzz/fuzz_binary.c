/*
 * fuzz_binary.c: libFuzzer target for the binary (recv) decoder.  The
 * header decoder must reject anything inconsistent; what it accepts must
 * decode within the message and the buffer it sized.
 */
#include <stdlib.h>
#include <string.h>

#include "binary.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
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
	return 0;
}
