/*
 * dotext_cuda.h: the plain-C interface of libdotext_cuda (installed as
 * $libdir/dotext_cuda.so).  No PostgreSQL headers.  dotext.so never links
 * this library: a backend dlopen()s it on its first GPU use and fetches
 * the table below with dotext_cuda_api().
 *
 * Every entry takes HOST pointers, copies in and out itself, splits work
 * larger than free device memory into chunks, calls should_stop(arg)
 * between chunks (returning DCU_CANCELLED when it says so), and returns a
 * status with a message in err; nothing throws, aborts or exits.
 * Semantics are those of the CPU kernels in src/core/kernels.h.  Integer
 * dtypes are not offered: they stay on the CPU, whose checked loops are
 * exact (DCU_BAD_ARG if asked).
 */
#ifndef DOTEXT_CUDA_H
#define DOTEXT_CUDA_H

#include <stddef.h>
#include <stdint.h>

#include "kernels.h"			/* DtxRowSpec, dtype codes */

#ifdef __cplusplus
extern "C"
{
#endif

#define DOTEXT_CUDA_ABI 1

typedef enum DcuStatus
{
	DCU_OK = 0,
	DCU_NO_DEVICE,				/* no driver, no GPU, or CUDA would not start */
	DCU_OOM,					/* device memory exhausted */
	DCU_CUDA_ERROR,				/* any other CUDA or cuBLAS error */
	DCU_CANCELLED,				/* should_stop said so between chunks */
	DCU_BAD_ARG					/* a dtype or shape this library does not take */
} DcuStatus;

typedef int (*dcu_should_stop) (void *arg);

typedef struct DotextCudaApi
{
	int			abi_version;

	/* start CUDA (first call only) and describe the device, or why there is none */
	int			(*probe) (char *info, size_t infolen);

	/* testing knob: largest device buffer per chunk, 0 for automatic */
	void		(*set_chunk_bytes) (size_t bytes);

	/* float32 accumulates in double; float64 in double */
	int			(*dot) (int dtype, const void *a, const void *b, int64_t n, double *out,
						char *err, size_t errlen);

	/*
	 * rowdot / rowcosine over all output rows; a has a_rows rows and b
	 * b_rows rows of spec->n elements (as the spec's strides address them).
	 */
	int			(*rowdot) (int dtype, const DtxRowSpec *spec, const void *a, int64_t a_rows,
						   const void *b, int64_t b_rows, void *out, int cosine,
						   dcu_should_stop stop, void *arg, char *err, size_t errlen);

	/* x (B,M,K) @ y (B,K,P) -> out (B,M,P) by cuBLAS strided batched GEMM */
	int			(*batch_matmul) (int dtype, int64_t B, int64_t M, int64_t K, int64_t P,
								 const void *x, const void *y, void *out, int normalized,
								 dcu_should_stop stop, void *arg, char *err, size_t errlen);

	/* out (nq x nrows) = queries (nq x d) @ rows^T, float32 */
	int			(*scores_f32) (const float *rows, int64_t nrows, const float *queries,
							   int64_t nq, int64_t d, float *out,
							   dcu_should_stop stop, void *arg, char *err, size_t errlen);
} DotextCudaApi;

const DotextCudaApi *dotext_cuda_api(void);

#ifdef __cplusplus
}
#endif

#endif
