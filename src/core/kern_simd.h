/*
 * kern_simd.h: the inner dot loops, picked once at run time for the CPU
 * (AVX-512, AVX2+FMA, or plain C).  The build never uses -march=native, so
 * one binary runs on every x86-64 and uses what the CPU has.
 *
 * float32 products are summed in double: a float32 accumulator loses about
 * 1e-5 relative on 100K elements, a double one stays well inside 1e-6.
 * The summation order depends on the path, so the last bits of a float
 * result may differ between CPUs (never between two runs on one machine).
 */
#ifndef DOTEXT_KERN_SIMD_H
#define DOTEXT_KERN_SIMD_H

#include <stdint.h>

typedef double (*dtx_f32dot_fn) (const float *a, const float *b, int64_t n);
typedef double (*dtx_f64dot_fn) (const double *a, const double *b, int64_t n);

typedef void (*dtx_f32dot3_fn) (const float *a, const float *b, int64_t n,
								double *ab, double *aa, double *bb);

extern dtx_f32dot_fn dtx_f32dot;
/* a.b, a.a and b.b in one pass (cosine), each summed in double */
extern dtx_f32dot3_fn dtx_f32dot3;
extern dtx_f64dot_fn dtx_f64dot;

/* choose the loops for this CPU; called by every kernel entry (cheap) */
void		dtx_simd_init(void);

/* "avx512", "avx2" or "generic": what dtx_simd_init chose */
const char *dtx_simd_name(void);

/* tests: force the plain C loops (1) or the CPU's best (0) */
void		dtx_simd_force_generic(int on);

#endif
