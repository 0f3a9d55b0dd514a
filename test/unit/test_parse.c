/*
 * test_parse.c: unit tests of the tensor text parser (src/core/parse.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "tap.h"

/* scan + fill into the literal's own dtype; returns the status */
static DtxParseCode
parse(const char *s, DtxParseInfo *info, void *data, DtxParseError *err)
{
	DtxParseCode c = dtx_parse_scan(s, info, err, NULL);

	if (c != DTX_PARSE_OK)
		return c;
	return dtx_parse_fill(s, info, info->dtype, data, err, NULL);
}

static void
expect_code(const char *s, DtxParseCode want, const char *why)
{
	DtxParseInfo info;
	DtxParseError err;
	static char data[1 << 16];
	DtxParseCode c = parse(s, &info, data, &err);

	tap_ok(c == want, "%s: \"%s\" gives code %d (got %d)", why, s, want, c);
}

static void
test_shapes(void)
{
	DtxParseInfo info;
	DtxParseError err;
	union
	{
		int64_t		i64[64];
		int32_t		i32[128];
		float		f32[128];
		double		f64[64];
	}			d;				/* read as the parsed dtype, without type punning */

	tap_ok(parse("[[1,2,3],[4,5,6]]", &info, &d, &err) == DTX_PARSE_OK &&
		   info.ndim == 2 && info.dims[0] == 2 && info.dims[1] == 3 &&
		   info.dtype == DTX_INT64 && d.i64[5] == 6, "2x3 int64");
	tap_ok(parse("42", &info, &d, &err) == DTX_PARSE_OK && info.ndim == 0 &&
		   info.numel == 1 && d.i64[0] == 42, "bare number is rank 0");
	tap_ok(parse("[]", &info, &d, &err) == DTX_PARSE_OK && info.ndim == 1 &&
		   info.dims[0] == 0 && info.dtype == DTX_FLOAT32, "[] is float32 (0)");
	tap_ok(parse("[[],[]]", &info, &d, &err) == DTX_PARSE_OK && info.ndim == 2 &&
		   info.dims[0] == 2 && info.dims[1] == 0, "[[],[]] is (2,0)");
	tap_ok(parse(" \t\n[ [ 1 , 2 ] ,\r[ 3 ,4 ]\f]\v ", &info, &d, &err) == DTX_PARSE_OK &&
		   info.ndim == 2 && d.i64[3] == 4, "white space everywhere");
	tap_ok(parse("[1.5,2]", &info, &d, &err) == DTX_PARSE_OK &&
		   info.dtype == DTX_FLOAT32 && d.f32[0] == 1.5f &&
		   d.f32[1] == 2.0f, "a decimal point makes float32");
	tap_ok(parse("[1,2e0]", &info, &d, &err) == DTX_PARSE_OK &&
		   info.dtype == DTX_FLOAT32, "an exponent makes float32");
	tap_ok(parse("float64:[0.1,2]", &info, &d, &err) == DTX_PARSE_OK &&
		   info.dtype == DTX_FLOAT64 && d.f64[0] == 0.1, "float64 tag keeps double digits");
	tap_ok(parse(" int32 : [1,-2]", &info, &d, &err) == DTX_PARSE_OK &&
		   info.dtype == DTX_INT32 && d.i32[1] == -2, "int32 tag with spaces");
	tap_ok(parse("int64:[]", &info, &d, &err) == DTX_PARSE_OK &&
		   info.dtype == DTX_INT64 && info.numel == 0, "empty int64 via tag");
	tap_ok(parse("float:[1]", &info, &d, &err) == DTX_PARSE_OK &&
		   info.dtype == DTX_FLOAT32 && d.f32[0] == 1.0f, "alias tag float");
	tap_ok(parse("float32(0,5):[]", &info, &d, &err) == DTX_PARSE_OK && info.ndim == 2 &&
		   info.dims[0] == 0 && info.dims[1] == 5 && info.numel == 0, "shape prefix (0,5)");
	tap_ok(parse("int32 ( 2 , 0 , 3 ) : [[],[]]", &info, &d, &err) == DTX_PARSE_OK &&
		   info.ndim == 3 && info.dims[2] == 3 && info.dtype == DTX_INT32, "shape prefix (2,0,3)");
	tap_ok(parse("[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]", &info, &d, &err) == DTX_PARSE_OK &&
		   info.ndim == 16, "rank 16 is allowed");
}

