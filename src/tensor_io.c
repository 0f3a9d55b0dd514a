/*
 * tensor_io.c: text and binary input/output, the dtype type modifier and
 * the length-coercion cast that applies it.
 *
 * Text output: nested brackets, numbers in their shortest exact form.  The
 * dtype is written as a "dtype:" prefix whenever reading the text back
 * would not infer it: float64 and int32 always, int64 when it holds no
 * element.  float32 numbers always carry a decimal point or an exponent
 * ("1.0", "1e+20"), so untagged float text re-reads as float32, and int64
 * text is plain integers, as pgvector users write them.  An empty tensor
 * whose brackets cannot show its shape carries it in the prefix:
 * "float32(0,5):[]".
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "binary.h"
#include "kernels.h"
#include "parse.h"
#include "tensor.h"

PG_FUNCTION_INFO_V1(tensor_in);
PG_FUNCTION_INFO_V1(tensor_out);
PG_FUNCTION_INFO_V1(tensor_recv);
PG_FUNCTION_INFO_V1(tensor_send);
PG_FUNCTION_INFO_V1(tensor_typmod_in);
PG_FUNCTION_INFO_V1(tensor_typmod_out);
PG_FUNCTION_INFO_V1(tensor_coerce);

/* the literal as quoted in a message: long ones are cut */
static char *
QuoteLiteral(const char *s)
{
	size_t		len = strlen(s);

	if (len <= 80)
		return pstrdup(s);
	return psprintf("%.*s...", pg_mbcliplen(s, len, 72), s);
}

static void
ReportParseError(const char *s, const DtxParseError *err)
{
	switch (err->code)
	{
		case DTX_PARSE_TOO_DEEP:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("tensor rank exceeds the maximum of %d", TENSOR_MAX_NDIM),
					 errdetail("Nesting deeper than %d levels at position %lld.",
							   TENSOR_MAX_NDIM, (long long) err->pos)));
			break;
		case DTX_PARSE_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("\"%.*s\" is out of range for type tensor",
							(int) Min(err->tok_len, 80), s + err->tok_start)));
			break;
		case DTX_PARSE_BAD_DTYPE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type tensor: \"%s\"", QuoteLiteral(s)),
					 errdetail("Unknown dtype \"%.*s\".",
							   (int) Min(err->tok_len, 64), s + err->tok_start),
					 errhint("Known dtypes are float32, float64, int32 and int64.")));
			break;
		case DTX_PARSE_SHAPE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type tensor: \"%s\"", QuoteLiteral(s)),
					 errdetail("The shape written before the colon does not match the value."),
					 errhint("A shape is written only for an empty tensor, as in \"float32(0,5):[]\".")));
			break;
		case DTX_PARSE_RAGGED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type tensor: \"%s\"", QuoteLiteral(s)),
					 errdetail("Sub-arrays at depth %d have lengths %lld and %lld (position %lld).",
							   err->depth, (long long) err->len1,
							   (long long) err->len2, (long long) err->pos),
					 errhint("A tensor's sub-arrays at one depth must all have the same length.")));
			break;
		default:
			if (err->ch == '\0')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type tensor: \"%s\"", QuoteLiteral(s)),
						 errdetail("Unexpected end of input.")));
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type tensor: \"%s\"", QuoteLiteral(s)),
					 errdetail("Unexpected \"%c\" character at position %lld.",
							   err->ch, (long long) err->pos)));
	}
}

/*
 * Parse a literal.  target is the dtype of the type modifier, or
 * DTX_INVALID when the caller passed none: then an untagged literal gets its
 * inferred dtype, and a float32 one keeps its exact digits if float32 loses
 * some (see tensor.h).
 */
