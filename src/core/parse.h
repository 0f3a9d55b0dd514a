/*
 * parse.h: the text form of a tensor.  Plain C, no PostgreSQL headers, so
 * test/ can unit-test and fuzz it.
 *
 * Grammar (white space allowed between any two tokens):
 *   literal := [ dtype ':' ] value
 *   value   := number | '[' [ value { ',' value } ] ']'
 *   number  := [+-] ( digits [ '.' digits* ] | '.' digits ) [ (e|E) [+-] digits ]
 *            | [+-] ( inf | infinity | nan )       (any case)
 * Nesting must be regular (a hyper-rectangle).  Without a dtype tag the
 * dtype is inferred as torch.tensor does: integer tokens only give int64,
 * any decimal point, exponent, inf or nan gives float32, no token at all
 * gives float32.
 *
 * dtx_parse() reads a literal in one pass into the caller's buffer, sized
 * by dtx_parse_capacity() (a count of commas).  dtx_parse_scan() alone
 * validates the syntax and finds the shape and dtype, and dtx_parse_fill()
 * converts the numbers after it, for callers that want the exact size
 * first.
 *
 * Both take a tick callback (may be NULL) that they call at least once per
 * megabyte of text, whatever its tokens: the server checks for cancel
 * there (it may not return).
 */
#ifndef DOTEXT_PARSE_H
#define DOTEXT_PARSE_H

#include <stdint.h>
#include "dtype.h"

typedef enum DtxParseCode
{
	DTX_PARSE_OK = 0,
	DTX_PARSE_SYNTAX,			/* unexpected character or end of input */
	DTX_PARSE_RAGGED,			/* sub-arrays of different lengths or depths */
	DTX_PARSE_BAD_DTYPE,		/* unknown dtype tag */
	DTX_PARSE_TOO_DEEP,			/* rank above DTX_MAX_NDIM */
	DTX_PARSE_RANGE,			/* a number outside the dtype's range */
	DTX_PARSE_SHAPE				/* a written shape that the value does not have */
} DtxParseCode;

typedef struct DtxParseError
{
	DtxParseCode code;
	int64_t		pos;			/* 1-based offset of the offending character */
	char		ch;				/* that character; '\0' at end of input */
	int			depth;			/* RAGGED: depth (1-based) of the sub-arrays */
	int64_t		len1,
				len2;			/* RAGGED: the two lengths seen */
	int64_t		tok_start;		/* RANGE/BAD_DTYPE: 0-based token start */
	int64_t		tok_len;		/* and its length */
} DtxParseError;

typedef void (*DtxTick) (void);

typedef struct DtxParseInfo
{
	int			ndim;
	int64_t		dims[DTX_MAX_NDIM];
	int64_t		numel;
	int			tag_dtype;		/* dtype named in the literal, or DTX_INVALID */
	int			has_float;		/* some token is a float token */
	int			dtype;			/* tag_dtype if given, else the inferred one */
} DtxParseInfo;

/* Pass 1: syntax, shape and dtype.  Returns DTX_PARSE_OK or fills *err. */
DtxParseCode dtx_parse_scan(const char *s, DtxParseInfo *info, DtxParseError *err,
							DtxTick tick);

/*
 * Pass 2: convert the numbers of a literal that passed dtx_parse_scan() into
 * data, info->numel elements of the given dtype (any supported dtype).
 * Float targets read every token, integer or not, rounding once from its
 * digits (so an integer too wide for int64 is a float like any other);
 * integer targets read integer tokens exactly and truncate float tokens
 * toward zero.  A value outside the dtype's range is DTX_PARSE_RANGE.
 */
DtxParseCode dtx_parse_fill(const char *s, const DtxParseInfo *info, int dtype,
							void *data, DtxParseError *err, DtxTick tick);

/*
 * Both at once, in one pass over the text: the syntax, shape and dtype
 * into *info and the numbers, read as dtype as dtx_parse_fill does, into
 * data, which has room for cap elements (dtx_parse_capacity(s) is always
 * enough).  A syntax error anywhere wins over a range error; on
 * DTX_PARSE_RANGE, *info is complete, so a caller that guessed float32 for
 * an untagged literal can see that it is int64 (info->dtype) and read it
 * again with dtx_parse_fill.
 */
DtxParseCode dtx_parse(const char *s, int dtype, void *data, int64_t cap,
					   DtxParseInfo *info, DtxParseError *err, DtxTick tick);

/* an upper bound on the number of elements: one more than the commas */
int64_t		dtx_parse_capacity(const char *s);

/* the dtype a literal's tag names, DTX_INVALID if it has none (or a bad one) */
int			dtx_parse_tag(const char *s);

#endif