static void
test_errors(void)
{
	expect_code("[1,2,]", DTX_PARSE_SYNTAX, "trailing comma");
	expect_code("[1 2]", DTX_PARSE_SYNTAX, "missing comma");
	expect_code("{1,2}", DTX_PARSE_SYNTAX, "braces");
	expect_code("(1,2)", DTX_PARSE_SYNTAX, "parentheses");
	expect_code("[0x10]", DTX_PARSE_SYNTAX, "hex");
	expect_code("[1,[2]]", DTX_PARSE_SYNTAX, "number and array at one level");
	expect_code("[[1],2]", DTX_PARSE_SYNTAX, "array then number");
	expect_code("[[1,2],[3]]", DTX_PARSE_RAGGED, "ragged");
	expect_code("[[1],[]]", DTX_PARSE_RAGGED, "ragged with empty");
	expect_code("[[[]],[]]", DTX_PARSE_RAGGED, "empty at two depths");
	expect_code("[1,2]x", DTX_PARSE_SYNTAX, "trailing garbage");
	expect_code("[1,2]]", DTX_PARSE_SYNTAX, "extra bracket");
	expect_code("[1,2", DTX_PARSE_SYNTAX, "unterminated");
	expect_code("", DTX_PARSE_SYNTAX, "empty string");
	expect_code("   ", DTX_PARSE_SYNTAX, "only spaces");
	expect_code("[,]", DTX_PARSE_SYNTAX, "lone comma");
	expect_code("[.]", DTX_PARSE_SYNTAX, "lone point");
	expect_code("[1e]", DTX_PARSE_SYNTAX, "exponent without digits");
	expect_code("[--1]", DTX_PARSE_SYNTAX, "double sign");
	expect_code("[nan(1)]", DTX_PARSE_SYNTAX, "nan payload");
	expect_code("[infinit]", DTX_PARSE_SYNTAX, "misspelt infinity");
	expect_code("1 2", DTX_PARSE_SYNTAX, "two scalars");
	expect_code("bogus:[1]", DTX_PARSE_BAD_DTYPE, "unknown tag");
	expect_code("float32(0,5):[1]", DTX_PARSE_SHAPE, "shape prefix with elements");
	expect_code("float32(1,5):[]", DTX_PARSE_SHAPE, "shape prefix of a non-empty tensor");
	expect_code("float32(0):5", DTX_PARSE_SHAPE, "shape prefix on a scalar");
	expect_code("float32(0,5)[]", DTX_PARSE_SYNTAX, "shape prefix without colon");
	expect_code("float32(0,x):[]", DTX_PARSE_SYNTAX, "bad shape prefix");
	expect_code("float32(-1):[]", DTX_PARSE_SYNTAX, "negative shape prefix");
	expect_code("float32(0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1):[]", DTX_PARSE_TOO_DEEP, "shape prefix rank 17");
	expect_code("bfloat16:[1]", DTX_PARSE_OK, "bfloat16, once planned, is a dtype");
	expect_code("[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]", DTX_PARSE_TOO_DEEP, "rank 17");
	expect_code("[1e39]", DTX_PARSE_RANGE, "1e39 into float32");
	expect_code("[-1e39]", DTX_PARSE_RANGE, "-1e39 into float32");
	expect_code("[9223372036854775808]", DTX_PARSE_RANGE, "2^63 into int64");
	expect_code("[-9223372036854775809]", DTX_PARSE_RANGE, "-2^63-1 into int64");
	expect_code("int32:[2147483648]", DTX_PARSE_RANGE, "2^31 into int32");
	expect_code("float64:[1e309]", DTX_PARSE_RANGE, "1e309 into float64");

	{
		DtxParseInfo info;
		DtxParseError err;

		dtx_parse_scan("[1, 2 3]", &info, &err, NULL);
		tap_ok(err.pos == 7 && err.ch == '3', "error position is 1-based (got %lld '%c')",
			   (long long) err.pos, err.ch);
		dtx_parse_scan("[[1,2],[3]]", &info, &err, NULL);
		tap_ok(err.depth == 2 && err.len1 == 2 && err.len2 == 1, "ragged detail");
	}
}

