/*
 * tensor_io.c: text and binary input/output, the dtype type modifier and
 * the length-coercion cast that applies it.
 *
 * Text output: nested brackets, numbers in their shortest exact form.  The
 * dtype is written as a "dtype:" prefix whenever reading the text back
 * would not infer it: always for the dtypes whose descriptor has
 * tag_in_text (float64, int32, float16, bfloat16), for int64 when it holds
 * no element.  Elements print through the descriptor's write_row: float
 * numbers always carry a decimal point or an exponent ("1.0", "1e+20"), so
 * untagged float text re-reads as float32, and int64 text is plain
 * integers, as pgvector users write them.  An empty tensor
 * of rank 2 or more carries its shape in the prefix: "float32(2,0):[]".
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
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

/*
 * inferred: the literal had no tag and no modifier reached the input
 * function, so its dtype was inferred (a range error then may only mean
 * that the value needed float64).
 */
static void
ReportParseError(const char *s, const DtxParseError *err, int dtype, bool inferred)
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
							(int) Min(err->tok_len, 80), s + err->tok_start),
					 errdetail("The literal was read as %s.", TensorDtypeName(dtype)),
					 (inferred && dtype == DTX_FLOAT32) ?
					 errhint("A literal without a dtype tag is read as float32 before a type modifier applies; "
							 "write the tag, as in 'float64:[1e300]'.") :
					 errhint("%s", DtypeRangeHint(dtype))));
			break;
		case DTX_PARSE_BAD_DTYPE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type tensor: \"%s\"", QuoteLiteral(s)),
					 errdetail("Unknown dtype \"%.*s\".",
							   (int) Min(err->tok_len, 64), s + err->tok_start),
					 errhint("Known dtypes are %s.", DtypeNameList())));
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

/* the parser's tick: it calls this at least once per megabyte of text */
static void
ParseTick(void)
{
	CHECK_FOR_INTERRUPTS();
}

/*
 * Parse a literal.  target is the dtype of the type modifier, or
 * DTX_INVALID when the caller passed none: then an untagged literal gets its
 * inferred dtype.  With a modifier and no tag, the digits are read straight
 * into the target dtype (COPY passes the column's modifier); a tag wins,
 * and its tensor is converted.
 *
 * One pass over the text, into a rank-1 tensor with room for one element
 * more than the commas: a flat literal (the usual embedding) is then
 * already the result.  An untagged literal with no modifier is read as
 * float32 on a guess; if it holds only integer tokens it is int64 and is
 * read again.
 */
