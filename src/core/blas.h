/*
 * blas.h: OpenBLAS, opened at run time on first use.
 *
 * dotext.so does not link libopenblas: the library's constructor would run
 * wherever dotext.so is loaded, the postmaster included (shared_preload_
 * libraries), and its thread pool does not survive fork().  Instead the
 * first kernel that wants BLAS, in a backend, sets OPENBLAS_NUM_THREADS=1
 * (unless the user set it), picks the core type (see blas.c), then
 * dlopen()s the library, and sets the thread count dtx_blas_set_threads()
 * asked for (dotext.blas_threads, default 1).  Without OpenBLAS every
 * kernel still works on its own SIMD loops.
 */
#ifndef DOTEXT_BLAS_H
#define DOTEXT_BLAS_H

enum
{
	DtxRowMajor = 101,
	DtxNoTrans = 111,
	DtxTrans = 112
};

typedef void (*dtx_sgemm_fn) (int order, int ta, int tb, int m, int n, int k,
							  float alpha, const float *a, int lda,
							  const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*dtx_dgemm_fn) (int order, int ta, int tb, int m, int n, int k,
							  double alpha, const double *a, int lda,
							  const double *b, int ldb, double beta, double *c, int ldc);

typedef struct DtxBlas
{
	dtx_sgemm_fn sgemm;
	dtx_dgemm_fn dgemm;
} DtxBlas;

/* the loaded library, or NULL (not found, or DOTEXT_NO_BLAS=1) */
const DtxBlas *dtx_blas(void);

/* one line for humans: what was loaded and how, or why not */
const char *dtx_blas_info(void);

/*
 * Threads OpenBLAS may use from the next dtx_blas() call on (default 1).
 * Only records the wish, so it is safe anywhere, the postmaster included:
 * dtx_blas() applies it, in the process that is about to call BLAS.
 */
void		dtx_blas_set_threads(int n);

/* tests: forget the outcome and decide again (honours DOTEXT_NO_BLAS) */
void		dtx_blas_reset(void);

#endif
