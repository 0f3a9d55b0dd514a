/*
 * fuzz_parse.c: libFuzzer target for the tensor text parser.  Any input
 * must give a clean status; a literal that scans must fill into every
 * dtype without touching memory beyond numel elements.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char	   *s = malloc(size + 1);
	DtxParseInfo info;
	DtxParseError err;

	memcpy(s, data, size);
	s[size] = '\0';				/* the server hands the parser a C string */
	if (dtx_parse_scan(s, &info, &err) == DTX_PARSE_OK)
	{
		int64_t		n = 1;

		if (info.ndim < 0 || info.ndim > DTX_MAX_NDIM || !dtx_dtype_supported(info.dtype))
			abort();
		for (int k = 0; k < info.ndim; k++)
			n *= info.dims[k];
		if (n != info.numel)
			abort();
		if (info.numel <= (1 << 20))
		{
			for (int dtype = DTX_FLOAT32; dtype <= DTX_INT64; dtype++)
			{
				/* exact allocation: ASan catches any write past numel */
				void	   *buf = malloc((size_t) info.numel * dtx_elem_size(dtype) + 1);
				double	   *exact = dtype == DTX_FLOAT32 ? malloc((size_t) info.numel * 8 + 1) : NULL;
				int			needed;

				dtx_parse_fill(s, &info, dtype, buf, exact, &needed, &err);
				free(buf);
				free(exact);
			}
		}
	}
	else if (err.pos < 0 || (size_t) err.pos > size + 1)
		abort();
	free(s);
	return 0;
}