static Tensor *
TensorParse(const char *s, int target)
{
	DtxParseInfo info;
	DtxParseError err;
	Tensor	   *t;
	int			tag = dtx_parse_tag(s);
	int			dtype = tag != DTX_INVALID ? tag : target != DTX_INVALID ? target : DTX_FLOAT32;
	bool		inferred = tag == DTX_INVALID && target == DTX_INVALID;
	int64		cap = dtx_parse_capacity(s);
	DtxParseCode c;

	t = InitTensorForWrite(dtype, 1, &cap);
	c = dtx_parse(s, dtype, TensorData(t), cap, &info, &err, ParseTick);
	if (c == DTX_PARSE_OK || c == DTX_PARSE_RANGE)
	{
		if (inferred && info.dtype != dtype)
		{
			/* all integers: int64, not the float32 guessed */
			pfree(t);
			dtype = info.dtype;
			t = InitTensorForWrite(dtype, info.ndim, info.dims);
			c = dtx_parse_fill(s, &info, dtype, TensorData(t), &err, ParseTick);
		}
		else if (c == DTX_PARSE_OK && !(info.ndim == 1 && info.numel == cap))
		{
			/* another shape than the guessed one: move the data over */
			Tensor	   *r = InitTensorForWrite(dtype, info.ndim, info.dims);

			memcpy(TensorData(r), TensorData(t), info.numel * TensorElemSize(r));
			pfree(t);
			t = r;
		}
	}
	if (c != DTX_PARSE_OK)
		ReportParseError(s, &err, c == DTX_PARSE_RANGE ? dtype : info.dtype, inferred);
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

/* elements written, read or converted between cancel checks */
#define IO_CHUNK	((int64) 1 << 16)

/*
 * The brackets and elements of a non-empty tensor, in C order, without
 * recursion: row by row of the last dim (in pieces of IO_CHUNK elements,
 * with a cancel check before each), then close the levels whose index
 * wrapped and reopen as many.
 */
static char *
WriteValues(char *p, const Tensor *t, int64 numel)
{
	int32		idx[TENSOR_MAX_NDIM] = {0};
	int			ndim = t->ndim;
	int64		row = ndim > 0 ? t->dims[ndim - 1] : 1;
	const DtxDtypeDesc *desc = TensorDesc(t);
	size_t		es = desc->size;
	const char *data = TensorData(t);

	for (int k = 0; k < ndim; k++)
		*p++ = '[';
	for (int64 i = 0; i < numel; i += row)
	{
		int			k = ndim - 2;

		for (int64 j = 0; j < row; j += IO_CHUNK)
		{
			CHECK_FOR_INTERRUPTS();
			if (j > 0)
				*p++ = ',';
			p = desc->write_row(p, data + (i + j) * es, Min(IO_CHUNK, row - j));
		}
		if (ndim > 0)
			*p++ = ']';
		while (k >= 0 && ++idx[k] == t->dims[k])
		{
			*p++ = ']';
			idx[k--] = 0;
		}
		if (k < 0)
			break;
		*p++ = ',';
		for (int m = k + 1; m < ndim; m++)
			*p++ = '[';
	}
	return p;
}

/*
 * An empty tensor of rank 2 or more prints its shape in the tag,
 * "float32(2,0):[]", as torch prints tensor([], size=(2, 0)): its brackets
 * could show the dims only up to the first zero one, and (1518500250,0)
 * would need three gigabytes of them.
 */
static bool
NeedsShape(const Tensor *t, int64 numel)
{
	return numel == 0 && t->ndim >= 2;
}

/*
 * The dtype prefix, where reading the text back would infer another
 * dtype: always for the dtypes whose descriptor says so, and for an empty
 * value of any dtype but float32 (what "[]" reads as).
 */
static bool
NeedsTag(const Tensor *t, int64 numel)
{
	return TensorDesc(t)->tag_in_text || (numel == 0 && t->dtype != DTX_FLOAT32);
}

/*
 * Bytes the text may take: per element its longest text and a separator,
 * per sub-array "[" and "]" (at most ndim of them per element, since no dim
 * of a non-empty tensor is zero), and the tag with its shape.  numel
 * already fits in 1 GB of data, but compute with overflow checks anyway.
 */
static Size
TensorTextMax(const Tensor *t, int64 numel)
{
	uint64		per_elem = (uint64) TensorDesc(t)->text_max + 2 * (uint64) t->ndim;
	uint64		size;

	if (pg_mul_u64_overflow((uint64) numel, per_elem, &size) ||
		pg_add_u64_overflow(size, 32 + TENSOR_MAX_NDIM * 12, &size) ||
		size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tensor text would exceed %zu bytes", (size_t) MaxAllocSize)));
	return (Size) size;
}

Datum
tensor_out(PG_FUNCTION_ARGS)
{
	Tensor	   *t = PG_GETARG_TENSOR_P(0);
	int64		numel = TensorNumel(t);
	char	   *buf,
			   *p;

	p = buf = palloc(TensorTextMax(t, numel));
	if (NeedsShape(t, numel))
	{
		p += sprintf(p, "%s(", TensorDtypeName(t->dtype));
		for (int k = 0; k < t->ndim; k++)
			p += sprintf(p, k ? ",%d" : "%d", t->dims[k]);
		p += sprintf(p, "):[]");
	}
	else
	{
		if (NeedsTag(t, numel))
			p += sprintf(p, "%s:", TensorDtypeName(t->dtype));
		if (numel == 0)
			p += sprintf(p, "[]");
		else
			p = WriteValues(p, t, numel);
	}
	*p = '\0';
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary form (src/core/binary.h; README "Binary format"): layout 1 is
 * uint8 ndim, uint8 dtype, uint16 flags (zero), int32 dims, then the
 * elements in network byte order.  The decoder checks everything the text
 * path checks (NaN and inf are valid floats in both), and tells bytes that
 * are no dotext tensor at all from a tensor whose sizes are wrong.
 */
static void
ReportBinaryError(DtxBinCode code, const DtxBinHeader *h, const unsigned char *msg, int len)
{
	const char *hint = "README's \"Binary format\" section gives the layout byte by byte; or send the tensor as text.";

	switch (code)
	{
		case DTX_BIN_OK:
			break;
		case DTX_BIN_NOT_TENSOR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("binary data is not a dotext tensor"),
					 errdetail("It starts with the bytes %02x %02x %02x %02x; a dotext tensor starts with its rank (0 to 16), "
							   "a dtype code (%s) and two zero bytes.",
							   msg[0], msg[1], msg[2], msg[3], DtypeCodeList()),
					 errhint("%s", hint)));
			break;
		case DTX_BIN_LAYOUT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("dotext binary tensor layout %d is not supported", h->layout),
					 errdetail("This version of dotext reads layout 1."),
					 errhint("The data was written by a newer dotext: update the extension, or send the tensor as text.")));
			break;
		case DTX_BIN_DTYPE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("dotext binary tensor has dtype code %d, which this version cannot store",
							h->dtype),
					 errhint("This version stores the dtype codes %s.", DtypeCodeList())));
			break;
		case DTX_BIN_RANK:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("tensor rank %d exceeds the maximum of %d", h->ndim, TENSOR_MAX_NDIM)));
			break;
		case DTX_BIN_TOO_LARGE:
			TensorReportTooLarge();
			break;
		case DTX_BIN_NEGDIM:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("corrupt dotext binary tensor"),
					 errdetail("A dimension is negative.")));
			break;
		case DTX_BIN_TRUNCATED:
			if (len < 4)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("corrupt dotext binary tensor"),
						 errdetail("The message has %d bytes; a header takes at least 4.", len)));
			if ((size_t) len < 4 + (size_t) 4 * h->ndim)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
						 errmsg("corrupt dotext binary tensor"),
						 errdetail("The header of a rank-%d tensor takes %d bytes; the message has %d.",
								   h->ndim, 4 + 4 * h->ndim, len)));
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("corrupt dotext binary tensor"),
					 errdetail("A %s tensor of shape %s has %zu bytes of data; the message has %zu after its header.",
							   TensorDtypeName(h->dtype), ShapeString(h->ndim, h->dims),
							   h->data_bytes, (size_t) len - h->data_offset)));
			break;
	}
}

