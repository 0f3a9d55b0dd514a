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

static inline int
is_space(char c)
{
	/* the same set as PostgreSQL's scanner_isspace / array_in */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static inline int
is_delim(char c)
{
	return c == '\0' || c == ',' || c == ']' || is_space(c);
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
lex_number(const char *s, int64_t i, int *is_float)
{
	int64_t		j = i;
	int64_t		digits = 0;
	int			n;

	*is_float = 0;
	if (s[j] == '+' || s[j] == '-')
		j++;
	if ((n = match_word(s + j, "infinity")) || (n = match_word(s + j, "inf")) ||
		(n = match_word(s + j, "nan")))
	{
		*is_float = 1;
		return j + n - i;
	}
	while (isdigit((unsigned char) s[j]))
		j++, digits++;
	if (s[j] == '.')
	{
		*is_float = 1;
		j++;
		while (isdigit((unsigned char) s[j]))
			j++, digits++;
	}
	if (digits == 0)
		return j == i ? 0 : -(j + 1);
	if (s[j] == 'e' || s[j] == 'E')
	{
		*is_float = 1;
		j++;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (!isdigit((unsigned char) s[j]))
			return -(j + 1);
		while (isdigit((unsigned char) s[j]))
			j++;
	}
	if (!is_delim(s[j]))
		return -(j + 1);
	return j - i;
}

/* next token at or after *pos; *pos moves past it */
static Tok
next_tok(const char *s, int64_t *pos)
{
	Tok			t = {TOK_END, 0, 0, 0};
	int64_t		i = *pos;
	int64_t		n;

	while (is_space(s[i]))
		i++;
	t.start = i;
	switch (s[i])
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
			n = lex_number(s, i, &t.is_float);
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
	*pos = t.start + t.len;
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
 * An optional tag: "dtype:" or, for an empty tensor whose brackets cannot
 * show its shape (such as (0,5), printed "[]"), "dtype(0,5):".  Returns
 * the offset where the value starts, or -1 after filling *err.  With a
 * shape, *shape_ndim is its rank and shape[] its dims, else *shape_ndim
 * is -1.
 */
static int64_t
scan_tag(const char *s, int *tag, int *shape_ndim, int64_t *shape,
		 DtxParseError *err)
{
	int64_t		i = 0,
				name_start,
				name_len;

	*tag = DTX_INVALID;
	*shape_ndim = -1;
	while (is_space(s[i]))
		i++;
	if (!isalpha((unsigned char) s[i]))
		return 0;
	name_start = i;
	while (isalnum((unsigned char) s[i]) || s[i] == '_')
		i++;
	name_len = i - name_start;
	while (is_space(s[i]))
		i++;
	if (s[i] == '(')
	{
		int			n = 0;

		i++;
		while (is_space(s[i]))
			i++;
		while (s[i] != ')')
		{
			int64_t		d = 0;

			if (n > 0)
			{
				if (s[i] != ',')
					return fail_at(err, s, i), -1;
				i++;
				while (is_space(s[i]))
					i++;
			}
			if (!isdigit((unsigned char) s[i]))
				return fail_at(err, s, i), -1;
			while (isdigit((unsigned char) s[i]))
			{
				d = d * 10 + (s[i++] - '0');
				if (d > INT32_MAX)
					return fail_at(err, s, i - 1), -1;
			}
			if (n == DTX_MAX_NDIM)
			{
				fail_at(err, s, i - 1);
				err->code = DTX_PARSE_TOO_DEEP;
				return -1;
			}
			shape[n++] = d;
			while (is_space(s[i]))
				i++;
		}
		*shape_ndim = n;
		i++;
		while (is_space(s[i]))
			i++;
		if (s[i] != ':')
			return fail_at(err, s, i), -1;
	}
	if (s[i] != ':')
		return 0;				/* no tag: a bare inf or nan, or an error later */
	*tag = dtx_dtype_from_name(s + name_start, (size_t) name_len);
	if (!dtx_dtype_supported(*tag))
	{
		memset(err, 0, sizeof(*err));
		err->code = DTX_PARSE_BAD_DTYPE;
		err->pos = name_start + 1;
		err->ch = s[name_start];
		err->tok_start = name_start;
		err->tok_len = name_len;
		return -1;
	}
	return i + 1;
}

DtxParseCode
dtx_parse_scan(const char *s, DtxParseInfo *info, DtxParseError *err)
{
	int64_t		count[DTX_MAX_NDIM + 1];	/* elements seen at each open level */
	int			level = 0;
	int			rank = -1;		/* frozen at the first number or empty [] */
	int			expect_value = 1;	/* after '[' or ',' (or at the start) */
	int			after_open = 0; /* just after '[': ']' is allowed */
	int64_t		pos;
	int64_t		shape[DTX_MAX_NDIM];
	int			shape_ndim;
	Tok			t;

	memset(info, 0, sizeof(*info));
	for (int k = 0; k < DTX_MAX_NDIM; k++)
		info->dims[k] = -1;
	pos = scan_tag(s, &info->tag_dtype, &shape_ndim, shape, err);
	if (pos < 0)
		return err->code;

	for (;;)
	{
		t = next_tok(s, &pos);
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
		/*
		 * A written shape must agree with the brackets, which show the dims
		 * up to the first zero one, and hold no element.
		 */
		int64_t		numel = 1,
					value_numel = 1;

		for (int k = 0; k < shape_ndim; k++)
			numel *= shape[k] ? 1 : 0;
		for (int k = 0; k < rank; k++)
			value_numel *= info->dims[k] ? 1 : 0;
		int			bad = numel != 0 || value_numel != 0 || rank > shape_ndim;

		for (int k = 0; k < rank && !bad; k++)
			bad = info->dims[k] != shape[k];
		if (bad)
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
	info->numel = 1;
	for (int k = 0; k < rank; k++)
		info->numel *= info->dims[k];	/* bounded by the text's length */
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

/*
 * A finite token that reads as inf overflowed the dtype.  Underflow is not
 * an error: it rounds to a denormal or zero, as torch.tensor and strtod do.
 */
static int
float_out_of_range(double v, int is_inf_token)
{
	return isinf(v) && !is_inf_token;
}

static int
token_is_inf(const char *p)
{
	if (*p == '+' || *p == '-')
		p++;
	return *p == 'i' || *p == 'I';
}

DtxParseCode
dtx_parse_fill(const char *s, const DtxParseInfo *info, int dtype,
			   void *data, double *exact, int *exact_needed,
			   DtxParseError *err)
{
	int			tag,
				shape_ndim;
	int64_t		shape[DTX_MAX_NDIM];
	int64_t		pos;
	int64_t		i = 0;
	Tok			t;

	if (exact_needed)
		*exact_needed = 0;
	pos = scan_tag(s, &tag, &shape_ndim, shape, err);
	if (pos < 0)
		return err->code;
	while (i < info->numel)
	{
		const char *p;
		char	   *end;
		int			is_inf;

		t = next_tok(s, &pos);
		if (t.kind == TOK_END || t.kind == TOK_BAD)
			return fail_at(err, s, t.start);	/* not scanned first */
		if (t.kind != TOK_NUMBER)
			continue;
		p = s + t.start;
		is_inf = t.is_float && token_is_inf(p);
		errno = 0;
		if (!t.is_float)
		{
			long long	v = strtoll(p, &end, 10);

			if (errno == ERANGE)
				return fail_range(err, s, t);
			switch (dtype)
			{
				case DTX_INT64:
					((int64_t *) data)[i] = v;
					break;
				case DTX_INT32:
					if (v < INT32_MIN || v > INT32_MAX)
						return fail_range(err, s, t);
					((int32_t *) data)[i] = (int32_t) v;
					break;
				case DTX_FLOAT64:
					((double *) data)[i] = (double) v;
					break;
				case DTX_FLOAT32:
					((float *) data)[i] = (float) v;
					if (exact)
						exact[i] = (double) v;
					if (exact_needed && (double) (float) v != (double) v)
						*exact_needed = 1;
					break;
				default:
					return fail_range(err, s, t);
			}
		}
		else if (dtype == DTX_FLOAT32)
		{
			/* strtof, not (float) strtod: a double rounding could be off by one ulp */
			float		v = strtof(p, &end);

			if (float_out_of_range(v, is_inf))
				return fail_range(err, s, t);
			((float *) data)[i] = v;
			if (exact || (exact_needed && !*exact_needed))
			{
				double		d = strtod(p, &end);

				if (exact)
					exact[i] = d;
				/* NaN != NaN, so test it apart */
				if (exact_needed && !(isnan(d) || d == (double) v))
					*exact_needed = 1;
			}
		}
		else
		{
			double		v = strtod(p, &end);

			if (float_out_of_range(v, is_inf))
				return fail_range(err, s, t);
			switch (dtype)
			{
				case DTX_FLOAT64:
					((double *) data)[i] = v;
					break;
				case DTX_INT64:
					/* as Tensor.to(): truncate toward zero; 2^63 is out */
					if (isnan(v) || trunc(v) < -9223372036854775808.0 ||
						trunc(v) >= 9223372036854775808.0)
						return fail_range(err, s, t);
					((int64_t *) data)[i] = (int64_t) v;
					break;
				case DTX_INT32:
					if (isnan(v) || trunc(v) < -2147483648.0 || trunc(v) > 2147483647.0)
						return fail_range(err, s, t);
					((int32_t *) data)[i] = (int32_t) v;
					break;
				default:
					return fail_range(err, s, t);
			}
		}
		i++;
	}
	return DTX_PARSE_OK;
}
