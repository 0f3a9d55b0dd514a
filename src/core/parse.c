/*
 * parse.c: two-pass parser of the tensor text form (see parse.h).
 *
 * Shaped like PostgreSQL's ReadArrayStr: it tracks the nesting level, the
 * element count of the open sub-array at each level, the length each level
 * must have once one sub-array of it closed, and it freezes the rank at the
 * first number (or at the first empty "[]").  It never recurses, so deep
 * nesting costs no stack.
 */
#include "parse.h"
#include "decimal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum TokKind
{
	TOK_END,
	TOK_OPEN,
	TOK_CLOSE,
	TOK_COMMA,
	TOK_NUMBER,
	TOK_BAD						/* a character that starts no token */
} TokKind;

typedef struct Tok
{
	TokKind		kind;
	int64_t		start;			/* 0-based */
	int64_t		len;
	int			is_float;
} Tok;

/*
 * The text and where the lexer stands.  tick (may be NULL) is called at
 * least once every DTX_PARSE_TICK_BYTES of input, however the bytes are
 * split into tokens, so the server can check for cancel.
 */
typedef struct Lexer
{
	const char *s;
	int64_t		pos;
	int64_t		next_tick;
	DtxTick		tick;
} Lexer;

#define DTX_PARSE_TICK_BYTES ((int64_t) 1 << 20)

static inline void
lex_tick(Lexer *lx, int64_t at)
{
	if (at >= lx->next_tick)
	{
		lx->next_tick = at + DTX_PARSE_TICK_BYTES;
		if (lx->tick)
			lx->tick();
	}
}