static void
test_numbers(void)
{
	DtxParseInfo info;
	DtxParseError err;
	float		f[8];
	double		dd[8];
	int64_t		i64[8];
	char		longnum[1200];

	tap_ok(parse("[-0.0]", &info, f, &err) == DTX_PARSE_OK && f[0] == 0 && signbit(f[0]),
		   "-0.0 keeps its sign");
	tap_ok(parse("[-0]", &info, i64, &err) == DTX_PARSE_OK && i64[0] == 0 &&
		   info.dtype == DTX_INT64, "-0 integer is 0");
	tap_ok(parse("[1e-45]", &info, f, &err) == DTX_PARSE_OK && f[0] == 0x1p-149f,
		   "1e-45 rounds to the smallest float32 denormal");
	tap_ok(parse("[1e-50]", &info, f, &err) == DTX_PARSE_OK && f[0] == 0,
		   "1e-50 underflows to zero in float32");
	tap_ok(parse("[1.17549435e-38,1e-40]", &info, f, &err) == DTX_PARSE_OK &&
		   f[0] == 1.17549435e-38f && f[1] > 0 && fpclassify(f[1]) == FP_SUBNORMAL,
		   "normal min and denormal float32");
	tap_ok(parse("[3.4028235e38]", &info, f, &err) == DTX_PARSE_OK && f[0] == 3.4028235e38f,
		   "float32 max");
	tap_ok(parse("[inf,-Infinity,NaN,+inf]", &info, f, &err) == DTX_PARSE_OK &&
		   isinf(f[0]) && f[0] > 0 && isinf(f[1]) && f[1] < 0 && isnan(f[2]) && isinf(f[3]),
		   "inf, -Infinity, NaN");
	tap_ok(parse("nan", &info, f, &err) == DTX_PARSE_OK && info.ndim == 0 && isnan(f[0]),
		   "bare nan is rank-0 float32");
	tap_ok(parse("[9223372036854775807,-9223372036854775808]", &info, i64, &err) == DTX_PARSE_OK &&
		   i64[0] == INT64_MAX && i64[1] == INT64_MIN, "int64 extremes");
	tap_ok(parse("[.5,1.,+2]", &info, f, &err) == DTX_PARSE_OK &&
		   f[0] == 0.5f && f[1] == 1.0f && f[2] == 2.0f, ".5, 1. and +2");

	/* a 1000-digit number: strtod rounds it correctly */
	strcpy(longnum, "float64:[0.");
	for (int i = 0; i < 1000; i++)
		strcat(longnum, "3");
	strcat(longnum, "]");
	tap_ok(parse(longnum, &info, dd, &err) == DTX_PARSE_OK && dd[0] == 1.0 / 3.0,
		   "1000-digit number reads as the nearest double");
	memset(longnum, 0, sizeof(longnum));
	strcpy(longnum, "[1");
	for (int i = 0; i < 400; i++)
		strcat(longnum, "0");
	strcat(longnum, "]");
	expect_code(longnum, DTX_PARSE_RANGE, "401-digit integer into int64");
}

/* fill into a dtype other than the literal's (a type modifier) */
static int
fill_as(const char *lit, int dtype, void *data)
{
	DtxParseInfo info;
	DtxParseError err;

	if (dtx_parse_scan(lit, &info, &err, NULL) != DTX_PARSE_OK)
		return -1;
	return dtx_parse_fill(lit, &info, dtype, data, &err, NULL);
}

static void
test_targets(void)
{
	float		f[4];
	double		d[4];
	int64_t		i[2];
	int32_t		j[2];

	tap_ok(fill_as("[0.1,16777217]", DTX_FLOAT64, d) == DTX_PARSE_OK && d[0] == 0.1 &&
		   d[1] == 16777217.0, "digits straight into float64");
	tap_ok(fill_as("[16777217]", DTX_FLOAT32, f) == DTX_PARSE_OK && f[0] == 16777216.0f,
		   "an integer token into float32 rounds once");
	tap_ok(fill_as("[1.9,-1.9]", DTX_INT64, i) == DTX_PARSE_OK && i[0] == 1 && i[1] == -1,
		   "float to int64 truncates toward zero");
	tap_ok(fill_as("[1.9,-1.9]", DTX_INT32, j) == DTX_PARSE_OK && j[0] == 1 && j[1] == -1,
		   "float to int32 truncates toward zero");
	tap_ok(fill_as("[nan]", DTX_INT64, i) == DTX_PARSE_RANGE, "nan to int64 is out of range");
	tap_ok(fill_as("[9.3e18]", DTX_INT64, i) == DTX_PARSE_RANGE, "9.3e18 to int64 is out of range");
	tap_ok(fill_as("[99999999999999999999]", DTX_INT64, i) == DTX_PARSE_RANGE,
		   "2e20 integer to int64 is out of range");
	tap_ok(fill_as("[1e300]", DTX_FLOAT32, f) == DTX_PARSE_RANGE &&
		   fill_as("[1e300]", DTX_FLOAT64, d) == DTX_PARSE_OK && d[0] == 1e300,
		   "1e300: out of float32's range, in float64's");
}

