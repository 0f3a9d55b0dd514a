/*
 * parse.c: the tensor text parser (see parse.h).
 *
 * One pass: the lexer gathers each number's digits as it scans them
 * (decimal.h's DtxDecimal) and the structure check and the conversion
 * into the output happen at once, so every character is read once.
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
#include <stdio.h>
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
	DtxDecimal	dec;			/* TOK_NUMBER: its digits */
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

/* digits at s+i into d (see scan_decimal in decimal.c); returns the end */
static inline int64_t
lex_digits(Lexer *lx, int64_t i, DtxDecimal *d, int64_t *exp10, int after_point)
{
	const char *s = lx->s;

	for (; is_digit(s[i]); i++)
	{
		int			c = s[i] - '0';

		if ((i & (DTX_PARSE_TICK_BYTES - 1)) == 0)
			lex_tick(lx, i);
		if (d->ndigits == 0 && c == 0)
		{
			*exp10 -= after_point;	/* a leading zero */
			continue;
		}
		if (d->ndigits < 19)
		{
			d->w = d->w * 10 + (uint64_t) c;
			d->ndigits++;
			*exp10 -= after_point;
		}
		else
		{
			*exp10 += !after_point;
			d->inexact |= c != 0;
		}
	}
	return i;
}

/*
 * Lex a number at s+i into t.  Returns its length, 0 if the text there is
 * no number, or -(offset+1) of the first character that breaks it.
 */
static int64_t
lex_number(Lexer *lx, int64_t i, Tok *t)
{
	const char *s = lx->s;
	DtxDecimal *d = &t->dec;
	int64_t		j = i,
				k,
				exp10 = 0;
	int64_t		digits;
	int			n;

	memset(d, 0, sizeof(*d));
	t->is_float = 0;
	if (s[j] == '+' || s[j] == '-')
		d->negative = s[j++] == '-';
	if ((s[j] | 0x20) == 'i' || (s[j] | 0x20) == 'n')
	{
		if ((n = match_word(s + j, "infinity")) || (n = match_word(s + j, "inf")) ||
			(n = match_word(s + j, "nan")))
		{
			t->is_float = 1;
			d->special = (s[j] | 0x20) == 'i' ? 'i' : 'n';
			return j + n - i;
		}
	}
	k = lex_digits(lx, j, d, &exp10, 0);
	digits = k - j;
	j = k;
	if (s[j] == '.')
	{
		t->is_float = 1;
		k = lex_digits(lx, j + 1, d, &exp10, 1);
		digits += k - j - 1;
		j = k;
	}
	if (digits == 0)
		return j == i ? 0 : -(j + 1);
	if (s[j] == 'e' || s[j] == 'E')
	{
		int			eneg = 0;
		int64_t		x = 0;

		t->is_float = 1;
		j++;
		if (s[j] == '+' || s[j] == '-')
			eneg = s[j++] == '-';
		if (!is_digit(s[j]))
			return -(j + 1);
		for (; is_digit(s[j]); j++)
		{
			if (x < 100000)
				x = x * 10 + (s[j] - '0');	/* beyond, the value is 0 or inf */
			if ((j & (DTX_PARSE_TICK_BYTES - 1)) == 0)
				lex_tick(lx, j);
		}
		exp10 += eneg ? -x : x;
	}
	if (!is_delim(s[j]))
		return -(j + 1);
	d->e = (int32_t) (exp10 < -100000 ? -100000 : exp10 > 100000 ? 100000 : exp10);
	return j - i;
}

