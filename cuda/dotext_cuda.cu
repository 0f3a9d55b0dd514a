/*
 * dotext_cuda.cu: GPU kernels behind dotext_cuda.h.
 *
 * Host code catches every exception and turns every CUDA/cuBLAS error into
 * a status: this library runs inside a PostgreSQL backend, where an
 * exception or abort would take the server down.  Nothing runs at load
 * time; CUDA starts in probe().
 */
#include <cstdio>
#include <cstring>
#include <new>

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "dotext_cuda.h"

namespace
{

bool		started = false;
int			start_status = DCU_NO_DEVICE;
/* room for the device name (cudaDeviceProp::name, 256 bytes) and the rest */
char		start_info[512] = "CUDA not started";
cublasHandle_t blas = nullptr;
size_t		chunk_knob = 0;

int
fail(char *err, size_t errlen, int status, const char *what, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", what, why);
	return status;
}

int
cuda_fail(char *err, size_t errlen, const char *what, cudaError_t e)
{
	cudaGetLastError();			/* clear a sticky-free error so the next call can run */
	return fail(err, errlen, e == cudaErrorMemoryAllocation ? DCU_OOM : DCU_CUDA_ERROR,
				what, cudaGetErrorString(e));
}

#define CU(call, what) do { cudaError_t e_ = (call); if (e_ != cudaSuccess) return cuda_fail(err, errlen, what, e_); } while (0)
#define CB(call, what) do { cublasStatus_t s_ = (call); if (s_ != CUBLAS_STATUS_SUCCESS) \
	return fail(err, errlen, s_ == CUBLAS_STATUS_ALLOC_FAILED ? DCU_OOM : DCU_CUDA_ERROR, what, "cuBLAS error"); } while (0)

/* device buffers freed on every return path */
struct DevBuf
{
	void	   *p = nullptr;
	~DevBuf() { if (p) cudaFree(p); }
	cudaError_t alloc(size_t n) { return cudaMalloc(&p, n ? n : 1); }
};

/* bytes one chunk may hold on the device: free memory, less a margin */
size_t
budget(void)
{
	size_t		fr = 0,
				total = 0;

	if (cudaMemGetInfo(&fr, &total) != cudaSuccess)
		return 0;
	fr = fr / 10 * 8;
	return chunk_knob && chunk_knob < fr ? chunk_knob : fr;
}

template <typename T>
__device__ double
warp_dot(const T *a, const T *b, int64_t n, int lane)
{
	double		s = 0;

	for (int64_t i = lane; i < n; i += 32)
		s += (double) a[i] * (double) b[i];
	for (int o = 16; o > 0; o >>= 1)
		s += __shfl_down_sync(0xffffffffu, s, o);
	return s;
}

/* as the CPU kernels: rounding may take a cosine a hair past 1; NaN stays NaN */
__device__ static inline double
clamp_unit(double v)
{
	return v > 1.0 ? 1.0 : v < -1.0 ? -1.0 : v;
}

/* one warp per output row; offsets from the broadcast spec, relative to the rows copied */
template <typename T>
__global__ void
rows_kernel(DtxRowSpec spec, const T *a, int64_t a_row0, const T *b, int64_t b_row0,
			T *out_same, double *out_f64, float *out_f32, int64_t row0, int64_t nrows, int cosine)
{
	int64_t		w = ((int64_t) blockIdx.x * blockDim.x + threadIdx.x) / 32;
	int			lane = threadIdx.x % 32;

	if (w >= nrows)
		return;
	int64_t		r = row0 + w,
				ao = 0,
				bo = 0;

	for (int k = spec.nlead - 1; k >= 0; k--)
	{
		int64_t		idx = r % spec.out_dims[k];

		r /= spec.out_dims[k];
		ao += idx * spec.a_stride[k];
		bo += idx * spec.b_stride[k];
	}
	const T    *pa = a + (ao - a_row0) * spec.n;
	const T    *pb = b + (bo - b_row0) * spec.n;
	double		ab = warp_dot(pa, pb, spec.n, lane);

	if (cosine)
	{
		double		aa = warp_dot(pa, pa, spec.n, lane);
		double		bb = warp_dot(pb, pb, spec.n, lane);

		if (lane == 0)
		{
			double		c = clamp_unit(ab / (fmax(sqrt(aa), DTX_NORM_EPS) * fmax(sqrt(bb), DTX_NORM_EPS)));

			if (out_f32)
				out_f32[w] = (float) c;
			else
				out_f64[w] = c;
		}
	}
	else if (lane == 0)
		out_same[w] = (T) ab;
}

