/*
 * half.c: bulk conversions between the half dtypes and float32.
 *
 * float16 uses the F16C instructions (vcvtph2ps, vcvtps2ph with rounding
 * to nearest even) when the CPU has them, chosen once per process; the
 * plain C loops of half.h give the same bits.  bfloat16 needs no special
 * instruction: widening is a shift and narrowing an integer rounding,
 * which the compiler vectorizes.  AVX512_BF16's vcvtneps2bf16 is not
 * used: it flushes subnormal inputs to zero, so it would not give the
 * bits of the plain C path.
 */
#include <stdint.h>

#include "half.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define DTX_X86 1
#endif

void		dtx_f16_to_f32(const void *src, float *dst, int64_t n);
void		dtx_f32_to_f16(const float *src, void *dst, int64_t n);
void		dtx_bf16_to_f32(const void *src, float *dst, int64_t n);
void		dtx_f32_to_bf16(const float *src, void *dst, int64_t n);

/* 1: F16C usable, 0: not, -1: not looked yet (a race only looks twice) */
static int	have_f16c = -1;

int
dtx_cpu_f16c(void)
{
#ifdef DTX_X86
	if (have_f16c < 0)
	{
		unsigned int a,
					b,
					c,
					d;

		/* CPUID.1:ECX bit 29 is F16C; its 256-bit form needs AVX (which the OS enables) */
		have_f16c = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 29)) &&
			__builtin_cpu_supports("avx");
	}
	return have_f16c;
#else
	return 0;
#endif
}

#ifdef DTX_X86
__attribute__((target("avx,f16c")))
static int64_t
f16_to_f32_f16c(const uint16_t *s, float *d, int64_t n)
{
	int64_t		i = 0;

	for (; i + 8 <= n; i += 8)
		_mm256_storeu_ps(d + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) (s + i))));
	return i;
}

__attribute__((target("avx,f16c")))
static int64_t
f32_to_f16_f16c(const float *s, uint16_t *d, int64_t n)
{
	int64_t		i = 0;

	for (; i + 8 <= n; i += 8)
		_mm_storeu_si128((__m128i *) (d + i),
						 _mm256_cvtps_ph(_mm256_loadu_ps(s + i),
										 _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
	return i;
}
#endif

void
dtx_f16_to_f32(const void *src, float *dst, int64_t n)
{
	const uint16_t *s = src;
	int64_t		i = 0;

#ifdef DTX_X86
	if (dtx_cpu_f16c())
		i = f16_to_f32_f16c(s, dst, n);
#endif
	for (; i < n; i++)
		dst[i] = dtx_f16_to_float(s[i]);
}

void
dtx_f32_to_f16(const float *src, void *dst, int64_t n)
{
	uint16_t   *d = dst;
	int64_t		i = 0;

#ifdef DTX_X86
	if (dtx_cpu_f16c())
		i = f32_to_f16_f16c(src, d, n);
#endif
	for (; i < n; i++)
		d[i] = dtx_double_to_f16(src[i]);
}

void
dtx_bf16_to_f32(const void *src, float *dst, int64_t n)
{
	const uint16_t *s = src;

	for (int64_t i = 0; i < n; i++)
		dst[i] = dtx_bf16_to_float(s[i]);
}

void
dtx_f32_to_bf16(const float *src, void *dst, int64_t n)
{
	uint16_t   *d = dst;

	for (int64_t i = 0; i < n; i++)
		d[i] = dtx_float_to_bf16(src[i]);
}
