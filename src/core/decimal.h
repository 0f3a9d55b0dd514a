/*
 * decimal.h: decimal text to float32/float64, correctly rounded, and the
 * float32 -> float64 conversion through the shortest round-trip decimal.
 * Plain C, no PostgreSQL headers.
 */
#ifndef DOTEXT_DECIMAL_H
#define DOTEXT_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * A number token of len bytes as the tensor lexer accepts it:
 *   [+-] ( digits [ '.' digits* ] | '.' digits ) [ (e|E) [+-] digits ]
 *   | [+-] ( inf | infinity | nan )
 * rounded to nearest, ties to even, as strtod/strtof do.  Overflow gives
 * +-inf (the caller decides whether that is an error), underflow a
 * subnormal or a signed zero.
 */
double		dtx_decimal_to_f64(const char *s, size_t len);
float		dtx_decimal_to_f32(const char *s, size_t len);

/*
 * The same for a token whose digits a lexer already gathered while it
 * scanned them (the tensor parser does, so each character is read once):
 * value = (negative ? -1 : 1) * w * 10^e when exact, special 'i'/'n' for
 * infinity and nan.  tok is the token's text, ended by a character that
 * ends a number (strtod reads it when the fast path cannot decide).
 */
typedef struct DtxDecimal
{
	uint64_t	w;				/* the first 19 significant digits */
	int32_t		e;				/* decimal exponent of w's last digit, clamped */
	uint8_t		negative;
	uint8_t		special;		/* 0, 'i' or 'n' */
	uint8_t		inexact;		/* a nonzero digit beyond the 19th */
	uint8_t		ndigits;		/* significant digits in w (0 for zero) */
} DtxDecimal;

double		dtx_decimal_f64(const DtxDecimal *d, const char *tok);
float		dtx_decimal_f32(const DtxDecimal *d, const char *tok);

/*
 * float32 to float64 through the value's shortest round-trip decimal (the
 * digits text output prints): 0.1f gives the double nearest 0.1, not
 * 0.100000001490116...  NaN, infinities and signed zeros carry over.
 */
void		dtx_f32_to_f64_shortest(const float *src, double *dst, int64_t n);

#endif