/* per-block partial dot products, summed on the host in a fixed order (deterministic) */
template <typename T>
__global__ void
dot_kernel(const T *a, const T *b, int64_t n, double *partial)
{
	__shared__ double sh[256];
	double		s = 0;

	for (int64_t i = (int64_t) blockIdx.x * blockDim.x + threadIdx.x; i < n;
		 i += (int64_t) gridDim.x * blockDim.x)
		s += (double) a[i] * (double) b[i];
	sh[threadIdx.x] = s;
	__syncthreads();
	for (int o = blockDim.x / 2; o > 0; o >>= 1)
	{
		if (threadIdx.x < o)
			sh[threadIdx.x] += sh[threadIdx.x + o];
		__syncthreads();
	}
	if (threadIdx.x == 0)
		partial[blockIdx.x] = sh[0];
}

/* Keras normalize: divide out[b,i,p] by max(|x[b,i,:]|,eps) * max(|y[b,:,p]|,eps) */
template <typename T>
__global__ void
normalize_kernel(const T *x, const T *y, T *out, int64_t nb, int64_t M, int64_t K, int64_t P)
{
	int64_t		t = (int64_t) blockIdx.x * blockDim.x + threadIdx.x;

	if (t >= nb * M * P)
		return;
	int64_t		b = t / (M * P),
				i = (t / P) % M,
				p = t % P;
	double		nx = 0,
				ny = 0;

	for (int64_t k = 0; k < K; k++)
	{
		double		xv = x[b * M * K + i * K + k],
					yv = y[b * K * P + k * P + p];

		nx += xv * xv;
		ny += yv * yv;
	}
	out[t] = (T) clamp_unit((double) out[t] / (fmax(sqrt(nx), DTX_NORM_EPS) * fmax(sqrt(ny), DTX_NORM_EPS)));
}

int
ensure_started(char *err, size_t errlen)
{
	if (!started)
	{
		char		buf[256];

		dotext_cuda_api()->probe(buf, sizeof(buf));
	}
	if (start_status != DCU_OK)
		return fail(err, errlen, start_status, "GPU", start_info);
	return DCU_OK;
}

int
probe_impl(char *info, size_t infolen)
{
	if (!started)
	{
		int			n = 0;
		cudaError_t e = cudaGetDeviceCount(&n);
		cudaDeviceProp prop;

		started = true;
		if (e != cudaSuccess || n == 0)
		{
			snprintf(start_info, sizeof(start_info), "no usable CUDA device (%s)",
					 e != cudaSuccess ? cudaGetErrorString(e) : "0 devices");
			start_status = DCU_NO_DEVICE;
		}
		else if ((e = cudaGetDeviceProperties(&prop, 0)) != cudaSuccess)
		{
			snprintf(start_info, sizeof(start_info), "cannot read device 0: %s", cudaGetErrorString(e));
			start_status = DCU_NO_DEVICE;
		}
		else if (cublasCreate(&blas) != CUBLAS_STATUS_SUCCESS)
		{
			snprintf(start_info, sizeof(start_info), "cuBLAS would not start on %s", prop.name);
			start_status = DCU_NO_DEVICE;
		}
		else
		{
			/* no TF32 or other reduced precision behind an sgemm */
			cublasSetMathMode(blas, CUBLAS_PEDANTIC_MATH);
			snprintf(start_info, sizeof(start_info), "%s, compute capability %d.%d, %.1f GiB",
					 prop.name, prop.major, prop.minor, prop.totalGlobalMem / 1073741824.0);
			start_status = DCU_OK;
		}
	}
	if (info && infolen)
		snprintf(info, infolen, "%s", start_info);
	return start_status;
}

template <typename T>
int
dot_impl(const T *a, const T *b, int64_t n, double *out, char *err, size_t errlen)
{
	const int	blocks = 1024;
	size_t		cap = budget() / (2 * sizeof(T));
	double		host[blocks],
				total = 0;
	DevBuf		da,
				db,
				dp;

	if (cap == 0)
		return fail(err, errlen, DCU_OOM, "dot", "no free device memory");
	int64_t		step = n < (int64_t) cap ? (n ? n : 1) : (int64_t) cap;

	CU(da.alloc(step * sizeof(T)), "dot: allocating");
	CU(db.alloc(step * sizeof(T)), "dot: allocating");
	CU(dp.alloc(sizeof(host)), "dot: allocating");
	for (int64_t i0 = 0; i0 < n; i0 += step)
	{
		int64_t		m = n - i0 < step ? n - i0 : step;

		CU(cudaMemcpy(da.p, a + i0, m * sizeof(T), cudaMemcpyHostToDevice), "dot: copy in");
		CU(cudaMemcpy(db.p, b + i0, m * sizeof(T), cudaMemcpyHostToDevice), "dot: copy in");
		dot_kernel<T><<<blocks, 256>>>((const T *) da.p, (const T *) db.p, m, (double *) dp.p);
		CU(cudaGetLastError(), "dot: kernel");
		CU(cudaMemcpy(host, dp.p, sizeof(host), cudaMemcpyDeviceToHost), "dot: copy out");
		for (int k = 0; k < blocks; k++)
			total += host[k];
	}
	*out = total;
	return DCU_OK;
}

