/*
 * dtype.c: dtype names and sizes.
 */
#include "dtype.h"

#include <string.h>
#include <strings.h>

size_t
dtx_elem_size(int dtype)
{
	switch (dtype)
	{
		case DTX_FLOAT32:
		case DTX_INT32:
			return 4;
		case DTX_FLOAT64:
		case DTX_INT64:
			return 8;
		case DTX_FLOAT16:
		case DTX_BFLOAT16:
			return 2;
		case DTX_INT8:
			return 1;
		default:
			return 0;
	}
}

const char *
dtx_dtype_name(int dtype)
{
	switch (dtype)
	{
		case DTX_FLOAT32:
			return "float32";
		case DTX_FLOAT64:
			return "float64";
		case DTX_INT32:
			return "int32";
		case DTX_INT64:
			return "int64";
		case DTX_FLOAT16:
			return "float16";
		case DTX_BFLOAT16:
			return "bfloat16";
		case DTX_INT8:
			return "int8";
		default:
			return NULL;
	}
}

/*
 * Names accepted in a type modifier and a literal's dtype tag: PyTorch's
 * names first, then PostgreSQL's spellings of the same types.  "int8" is
 * PostgreSQL's 8-byte integer, so it maps to int64 as users of PostgreSQL
 * expect; PyTorch's 1-byte int8 will be spelled "char" or kept out.
 */
static const struct
{
	const char *name;
	int			dtype;
}			dtype_names[] =
{
	{"float32", DTX_FLOAT32},
	{"float64", DTX_FLOAT64},
	{"int32", DTX_INT32},
	{"int64", DTX_INT64},
	{"float", DTX_FLOAT32},
	{"float4", DTX_FLOAT32},
	{"real", DTX_FLOAT32},
	{"float8", DTX_FLOAT64},
	{"double", DTX_FLOAT64},
	{"int4", DTX_INT32},
	{"int", DTX_INT32},
	{"integer", DTX_INT32},
	{"int8", DTX_INT64},
	{"bigint", DTX_INT64},
	{"long", DTX_INT64},
};

int
dtx_dtype_from_name(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(dtype_names) / sizeof(dtype_names[0]); i++)
	{
		if (strlen(dtype_names[i].name) == len &&
			strncasecmp(dtype_names[i].name, name, len) == 0)
			return dtype_names[i].dtype;
	}
	return DTX_INVALID;
}