/* next token at or after lx->pos, which moves past it */
static inline Tok *
next_tok(Lexer *lx, Tok *t)
{
	int64_t		i = skip_spaces(lx, lx->pos);
	int64_t		n;

	lex_tick(lx, i);
	t->start = i;
	t->len = 1;
	switch (lx->s[i])
	{
		case '\0':
			t->kind = TOK_END;
			t->len = 0;
			break;
		case '[':
			t->kind = TOK_OPEN;
			break;
		case ']':
			t->kind = TOK_CLOSE;
			break;
		case ',':
			t->kind = TOK_COMMA;
			break;
		default:
			n = lex_number(lx, i, t);
			if (n > 0)
			{
				t->kind = TOK_NUMBER;
				t->len = n;
			}
			else
			{
				t->kind = TOK_BAD;
				t->start = n < 0 ? -n - 1 : i;
			}
			break;
	}
	lx->pos = t->start + t->len;
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

/*
 * Where the numbers go: dtype and room for cap elements, or no data at all
 * (a scan).  The first range error is kept, not returned at once, so that
 * a syntax error anywhere in the text is reported first, and so that a
 * literal read as float32 on a guess can be read again as int64.
 */
typedef struct Sink
{
	int			dtype;
	void	   *data;
	int64_t		cap;
	int			range_error;	/* a range error was seen */
	int64_t		range_start,
				range_len;
} Sink;

/* an integer token into int64, or 0 if it does not fit */
static inline int
decimal_int64(const DtxDecimal *d, int64_t *out)
{
	uint64_t	limit = d->negative ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;

	if (d->inexact || d->e != 0 || d->w > limit)
		return 0;
	*out = d->negative ? (int64_t) (0 - d->w) : (int64_t) d->w;
	return 1;
}

/*
 * The sign of |token| - |m|, exactly, for a finite nonzero double m with
 * few significant bits (a tie between two half values): m's decimal
 * expansion is finite, at most 98 significant digits for bfloat16's
 * smallest tie 2^-134, and printf writes it in full; the token is w * 10^e,
 * plus something below 10^e when inexact.
 */
static int
cmp_token_exact(const DtxDecimal *d, double m)
{
	char		md[160],
				wd[24],
			   *p;
	int			nm,
				nw,
				mexp,
				wexp;

	snprintf(md, sizeof(md), "%.140e", fabs(m));
	p = strchr(md, 'e');
	mexp = atoi(p + 1);
	*p = '\0';
	memmove(md + 1, md + 2, strlen(md + 2) + 1);	/* drop the point */
	for (nm = (int) strlen(md); nm > 1 && md[nm - 1] == '0'; nm--)
		;
	nw = snprintf(wd, sizeof(wd), "%llu", (unsigned long long) d->w);
	wexp = d->e + nw - 1;
	if (wexp != mexp)
		return wexp > mexp ? 1 : -1;
	for (int k = 0; k < nw || k < nm; k++)
	{
		char		a = k < nw ? wd[k] : '0',
					b = k < nm ? md[k] : '0';

		if (a != b)
			return a > b ? 1 : -1;
	}
	return d->inexact ? 1 : 0;
}

/* v lies exactly halfway between two values of the half dtype (or at its overflow threshold) */
static int
is_half_tie(const DtxDtypeDesc *desc, double v)
{
	uint64_t	bits,
				below = 0,
				above = 0;
	int			ok_below,
				ok_above;

	memcpy(&bits, &v, 8);
	/* a tie has at most 12 significant bits: the double's low 40 are zero */
	if ((bits & (((uint64_t) 1 << 40) - 1)) != 0)
		return 0;
	ok_below = desc->store(nextafter(v, -INFINITY), &below, 0);
	ok_above = desc->store(nextafter(v, INFINITY), &above, 0);
	return ok_below != ok_above || below != above;
}

/*
 * A token into a float16 or bfloat16 element, rounded once from its
 * digits.  The double nearest the digits is rounded again by the
 * descriptor's store, which can go wrong only where that double lies
 * exactly halfway between two half values and the digits do not:
 * "2049.0000000000000000001" reads as the double 2049, a float16 tie that
 * would go to 2048, not 2050.  There the digits decide, compared exactly,
 * and the double moves one step their way.
 */
static int
store_half(const DtxDtypeDesc *desc, const Tok *t, const char *tok, void *data, int64_t i)
{
	double		v = dtx_decimal_f64(&t->dec, tok);

	if (isinf(v) && !t->dec.special)
		return 0;
	if (!t->dec.special && v != 0 && is_half_tie(desc, v))
	{
		int			c = cmp_token_exact(&t->dec, v);

		if (c != 0)
			v = nextafter(v, (c > 0) == (v > 0) ? INFINITY : -INFINITY);
	}
	return desc->store(v, data, i);
}

/*
 * Convert one number into element i.  Float targets read every token,
 * integer or not, rounding once from its digits; integer targets read
 * integer tokens exactly and truncate float tokens toward zero (2^63 is
 * out).  Underflow is not an error: it rounds to a denormal or zero, as
 * torch.tensor and strtod do; a finite token that reads as inf overflowed.
 */
static inline int
store_number(const Sink *sk, int64_t i, const Tok *t, const char *tok)
{
	switch (sk->dtype)
	{
		case DTX_FLOAT32:
			{
				float		v = dtx_decimal_f32(&t->dec, tok);

				((float *) sk->data)[i] = v;
				return !isinf(v) || t->dec.special;
			}
		case DTX_FLOAT64:
			{
				double		v = dtx_decimal_f64(&t->dec, tok);

				((double *) sk->data)[i] = v;
				return !isinf(v) || t->dec.special;
			}
		case DTX_INT64:
		case DTX_INT32:
			{
				int64_t		v;

				if (!t->is_float)
				{
					if (!decimal_int64(&t->dec, &v))
						return 0;
				}
				else
				{
					double		d = dtx_decimal_f64(&t->dec, tok);

					if (isnan(d) || trunc(d) < -9223372036854775808.0 ||
						trunc(d) >= 9223372036854775808.0)
						return 0;
					v = (int64_t) d;
				}
				if (sk->dtype == DTX_INT64)
					((int64_t *) sk->data)[i] = v;
				else if (v < INT32_MIN || v > INT32_MAX)
					return 0;
				else
					((int32_t *) sk->data)[i] = (int32_t) v;
				return 1;
			}
		case DTX_FLOAT16:
		case DTX_BFLOAT16:
			return store_half(dtx_dtype(sk->dtype), t, tok, sk->data, i);
	}
	return 0;					/* dtx_parse refused an unknown dtype before */
}

/*
 * The one pass: structure, shape, dtype inference, and (with sk->data) the
 * numbers.  The tag was already read by scan_tag.
 */
static DtxParseCode
parse_value(Lexer *lx, DtxParseInfo *info, int shape_ndim, const int64_t *shape,
			Sink *sk, DtxParseError *err)
{
	const char *s = lx->s;
	int64_t		count[DTX_MAX_NDIM + 1];	/* elements seen at each open level */
	int			level = 0;
	int			rank = -1;		/* frozen at the first number or empty [] */
	int			expect_value = 1;	/* after '[' or ',' (or at the start) */
	int			after_open = 0; /* just after '[': ']' is allowed */
	int64_t		nnum = 0;
	Tok			tb,
			   *t;

	for (;;)
	{
		t = next_tok(lx, &tb);
		if (t->kind == TOK_BAD)
			return fail_at(err, s, t->start);
		if (level == 0 && rank >= 0)
		{
			/* the value is complete: only white space may follow */
			if (t->kind != TOK_END)
				return fail_at(err, s, t->start);
			break;
		}
		switch (t->kind)
		{
			case TOK_END:
				return fail_at(err, s, t->start);
			case TOK_OPEN:
				if (!expect_value || (rank >= 0 && level >= rank))
					return fail_at(err, s, t->start);
				if (level == DTX_MAX_NDIM)
				{
					fail_at(err, s, t->start);
					err->code = DTX_PARSE_TOO_DEEP;
					return DTX_PARSE_TOO_DEEP;
				}
				level++;
				count[level] = 0;
				after_open = 1;
				break;
			case TOK_NUMBER:
				if (!expect_value)
					return fail_at(err, s, t->start);
				if (rank < 0)
					rank = level;
				else if (level != rank)
					return fail_at(err, s, t->start);
				if (t->is_float)
					info->has_float = 1;
				if (sk->data)
				{
					if (nnum >= sk->cap)
						return fail_at(err, s, t->start);	/* the caller's count was wrong */
					if (!store_number(sk, nnum, t, s + t->start) && !sk->range_error)
					{
						sk->range_error = 1;
						sk->range_start = t->start;
						sk->range_len = t->len;
					}
				}
				nnum++;
				if (level > 0)
					count[level]++;
				expect_value = 0;
				after_open = 0;
				break;
			case TOK_COMMA:
				if (expect_value || level == 0)
					return fail_at(err, s, t->start);
				expect_value = 1;
				break;
			case TOK_CLOSE:
				if (expect_value && !after_open)
					return fail_at(err, s, t->start);	/* "[1,]" */
				if (count[level] == 0)
				{
					/* "[]": no level below this one */
					if (rank < 0)
						rank = level;
					else if (rank != level)
						return fail_ragged(err, s, t->start, level,
										   rank > level ? 1 : 0, 0);
				}
				if (info->dims[level - 1] < 0)
					info->dims[level - 1] = count[level];
				else if (info->dims[level - 1] != count[level])
					return fail_ragged(err, s, t->start, level,
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
	for (int k = rank; k < DTX_MAX_NDIM; k++)
		info->dims[k] = 0;
	/* the brackets' product is the count of numbers; a written shape's is 0 */
	info->numel = shape_ndim >= 0 ? 0 : nnum;
	if (info->tag_dtype != DTX_INVALID)
		info->dtype = info->tag_dtype;
	else if (info->has_float || info->numel == 0)
		info->dtype = DTX_FLOAT32;
	else
		info->dtype = DTX_INT64;
	return DTX_PARSE_OK;
}

static DtxParseCode
fail_range(DtxParseError *err, const char *s, int64_t start, int64_t len)
{
	fail_at(err, s, start);
	err->code = DTX_PARSE_RANGE;
	err->tok_start = start;
	err->tok_len = len;
	return DTX_PARSE_RANGE;
}

/* scan_tag and parse_value into sk; info is reset first */
static DtxParseCode
parse_all(const char *s, DtxParseInfo *info, Sink *sk, DtxParseError *err, DtxTick tick)
{
	int64_t		shape[DTX_MAX_NDIM];
	int			shape_ndim;
	Lexer		lx = {s, 0, DTX_PARSE_TICK_BYTES, tick};
	DtxParseCode c;

	memset(info, 0, sizeof(*info));
	for (int k = 0; k < DTX_MAX_NDIM; k++)
		info->dims[k] = -1;
	if ((c = scan_tag(&lx, &info->tag_dtype, &shape_ndim, shape, err)) != DTX_PARSE_OK)
		return c;
	return parse_value(&lx, info, shape_ndim, shape, sk, err);
}

DtxParseCode
dtx_parse_scan(const char *s, DtxParseInfo *info, DtxParseError *err, DtxTick tick)
{
	Sink		sk = {DTX_INVALID, NULL, 0, 0, 0, 0};

	return parse_all(s, info, &sk, err, tick);
}

DtxParseCode
dtx_parse_fill(const char *s, const DtxParseInfo *info, int dtype,
			   void *data, DtxParseError *err, DtxTick tick)
{
	Sink		sk = {dtype, data, info->numel, 0, 0, 0};
	DtxParseInfo again;
	DtxParseCode c;

	if (!dtx_dtype_supported(dtype))
		return fail_range(err, s, 0, 0);
	if ((c = parse_all(s, &again, &sk, err, tick)) != DTX_PARSE_OK)
		return c;
	if (sk.range_error)
		return fail_range(err, s, sk.range_start, sk.range_len);
	return DTX_PARSE_OK;
}

int64_t
dtx_parse_capacity(const char *s)
{
	int64_t		n = 1;

	for (const char *p = s; (p = strchr(p, ',')) != NULL; p++)
		n++;
	return n;
}

int
dtx_parse_tag(const char *s)
{
	int64_t		shape[DTX_MAX_NDIM];
	int			shape_ndim,
				tag;
	Lexer		lx = {s, 0, DTX_PARSE_TICK_BYTES, NULL};
	DtxParseError err;

	if (scan_tag(&lx, &tag, &shape_ndim, shape, &err) != DTX_PARSE_OK)
		return DTX_INVALID;
	return tag;
}

DtxParseCode
dtx_parse(const char *s, int dtype, void *data, int64_t cap, DtxParseInfo *info,
		  DtxParseError *err, DtxTick tick)
{
	Sink		sk = {dtype, data, cap, 0, 0, 0};
	DtxParseCode c;

	if (!dtx_dtype_supported(dtype))
		return fail_range(err, s, 0, 0);
	if ((c = parse_all(s, info, &sk, err, tick)) != DTX_PARSE_OK)
		return c;
	if (sk.range_error)
		return fail_range(err, s, sk.range_start, sk.range_len);
	return DTX_PARSE_OK;
}