template <typename T>
int
rows_impl(const DtxRowSpec *spec, const T *a, int64_t a_rows, const T *b, int64_t b_rows,
		  void *out, int cosine, dcu_should_stop stop, void *arg, char *err, size_t errlen)
{
	int64_t		nrows = 1,
				n = spec->n;
	size_t		osz = cosine && sizeof(T) == 4 ? 4 : cosine ? 8 : sizeof(T);
	size_t		cap = budget();
	DevBuf		da,
				db,
				dout;

	for (int k = 0; k < spec->nlead; k++)
		nrows *= spec->out_dims[k];
	if (nrows == 0)
		return DCU_OK;
	size_t		whole = (a_rows + b_rows) * n * sizeof(T) + nrows * osz;
	int64_t		step = nrows;
	bool		sliced = false;

	if (whole > cap)
	{
		/* chunk output rows when each operand is one row repeated or walked row by row */
		if (spec->nlead != 1 || spec->a_stride[0] > 1 || spec->b_stride[0] > 1)
			return fail(err, errlen, DCU_OOM, "rowdot", "inputs exceed free device memory and this broadcast cannot be chunked");
		size_t		fixed = (spec->a_stride[0] == 0 ? n * sizeof(T) : 0) +
			(spec->b_stride[0] == 0 ? n * sizeof(T) : 0);
		size_t		per_row = (spec->a_stride[0] ? n * sizeof(T) : 0) +
			(spec->b_stride[0] ? n * sizeof(T) : 0) + osz;

		if (cap <= fixed + per_row)
			return fail(err, errlen, DCU_OOM, "rowdot", "one row exceeds free device memory");
		step = (int64_t) ((cap - fixed) / per_row);
		sliced = true;
	}
	int64_t		a_take = sliced && spec->a_stride[0] ? step : a_rows;
	int64_t		b_take = sliced && spec->b_stride[0] ? step : b_rows;

	CU(da.alloc(a_take * n * sizeof(T)), "rowdot: allocating");
	CU(db.alloc(b_take * n * sizeof(T)), "rowdot: allocating");
	CU(dout.alloc(step * osz), "rowdot: allocating");
	if (!sliced || !spec->a_stride[0])
		CU(cudaMemcpy(da.p, a, a_rows * n * sizeof(T), cudaMemcpyHostToDevice), "rowdot: copy in");
	if (!sliced || !spec->b_stride[0])
		CU(cudaMemcpy(db.p, b, b_rows * n * sizeof(T), cudaMemcpyHostToDevice), "rowdot: copy in");
	for (int64_t r0 = 0; r0 < nrows; r0 += step)
	{
		int64_t		m = nrows - r0 < step ? nrows - r0 : step;
		int64_t		a0 = sliced && spec->a_stride[0] ? r0 : 0;
		int64_t		b0 = sliced && spec->b_stride[0] ? r0 : 0;

		if (r0 > 0 && stop && stop(arg))
			return fail(err, errlen, DCU_CANCELLED, "rowdot", "cancelled");
		if (sliced && spec->a_stride[0])
			CU(cudaMemcpy(da.p, a + a0 * n, m * n * sizeof(T), cudaMemcpyHostToDevice), "rowdot: copy in");
		if (sliced && spec->b_stride[0])
			CU(cudaMemcpy(db.p, b + b0 * n, m * n * sizeof(T), cudaMemcpyHostToDevice), "rowdot: copy in");
		int64_t		threads = m * 32;

		rows_kernel<T><<<(unsigned) ((threads + 255) / 256), 256>>>(
			*spec, (const T *) da.p, a0, (const T *) db.p, b0, (T *) dout.p,
			(double *) dout.p, cosine && sizeof(T) == 4 ? (float *) dout.p : nullptr, r0, m, cosine);
		CU(cudaGetLastError(), "rowdot: kernel");
		CU(cudaMemcpy((char *) out + r0 * osz, dout.p, m * osz, cudaMemcpyDeviceToHost), "rowdot: copy out");
	}
	return DCU_OK;
}