static Tensor *
TensorParse(const char *s, int target)
{
	DtxParseInfo info;
	DtxParseError err;
	Tensor	   *t;
	int			dtype;
	bool		keep_exact;
	int			exact_needed = 0;

	if (dtx_parse_scan(s, &info, &err) != DTX_PARSE_OK)
		ReportParseError(s, &err);

	/* with a modifier and no tag, read the digits straight into the target */
	dtype = (target != DTX_INVALID && info.tag_dtype == DTX_INVALID) ? target : info.dtype;
	keep_exact = target == DTX_INVALID && info.tag_dtype == DTX_INVALID &&
		dtype == DTX_FLOAT32 && info.numel > 0;

	t = InitTensor(dtype, info.ndim, info.dims);
	if (dtx_parse_fill(s, &info, dtype, TensorData(t), NULL,
					   keep_exact ? &exact_needed : NULL, &err) != DTX_PARSE_OK)
		ReportParseError(s, &err);
	if (exact_needed)
	{
		/*
		 * Rare: digits float32 cannot hold.  Read again into a tensor with
		 * the trailer, so the common case never allocates it.
		 */
		pfree(t);
		t = InitTensorExact(dtype, info.ndim, info.dims, true);
		if (dtx_parse_fill(s, &info, dtype, TensorData(t), TensorExact(t), NULL,
						   &err) != DTX_PARSE_OK)
			ReportParseError(s, &err);
	}
	if (target != DTX_INVALID && dtype != target)
		t = TensorConvert(t, target);
	return t;
}

Datum
tensor_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	int32		typmod = PG_GETARG_INT32(2);

	PG_RETURN_TENSOR_P(TensorParse(s, DtypeFromTypmod(typmod)));
}

/* longest text of one element, separator included */
static int
ElemTextMax(int dtype)
{
	switch (dtype)
	{
		case DTX_FLOAT32:
			return FLOAT_SHORTEST_DECIMAL_LEN + 3;
		case DTX_FLOAT64:
			return DOUBLE_SHORTEST_DECIMAL_LEN + 3;
		case DTX_INT32:
			return 12;
		default:
			return MAXINT8LEN + 1;
	}
}

/* float text that re-reads as a float: "1" becomes "1.0" */
static int
AddPointIfIntegral(char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i] == '.' || p[i] == 'e' || p[i] == 'N' || p[i] == 'I')
			return n;
	p[n++] = '.';
	p[n++] = '0';
	return n;
}

static char *
WriteElem(char *p, const Tensor *t, int64 i)
{
	const void *data = TensorData(t);

	switch (t->dtype)
	{
		case DTX_FLOAT32:
			return p + AddPointIfIntegral(p, float_to_shortest_decimal_bufn(((const float *) data)[i], p));
		case DTX_FLOAT64:
			return p + AddPointIfIntegral(p, double_to_shortest_decimal_bufn(((const double *) data)[i], p));
		case DTX_INT32:
			return p + pg_ltoa(((const int32 *) data)[i], p);
		default:
			return p + pg_lltoa(((const int64 *) data)[i], p);
	}
}

static char *
WriteLevel(char *p, const Tensor *t, int level, int64 *elem)
{
	if (level == t->ndim)
		return WriteElem(p, t, (*elem)++);
	if (level == t->ndim - 1)
		CHECK_FOR_INTERRUPTS();
	*p++ = '[';
	for (int32 i = 0; i < t->dims[level]; i++)
	{
		if (i > 0)
			*p++ = ',';
		p = WriteLevel(p, t, level + 1, elem);
	}
	*p++ = ']';
	return p;
}

/* brackets show the dims up to the first zero one: (0,5) prints as "[]" */
static bool
NeedsShape(const Tensor *t)
{
	for (int k = 0; k < t->ndim - 1; k++)
		if (t->dims[k] == 0)
			return true;
	return false;
}

static bool
NeedsTag(const Tensor *t)
{
	switch (t->dtype)
	{
		case DTX_FLOAT32:
			return false;
		case DTX_INT64:
			return TensorNumel(t) == 0;
		default:
			return true;
	}
}