/* integers too wide for int64 inside a float tensor are floats, not errors */
static void
test_wide_integers(void)
{
	DtxParseInfo info;
	DtxParseError err;
	float		f[4];
	double		d[4];

	tap_ok(parse("[1.5,99999999999999999999]", &info, f, &err) == DTX_PARSE_OK &&
		   info.dtype == DTX_FLOAT32 && f[1] == 1e20f, "[1.5,99999999999999999999] is float32");
	tap_ok(parse("float64:[99999999999999999999]", &info, d, &err) == DTX_PARSE_OK &&
		   d[0] == 99999999999999999999.0, "float64:[99999999999999999999] is a value");
	tap_ok(parse("[-99999999999999999999, 0.5]", &info, f, &err) == DTX_PARSE_OK &&
		   f[0] == -1e20f, "negative wide integer in a float tensor");
	expect_code("[99999999999999999999]", DTX_PARSE_RANGE, "an all-integer literal is int64");
}

/* an empty tensor's shape written in the tag, with "[]" or with its brackets */
static void
test_empty_shapes(void)
{
	DtxParseInfo info;
	DtxParseError err;
	int64_t		d[1];

	tap_ok(parse("float64(1518500250,0):[]", &info, d, &err) == DTX_PARSE_OK &&
		   info.ndim == 2 && info.dims[0] == 1518500250 && info.dims[1] == 0 && info.numel == 0,
		   "float64(1518500250,0):[]");
	tap_ok(parse("int64(3,0,2):[[],[],[]]", &info, d, &err) == DTX_PARSE_OK &&
		   info.ndim == 3 && info.dims[2] == 2, "shape with its brackets");
	tap_ok(parse("int32(2147483647,0,2147483647):[]", &info, d, &err) == DTX_PARSE_OK &&
		   info.ndim == 3 && info.numel == 0, "dims up to 2^31-1 with a zero");
	expect_code("float32(2,0):[[]]", DTX_PARSE_SHAPE, "brackets that disagree with the shape");
	expect_code("float32(2147483648,0):[]", DTX_PARSE_SYNTAX, "a dim beyond int32");
}

static int	ticks;
static void
count_tick(void)
{
	ticks++;
}

/* the tick comes at least once a megabyte, even inside one long token */
static void
test_ticks(void)
{
	DtxParseInfo info;
	DtxParseError err;
	size_t		n = 8 << 20;
	char	   *s = malloc(n + 8);

	memset(s, ' ', n);
	strcpy(s + n, "[1]");
	ticks = 0;
	dtx_parse_scan(s, &info, &err, count_tick);
	tap_ok(ticks >= 8, "8 MB of spaces: %d ticks", ticks);
	s[0] = '[';
	memset(s + 1, '7', n);
	strcpy(s + n, "]");
	ticks = 0;
	tap_ok(dtx_parse_scan(s, &info, &err, count_tick) == DTX_PARSE_OK && ticks >= 7,
		   "an 8 MB number: %d ticks", ticks);
	free(s);
}

/* deep nesting and a long flat literal, without recursion */
static void
test_big(void)
{
	DtxParseInfo info;
	DtxParseError err;
	size_t		n = 100000;
	char	   *s = malloc(n * 2 + 8);
	char	   *deep = malloc(2000001);
	size_t		p = 0;

	s[p++] = '[';
	for (size_t i = 0; i < n; i++)
	{
		s[p++] = '7';
		s[p++] = i + 1 < n ? ',' : ']';
	}
	s[p] = 0;
	tap_ok(dtx_parse_scan(s, &info, &err, NULL) == DTX_PARSE_OK && info.numel == (int64_t) n,
		   "100000 elements");
	memset(deep, '[', 1000000);
	memset(deep + 1000000, ']', 1000000);
	deep[2000000] = 0;
	tap_ok(dtx_parse_scan(deep, &info, &err, NULL) == DTX_PARSE_TOO_DEEP && err.pos == 17,
		   "a million open brackets stop at depth 17");
	free(s);
	free(deep);
}

int
main(void)
{
	test_shapes();
	test_errors();
	test_numbers();
	test_targets();
	test_wide_integers();
	test_empty_shapes();
	test_ticks();
	test_big();
	return tap_done();
}