template <typename T>
int
matmul_impl(int64_t B, int64_t M, int64_t K, int64_t P, const T *x, const T *y, T *out,
			int normalized, dcu_should_stop stop, void *arg, char *err, size_t errlen)
{
	size_t		per = (M * K + K * P + M * P) * sizeof(T);
	size_t		cap = budget();
	DevBuf		dx,
				dy,
				dout;

	if (B == 0 || M == 0 || P == 0)
		return DCU_OK;
	if (per > cap)
		return fail(err, errlen, DCU_OOM, "axis_dot", "one sample's product exceeds free device memory");
	int64_t		step = (int64_t) (cap / per);

	step = step < B ? step : B;
	CU(dx.alloc(step * M * K * sizeof(T)), "axis_dot: allocating");
	CU(dy.alloc(step * K * P * sizeof(T)), "axis_dot: allocating");
	CU(dout.alloc(step * M * P * sizeof(T)), "axis_dot: allocating");
	for (int64_t b0 = 0; b0 < B; b0 += step)
	{
		int64_t		nb = B - b0 < step ? B - b0 : step;
		const T		one = 1,
					zero = 0;

		if (b0 > 0 && stop && stop(arg))
			return fail(err, errlen, DCU_CANCELLED, "axis_dot", "cancelled");
		CU(cudaMemcpy(dx.p, x + b0 * M * K, nb * M * K * sizeof(T), cudaMemcpyHostToDevice), "axis_dot: copy in");
		CU(cudaMemcpy(dy.p, y + b0 * K * P, nb * K * P * sizeof(T), cudaMemcpyHostToDevice), "axis_dot: copy in");
		if (K == 0)
			CU(cudaMemset(dout.p, 0, nb * M * P * sizeof(T)), "axis_dot: zeroing");
		/* row-major out = x @ y is column-major out^T = y^T @ x^T */
		else if (sizeof(T) == 4)
			CB(cublasSgemmStridedBatched(blas, CUBLAS_OP_N, CUBLAS_OP_N, (int) P, (int) M, (int) K,
										 (const float *) &one, (const float *) dy.p, (int) P, K * P,
										 (const float *) dx.p, (int) K, M * K,
										 (const float *) &zero, (float *) dout.p, (int) P, M * P, (int) nb),
			   "axis_dot: cublasSgemmStridedBatched");
		else
			CB(cublasDgemmStridedBatched(blas, CUBLAS_OP_N, CUBLAS_OP_N, (int) P, (int) M, (int) K,
										 (const double *) &one, (const double *) dy.p, (int) P, K * P,
										 (const double *) dx.p, (int) K, M * K,
										 (const double *) &zero, (double *) dout.p, (int) P, M * P, (int) nb),
			   "axis_dot: cublasDgemmStridedBatched");
		if (normalized)
		{
			int64_t		t = nb * M * P;

			normalize_kernel<T><<<(unsigned) ((t + 255) / 256), 256>>>(
				(const T *) dx.p, (const T *) dy.p, (T *) dout.p, nb, M, K, P);
			CU(cudaGetLastError(), "axis_dot: normalize kernel");
		}
		CU(cudaMemcpy(out + b0 * M * P, dout.p, nb * M * P * sizeof(T), cudaMemcpyDeviceToHost), "axis_dot: copy out");
	}
	return DCU_OK;
}

int
scores_impl(const float *rows, int64_t nrows, const float *q, int64_t nq, int64_t d, float *out,
			dcu_should_stop stop, void *arg, char *err, size_t errlen)
{
	size_t		cap = budget();
	size_t		fixed = nq * d * sizeof(float),
				per_row = (d + nq) * sizeof(float);
	DevBuf		dq,
				dr,
				dout;
	const float one = 1,
				zero = 0;

	if (nrows == 0 || nq == 0)
		return DCU_OK;
	if (cap <= fixed + per_row)
		return fail(err, errlen, DCU_OOM, "scores", "queries exceed free device memory");
	int64_t		step = (int64_t) ((cap - fixed) / per_row);

	step = step < nrows ? step : nrows;
	CU(dq.alloc(fixed), "scores: allocating");
	CU(dr.alloc(step * d * sizeof(float)), "scores: allocating");
	CU(dout.alloc(step * nq * sizeof(float)), "scores: allocating");
	CU(cudaMemcpy(dq.p, q, fixed, cudaMemcpyHostToDevice), "scores: copy in");
	for (int64_t r0 = 0; r0 < nrows; r0 += step)
	{
		int64_t		m = nrows - r0 < step ? nrows - r0 : step;

		if (r0 > 0 && stop && stop(arg))
			return fail(err, errlen, DCU_CANCELLED, "scores", "cancelled");
		CU(cudaMemcpy(dr.p, rows + r0 * d, m * d * sizeof(float), cudaMemcpyHostToDevice), "scores: copy in");
		/* column-major (m x nq) = rows^T-view op T  @  queries view: row-major (nq x m) */
		CB(cublasSgemm(blas, CUBLAS_OP_T, CUBLAS_OP_N, (int) m, (int) nq, (int) d, &one,
					   (const float *) dr.p, (int) d, (const float *) dq.p, (int) d, &zero,
					   (float *) dout.p, (int) m), "scores: cublasSgemm");
		/* out is nq x nrows row-major: copy each query's m scores into place */
		CU(cudaMemcpy2D(out + r0, nrows * sizeof(float), dout.p, m * sizeof(float),
						m * sizeof(float), nq, cudaMemcpyDeviceToHost), "scores: copy out");
	}
	return DCU_OK;
}