Datum
tensor_out(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	uint64		brackets = 0,
				outer = 1,
				size;
	int64		elem = 0;
	char	   *buf,
			   *p;

	/* every sub-array costs "[", "]" and a comma */
	for (int k = 0; k < t->ndim; k++)
	{
		brackets += 3 * outer;
		outer *= (uint64) t->dims[k];
	}
	size = (uint64) TensorNumel(t) * ElemTextMax(t->dtype) + brackets + 16 +
		TENSOR_MAX_NDIM * 12;
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tensor text would exceed %zu bytes", (size_t) MaxAllocSize)));
	p = buf = palloc(size);
	if (NeedsShape(t))
	{
		p += sprintf(p, "%s(", TensorDtypeName(t->dtype));
		for (int k = 0; k < t->ndim; k++)
			p += sprintf(p, k ? ",%d" : "%d", t->dims[k]);
		p += sprintf(p, "):");
	}
	else if (NeedsTag(t))
		p += sprintf(p, "%s:", TensorDtypeName(t->dtype));
	p = WriteLevel(p, t, 0, &elem);
	*p = '\0';
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary form (src/core/binary.h): uint8 ndim, uint8 dtype, uint16 flags
 * (zero), int32 dims, then the elements in network byte order.  The
 * exact-digits trailer is text-input state and never travels.  The
 * decoder checks everything the text path checks; NaN and inf are valid
 * floats in both.
 */
Datum
tensor_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		typmod = PG_GETARG_INT32(2);
	DtxBinHeader h;
	Tensor	   *t;

	switch (dtx_bin_decode_header((const unsigned char *) buf->data + buf->cursor,
								  buf->len - buf->cursor, MaxAllocSize, &h))
	{
		case DTX_BIN_OK:
			break;
		case DTX_BIN_RANK:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("tensor rank %d exceeds the maximum of %d", h.ndim, TENSOR_MAX_NDIM)));
			break;
		case DTX_BIN_TOO_LARGE:
			TensorReportTooLarge();
			break;
		case DTX_BIN_DTYPE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid dtype code %d in tensor binary data", h.dtype)));
			break;
		case DTX_BIN_FLAGS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("reserved flags 0x%04x are set in tensor binary data", h.flags)));
			break;
		case DTX_BIN_NEGDIM:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("negative dimension in tensor binary data")));
			break;
		case DTX_BIN_TRUNCATED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("tensor binary data is truncated"),
					 errdetail("%d bytes remain in the message.", buf->len - buf->cursor)));
			break;
	}
	/* sizes were checked (54000) before anything is allocated */
	t = InitTensor(h.dtype, h.ndim, h.dims);
	dtx_bin_decode_data((const unsigned char *) buf->data + buf->cursor + h.data_offset,
						h.dtype, h.numel, TensorData(t));
	buf->cursor += h.data_offset + h.data_bytes;
	if (typmod >= 0)
		t = TensorConvert(t, DtypeFromTypmod(typmod));
	PG_RETURN_TENSOR_P(t);
}

Datum
tensor_send(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	int64		numel = TensorNumel(t);
	size_t		nbytes = numel * TensorElemSize(t);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, t->ndim);
	pq_sendbyte(&buf, t->dtype);
	pq_sendint16(&buf, 0);
	for (int k = 0; k < t->ndim; k++)
		pq_sendint32(&buf, t->dims[k]);
	enlargeStringInfo(&buf, nbytes);
	dtx_bin_encode_data(TensorData(t), t->dtype, numel,
						(unsigned char *) buf.data + buf.len);
	buf.len += nbytes;
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* tensor(float64): the modifier is the dtype code */
Datum
tensor_typmod_in(PG_FUNCTION_ARGS)
{
	ArrayType  *ta = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	int			n;
	int			dtype;
	char	   *name;

	deconstruct_array(ta, CSTRINGOID, -2, false, TYPALIGN_CHAR, &elems, NULL, &n);
	if (n != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("type tensor takes one modifier, the dtype"),
				 errhint("Write tensor(float32), tensor(float64), tensor(int32) or tensor(int64).")));
	name = DatumGetCString(elems[0]);
	dtype = dtx_dtype_from_name(name, strlen(name));
	if (!dtx_dtype_supported(dtype))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown tensor dtype \"%s\"", name),
				 errhint("Known dtypes are float32, float64, int32 and int64, and the aliases float4, float8, real, double, int4 and int8.")));
	PG_RETURN_INT32(dtype);
}

Datum
tensor_typmod_out(PG_FUNCTION_ARGS)
{
	int32		typmod = PG_GETARG_INT32(0);

	if (typmod < 0)
		PG_RETURN_CSTRING(pstrdup(""));
	PG_RETURN_CSTRING(psprintf("(%s)", TensorDtypeName(DtypeFromTypmod(typmod))));
}

/* the length-coercion cast: converts to the modifier's dtype */
Datum
tensor_coerce(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	int32		typmod = PG_GETARG_INT32(1);

	if (typmod < 0)
		PG_RETURN_TENSOR_P(t);
	PG_RETURN_TENSOR_P(TensorConvert(t, DtypeFromTypmod(typmod)));
}