static inline int
is_space(char c)
{
	/* the same set as PostgreSQL's scanner_isspace / array_in */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static inline int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline int
is_delim(char c)
{
	return c == '\0' || c == ',' || c == ']' || is_space(c);
}

/* skip characters of a class, ticking inside long runs */
static inline int64_t
skip_spaces(Lexer *lx, int64_t i)
{
	while (is_space(lx->s[i]))
		if ((++i & (DTX_PARSE_TICK_BYTES - 1)) == 0)
			lex_tick(lx, i);
	return i;
}

static inline int64_t
skip_digits(Lexer *lx, int64_t i)
{
	while (is_digit(lx->s[i]))
		if ((++i & (DTX_PARSE_TICK_BYTES - 1)) == 0)
			lex_tick(lx, i);
	return i;
}

static int
match_word(const char *p, const char *word)
{
	size_t		n = strlen(word);

	return strncasecmp(p, word, n) == 0 && is_delim(p[n]) ? (int) n : 0;
}

/*
 * Lex a number at s+i.  Returns its length, 0 if the text there is no
 * number, or -(offset+1) of the first character that breaks it.
 */
static int64_t
lex_number(Lexer *lx, int64_t i, int *is_float)
{
	const char *s = lx->s;
	int64_t		j = i,
				k;
	int64_t		digits = 0;
	int			n;

	*is_float = 0;
	if (s[j] == '+' || s[j] == '-')
		j++;
	if ((s[j] | 0x20) == 'i' || (s[j] | 0x20) == 'n')
	{
		if ((n = match_word(s + j, "infinity")) || (n = match_word(s + j, "inf")) ||
			(n = match_word(s + j, "nan")))
		{
			*is_float = 1;
			return j + n - i;
		}
	}
	k = skip_digits(lx, j);
	digits += k - j;
	j = k;
	if (s[j] == '.')
	{
		*is_float = 1;
		k = skip_digits(lx, j + 1);
		digits += k - j - 1;
		j = k;
	}
	if (digits == 0)
		return j == i ? 0 : -(j + 1);
	if (s[j] == 'e' || s[j] == 'E')
	{
		*is_float = 1;
		j++;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (!is_digit(s[j]))
			return -(j + 1);
		j = skip_digits(lx, j);
	}
	if (!is_delim(s[j]))
		return -(j + 1);
	return j - i;
}

/* next token at or after lx->pos, which moves past it */
static Tok
next_tok(Lexer *lx)
{
	Tok			t = {TOK_END, 0, 0, 0};
	int64_t		i = skip_spaces(lx, lx->pos);
	int64_t		n;

	lex_tick(lx, i);
	t.start = i;
	switch (lx->s[i])
	{
		case '\0':
			t.kind = TOK_END;
			break;
		case '[':
			t.kind = TOK_OPEN;
			t.len = 1;
			break;
		case ']':
			t.kind = TOK_CLOSE;
			t.len = 1;
			break;
		case ',':
			t.kind = TOK_COMMA;
			t.len = 1;
			break;
		default:
			n = lex_number(lx, i, &t.is_float);
			if (n > 0)
			{
				t.kind = TOK_NUMBER;
				t.len = n;
			}
			else
			{
				t.kind = TOK_BAD;
				t.start = n < 0 ? -n - 1 : i;
				t.len = 1;
			}
			break;
	}
	lx->pos = t.start + t.len;
	return t;
}

static DtxParseCode
fail_at(DtxParseError *err, const char *s, int64_t at)
{
	memset(err, 0, sizeof(*err));
	err->code = DTX_PARSE_SYNTAX;
	err->pos = at + 1;
	err->ch = s[at];
	return DTX_PARSE_SYNTAX;
}

static DtxParseCode
fail_ragged(DtxParseError *err, const char *s, int64_t at, int depth,
			int64_t len1, int64_t len2)
{
	fail_at(err, s, at);
	err->code = DTX_PARSE_RAGGED;
	err->depth = depth;
	err->len1 = len1;
	err->len2 = len2;
	return DTX_PARSE_RAGGED;
}

/*
 * An optional tag: "dtype:" or, for an empty tensor, "dtype(2,0):" with its
 * shape (the brackets of an empty tensor show its dims only up to the first
 * zero one).  Sets lx->pos where the value starts, or returns the error code
 * after filling *err.  With a shape, *shape_ndim is its rank and shape[] its
 * dims, else *shape_ndim is -1.
 */
static DtxParseCode
scan_tag(Lexer *lx, int *tag, int *shape_ndim, int64_t *shape,
		 DtxParseError *err)
{
	const char *s = lx->s;
	int64_t		i,
				name_start,
				name_len;

	*tag = DTX_INVALID;
	*shape_ndim = -1;
	lx->pos = 0;
	i = skip_spaces(lx, 0);
	if (!isalpha((unsigned char) s[i]))
		return DTX_PARSE_OK;
	name_start = i;
	while (isalnum((unsigned char) s[i]) || s[i] == '_')
		i++;
	name_len = i - name_start;
	i = skip_spaces(lx, i);
	if (s[i] == '(')
	{
		int			n = 0;

		i = skip_spaces(lx, i + 1);
		while (s[i] != ')')
		{
			int64_t		d = 0;

			if (n > 0)
			{
				if (s[i] != ',')
					return fail_at(err, s, i);
				i = skip_spaces(lx, i + 1);
			}
			if (!is_digit(s[i]))
				return fail_at(err, s, i);
			while (is_digit(s[i]))
			{
				d = d * 10 + (s[i++] - '0');
				if (d > INT32_MAX)
					return fail_at(err, s, i - 1);
				if ((i & (DTX_PARSE_TICK_BYTES - 1)) == 0)
					lex_tick(lx, i);	/* a long run of leading zeros */
			}
			if (n == DTX_MAX_NDIM)
			{
				fail_at(err, s, i - 1);
				err->code = DTX_PARSE_TOO_DEEP;
				return DTX_PARSE_TOO_DEEP;
			}
			shape[n++] = d;
			i = skip_spaces(lx, i);
		}
		*shape_ndim = n;
		i = skip_spaces(lx, i + 1);
		if (s[i] != ':')
			return fail_at(err, s, i);
	}
	if (s[i] != ':')
		return DTX_PARSE_OK;	/* no tag: a bare inf or nan, or an error later */
	*tag = dtx_dtype_from_name(s + name_start, (size_t) name_len);
	if (!dtx_dtype_supported(*tag))
	{
		memset(err, 0, sizeof(*err));
		err->code = DTX_PARSE_BAD_DTYPE;
		err->pos = name_start + 1;
		err->ch = s[name_start];
		err->tok_start = name_start;
		err->tok_len = name_len;
		return DTX_PARSE_BAD_DTYPE;
	}
	lx->pos = i + 1;
	return DTX_PARSE_OK;
}

/*
 * A written shape must describe an empty tensor and agree with the
 * brackets: either "[]" alone, or brackets showing the dims up to the first
 * zero one, as in "int64(3,0,2):[[],[],[]]".
 */
static int
shape_agrees(const DtxParseInfo *info, int rank, int shape_ndim, const int64_t *shape)
{
	int			shape_empty = 0,
				value_empty = 0;

	for (int k = 0; k < shape_ndim; k++)
		shape_empty |= shape[k] == 0;
	for (int k = 0; k < rank; k++)
		value_empty |= info->dims[k] == 0;
	if (!shape_empty || !value_empty || rank > shape_ndim)
		return 0;
	if (rank == 1 && info->dims[0] == 0)
		return 1;				/* "[]" */
	for (int k = 0; k < rank; k++)
		if (info->dims[k] != shape[k])
			return 0;
	return 1;
}

DtxParseCode
dtx_parse_scan(const char *s, DtxParseInfo *info, DtxParseError *err, DtxTick tick)
{
	int64_t		count[DTX_MAX_NDIM + 1];	/* elements seen at each open level */
	int			level = 0;
	int			rank = -1;		/* frozen at the first number or empty [] */
	int			expect_value = 1;	/* after '[' or ',' (or at the start) */
	int			after_open = 0; /* just after '[': ']' is allowed */
	int64_t		shape[DTX_MAX_NDIM];
	int			shape_ndim;
	Lexer		lx = {s, 0, DTX_PARSE_TICK_BYTES, tick};
	Tok			t;
	DtxParseCode c;

	memset(info, 0, sizeof(*info));
	for (int k = 0; k < DTX_MAX_NDIM; k++)
		info->dims[k] = -1;
	if ((c = scan_tag(&lx, &info->tag_dtype, &shape_ndim, shape, err)) != DTX_PARSE_OK)
		return c;

	for (;;)
	{
		t = next_tok(&lx);
		if (t.kind == TOK_BAD)
			return fail_at(err, s, t.start);
		if (level == 0 && rank >= 0)
		{
			/* the value is complete: only white space may follow */
			if (t.kind != TOK_END)
				return fail_at(err, s, t.start);
			break;
		}
		switch (t.kind)
		{
			case TOK_END:
				return fail_at(err, s, t.start);
			case TOK_OPEN:
				if (!expect_value || (rank >= 0 && level >= rank))
					return fail_at(err, s, t.start);
				if (level == DTX_MAX_NDIM)
				{
					fail_at(err, s, t.start);
					err->code = DTX_PARSE_TOO_DEEP;
					return DTX_PARSE_TOO_DEEP;
				}
				level++;
				count[level] = 0;
				after_open = 1;
				break;
			case TOK_NUMBER:
				if (!expect_value)
					return fail_at(err, s, t.start);
				if (rank < 0)
					rank = level;
				else if (level != rank)
					return fail_at(err, s, t.start);
				if (t.is_float)
					info->has_float = 1;
				if (level > 0)
					count[level]++;
				expect_value = 0;
				after_open = 0;
				break;
			case TOK_COMMA:
				if (expect_value || level == 0)
					return fail_at(err, s, t.start);
				expect_value = 1;
				break;
			case TOK_CLOSE:
				if (expect_value && !after_open)
					return fail_at(err, s, t.start);	/* "[1,]" */
				if (count[level] == 0)
				{
					/* "[]": no level below this one */
					if (rank < 0)
						rank = level;
					else if (rank != level)
						return fail_ragged(err, s, t.start, level,
										   rank > level ? 1 : 0, 0);
				}
				if (info->dims[level - 1] < 0)
					info->dims[level - 1] = count[level];
				else if (info->dims[level - 1] != count[level])
					return fail_ragged(err, s, t.start, level,
									   info->dims[level - 1], count[level]);
				level--;
				if (level > 0)
					count[level]++;
				expect_value = 0;
				after_open = 0;
				break;
			case TOK_BAD:
				break;			/* handled above */
		}
	}

	if (shape_ndim >= 0)
	{
		if (!shape_agrees(info, rank, shape_ndim, shape))
		{
			fail_at(err, s, 0);
			err->code = DTX_PARSE_SHAPE;
			return DTX_PARSE_SHAPE;
		}
		for (int k = 0; k < shape_ndim; k++)
			info->dims[k] = shape[k];
		rank = shape_ndim;
	}
	info->ndim = rank;
	/*
	 * A zero dim makes numel 0 (a written shape may put huge dims before
	 * it); otherwise every dim came from brackets, so the product is
	 * bounded by the text's length.
	 */
	info->numel = 1;
	for (int k = 0; k < rank; k++)
		if (info->dims[k] == 0)
			info->numel = 0;
	for (int k = 0; k < rank && info->numel; k++)
		info->numel *= info->dims[k];
	for (int k = rank; k < DTX_MAX_NDIM; k++)
		info->dims[k] = 0;
	if (info->tag_dtype != DTX_INVALID)
		info->dtype = info->tag_dtype;
	else if (info->has_float || info->numel == 0)
		info->dtype = DTX_FLOAT32;
	else
		info->dtype = DTX_INT64;
	return DTX_PARSE_OK;
}

static DtxParseCode
fail_range(DtxParseError *err, const char *s, Tok t)
{
	fail_at(err, s, t.start);
	err->code = DTX_PARSE_RANGE;
	err->tok_start = t.start;
	err->tok_len = t.len;
	return DTX_PARSE_RANGE;
}

/* an integer token into int64, or 0 if it does not fit */
static int
parse_int64(const char *p, int64_t len, int64_t *out)
{
	int			neg = 0;
	uint64_t	v = 0,
				limit;
	int64_t		i = 0;

	if (p[0] == '+' || p[0] == '-')
		neg = p[i++] == '-';
	limit = neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	for (; i < len; i++)
	{
		uint64_t	dgt = (uint64_t) (p[i] - '0');

		if (v > (limit - dgt) / 10)
			return 0;
		v = v * 10 + dgt;
	}
	*out = neg ? (int64_t) (0 - v) : (int64_t) v;
	return 1;
}

/*
 * A finite token that reads as inf overflowed the dtype.  Underflow is not
 * an error: it rounds to a denormal or zero, as torch.tensor and strtod do.
 */
static inline int
overflowed(double v, int is_inf_token)
{
	return isinf(v) && !is_inf_token;
}

static inline int
token_is_inf(const char *p)
{
	if (*p == '+' || *p == '-')
		p++;
	return *p == 'i' || *p == 'I';
}

DtxParseCode
dtx_parse_fill(const char *s, const DtxParseInfo *info, int dtype,
			   void *data, DtxParseError *err, DtxTick tick)
{
	int			tag,
				shape_ndim;
	int64_t		shape[DTX_MAX_NDIM];
	int64_t		i = 0;
	Lexer		lx = {s, 0, DTX_PARSE_TICK_BYTES, tick};
	Tok			t;
	DtxParseCode c;

	if ((c = scan_tag(&lx, &tag, &shape_ndim, shape, err)) != DTX_PARSE_OK)
		return c;
	while (i < info->numel)
	{
		const char *p;

		t = next_tok(&lx);
		if (t.kind == TOK_END || t.kind == TOK_BAD)
			return fail_at(err, s, t.start);	/* not scanned first */
		if (t.kind != TOK_NUMBER)
			continue;
		p = s + t.start;
		switch (dtype)
		{
			case DTX_FLOAT32:
				{
					/*
					 * Every token, integers too, rounds once from its
					 * digits: an integer wider than int64 is a float too.
					 */
					float		v = dtx_decimal_to_f32(p, (size_t) t.len);

					if (overflowed(v, t.is_float && token_is_inf(p)))
						return fail_range(err, s, t);
					((float *) data)[i] = v;
					break;
				}
			case DTX_FLOAT64:
				{
					double		v = dtx_decimal_to_f64(p, (size_t) t.len);

					if (overflowed(v, t.is_float && token_is_inf(p)))
						return fail_range(err, s, t);
					((double *) data)[i] = v;
					break;
				}
			case DTX_INT64:
			case DTX_INT32:
				{
					int64_t		v;

					if (!t.is_float)
					{
						if (!parse_int64(p, t.len, &v))
							return fail_range(err, s, t);
					}
					else
					{
						/* as Tensor.to(): truncate toward zero; 2^63 is out */
						double		d = dtx_decimal_to_f64(p, (size_t) t.len);

						if (isnan(d) || trunc(d) < -9223372036854775808.0 ||
							trunc(d) >= 9223372036854775808.0)
							return fail_range(err, s, t);
						v = (int64_t) d;
					}
					if (dtype == DTX_INT64)
						((int64_t *) data)[i] = v;
					else if (v < INT32_MIN || v > INT32_MAX)
						return fail_range(err, s, t);
					else
						((int32_t *) data)[i] = (int32_t) v;
					break;
				}
			default:
				return fail_range(err, s, t);
		}
		i++;
	}
	return DTX_PARSE_OK;
}