/* C entry points: nothing may escape them */
#define GUARD(body) \
	try { body } \
	catch (const std::bad_alloc &) { return fail(err, errlen, DCU_OOM, "host", "out of memory"); } \
	catch (...) { return fail(err, errlen, DCU_CUDA_ERROR, "host", "unexpected exception"); }

int
e_probe(char *info, size_t infolen)
{
	try
	{
		return probe_impl(info, infolen);
	}
	catch (...)
	{
		return DCU_NO_DEVICE;
	}
}

void
e_set_chunk_bytes(size_t bytes)
{
	chunk_knob = bytes;
}

int
e_dot(int dtype, const void *a, const void *b, int64_t n, double *out, char *err, size_t errlen)
{
	GUARD(
		int st = ensure_started(err, errlen);
		if (st != DCU_OK) return st;
		if (dtype == DTX_FLOAT32) return dot_impl((const float *) a, (const float *) b, n, out, err, errlen);
		if (dtype == DTX_FLOAT64) return dot_impl((const double *) a, (const double *) b, n, out, err, errlen);
		return fail(err, errlen, DCU_BAD_ARG, "dot", "only float32 and float64 run on the GPU");
	)
}

int
e_rowdot(int dtype, const DtxRowSpec *spec, const void *a, int64_t a_rows, const void *b,
		 int64_t b_rows, void *out, int cosine, dcu_should_stop stop, void *arg, char *err, size_t errlen)
{
	GUARD(
		int st = ensure_started(err, errlen);
		if (st != DCU_OK) return st;
		if (dtype == DTX_FLOAT32)
			return rows_impl(spec, (const float *) a, a_rows, (const float *) b, b_rows, out, cosine, stop, arg, err, errlen);
		if (dtype == DTX_FLOAT64)
			return rows_impl(spec, (const double *) a, a_rows, (const double *) b, b_rows, out, cosine, stop, arg, err, errlen);
		return fail(err, errlen, DCU_BAD_ARG, "rowdot", "only float32 and float64 run on the GPU");
	)
}

int
e_batch_matmul(int dtype, int64_t B, int64_t M, int64_t K, int64_t P, const void *x,
			   const void *y, void *out, int normalized, dcu_should_stop stop, void *arg,
			   char *err, size_t errlen)
{
	GUARD(
		int st = ensure_started(err, errlen);
		if (st != DCU_OK) return st;
		if (dtype == DTX_FLOAT32)
			return matmul_impl(B, M, K, P, (const float *) x, (const float *) y, (float *) out, normalized, stop, arg, err, errlen);
		if (dtype == DTX_FLOAT64)
			return matmul_impl(B, M, K, P, (const double *) x, (const double *) y, (double *) out, normalized, stop, arg, err, errlen);
		return fail(err, errlen, DCU_BAD_ARG, "axis_dot", "only float32 and float64 run on the GPU");
	)
}

int
e_scores(const float *rows, int64_t nrows, const float *q, int64_t nq, int64_t d, float *out,
		 dcu_should_stop stop, void *arg, char *err, size_t errlen)
{
	GUARD(
		int st = ensure_started(err, errlen);
		if (st != DCU_OK) return st;
		return scores_impl(rows, nrows, q, nq, d, out, stop, arg, err, errlen);
	)
}

const DotextCudaApi api = {
	DOTEXT_CUDA_ABI, e_probe, e_set_chunk_bytes, e_dot, e_rowdot, e_batch_matmul, e_scores
};

}								/* namespace */

extern "C" const DotextCudaApi *
dotext_cuda_api(void)
{
	return &api;
}