Datum
tensor_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		typmod = PG_GETARG_INT32(2);
	const unsigned char *msg = (const unsigned char *) buf->data + buf->cursor;
	int			len = buf->len - buf->cursor;
	DtxBinHeader h;
	DtxBinCode	code;
	Tensor	   *t;

	code = dtx_bin_decode_header(msg, len, MaxAllocSize, &h);
	if (code != DTX_BIN_OK)
		ReportBinaryError(code, &h, msg, len);
	/* sizes were checked (54000) before anything is allocated */
	t = InitTensorForWrite(h.dtype, h.ndim, h.dims);
	{
		const unsigned char *src = msg + h.data_offset;
		size_t		es = TensorElemSize(t);

		for (int64 i = 0; i < h.numel; i += IO_CHUNK)
		{
			CHECK_FOR_INTERRUPTS();
			dtx_bin_decode_data(src + i * es, h.dtype, Min(IO_CHUNK, h.numel - i),
								(char *) TensorData(t) + i * es);
		}
	}
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
	for (int64 i = 0; i < numel; i += IO_CHUNK)
	{
		size_t		es = TensorElemSize(t);

		CHECK_FOR_INTERRUPTS();
		dtx_bin_encode_data((const char *) TensorData(t) + i * es, t->dtype,
							Min(IO_CHUNK, numel - i),
							(unsigned char *) buf.data + buf.len + i * es);
	}
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
				 errhint("Write one dtype, as in tensor(float64); known dtypes are %s.", DtypeNameList())));
	name = DatumGetCString(elems[0]);
	dtype = dtx_dtype_from_name(name, strlen(name));
	if (!dtx_dtype_supported(dtype))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown tensor dtype \"%s\"", name),
				 errhint("Known dtypes are %s.", DtypeNameList())));
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
