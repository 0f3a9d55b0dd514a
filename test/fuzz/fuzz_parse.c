/*
 * fuzz_parse.c: libFuzzer target for the tensor text parser.  Any input
 * must give a clean status; a literal that scans must fill into every
 * dtype (every descriptor row, 2-byte halves included) without touching
 * memory beyond numel elements, and the one-pass
 * dtx_parse() must give the same status, shape and bytes.  Each input is also
 * read as a recipe for an empty tensor's shape tag, "dtype(d0,...,dk):[]",
 * of rank 0 to 17 with dims drawn from 0, 1, 2^31-1 and arbitrary values,
 * so that huge dims with zeros among them are always exercised.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void
tick(void)
{
}

static void
parse_one(const char *s, size_t size)
{
	DtxParseInfo info;
	DtxParseError err;

	if (dtx_parse_scan(s, &info, &err, tick) == DTX_PARSE_OK)
	{
		int64_t		n = 1;

		if (info.ndim < 0 || info.ndim > DTX_MAX_NDIM || !dtx_dtype_supported(info.dtype))
			abort();
		for (int k = 0; k < info.ndim; k++)
		{
			if (info.dims[k] < 0 || info.dims[k] > INT32_MAX)
				abort();
			n = info.dims[k] == 0 ? 0 : n * (n <= INT32_MAX ? info.dims[k] : 1);
		}
		if (n != info.numel && !(info.numel == 0 && n == 0))
			abort();
		if (info.numel <= (1 << 20))
		{
			for (int k = 0; dtx_dtypes[k]; k++)
			{
				int			dtype = dtx_dtypes[k]->code;
				/* exact allocation: ASan catches any write past numel */
				void	   *buf = malloc((size_t) info.numel * dtx_elem_size(dtype) + 1);
				int64_t		cap = dtx_parse_capacity(s);
				void	   *one = malloc((size_t) cap * dtx_elem_size(dtype));
				DtxParseInfo info1;
				DtxParseCode c2 = dtx_parse_fill(s, &info, dtype, buf, &err, tick);
				DtxParseCode c1 = dtx_parse(s, dtype, one, cap, &info1, &err, tick);

				/* the one-pass parser agrees with scan + fill */
				if (cap < info.numel || c1 != c2 || info1.numel != info.numel ||
					info1.ndim != info.ndim || info1.dtype != info.dtype ||
					(c1 == DTX_PARSE_OK &&
					 memcmp(buf, one, (size_t) info.numel * dtx_elem_size(dtype)) != 0))
					abort();
				free(one);
				free(buf);
			}
		}
	}
	else if (err.pos < 0 || (size_t) err.pos > size + 1)
		abort();
}

/* "float64(2147483647,0,...):[]" from the input's bytes */
static void
parse_shape_recipe(const unsigned char *data, size_t size)
{
	static const char *names[] = {"float32", "float64", "int32", "int64", "float16", "bfloat16", "half"};
	char		s[16 * 12 + 64];
	int			p,
				rank;

	if (size < 2)
		return;
	rank = data[0] % 18;
	p = sprintf(s, "%s(", names[data[1] % 7]);
	for (int k = 0; k < rank; k++)
	{
		unsigned char b = 2 + k < size ? data[2 + k] : 0;
		long		d = b % 4 == 0 ? 0 : b % 4 == 1 ? 1 : b % 4 == 2 ? 2147483647L : (long) b * 8388607L;

		p += sprintf(s + p, k ? ",%ld" : "%ld", d);
	}
	sprintf(s + p, "):[]");
	parse_one(s, strlen(s));
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char	   *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';				/* the server hands the parser a C string */
	parse_one(s, size);
	free(s);
	parse_shape_recipe(data, size);
	return 0;
}
