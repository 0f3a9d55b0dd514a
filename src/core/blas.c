/*
 * blas.c: lazy loading of OpenBLAS (see blas.h).
 */
#include "blas.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DOTEXT_OPENBLAS_PATH
#define DOTEXT_OPENBLAS_PATH "libopenblas.so.0"
#endif

static int	tried = 0;
static DtxBlas blas;
static const DtxBlas *loaded = NULL;
static char info[256] = "not loaded yet";
static void *handle = NULL;

/*
 * Debian's OpenBLAS 0.3.21 does not know Zen 4/5 and falls back to its
 * Haswell (AVX2) kernels on them; its SkylakeX (AVX-512) kernels run
 * sgemm markedly faster there (measured figures in README, "BLAS").  When
 * the CPU has the AVX-512 subsets those kernels use and the user chose no
 * core type, dotext asks for SkylakeX.
 */
static void
choose_coretype(void)
{
	if (getenv("OPENBLAS_CORETYPE") != NULL)
		return;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
		__builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
		setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
#endif
}

static void
load(void)
{
	const char *(*corename) (void);
	const char *paths[] = {DOTEXT_OPENBLAS_PATH, "libopenblas.so.0", "libopenblas.so"};

	tried = 1;
	if (getenv("DOTEXT_NO_BLAS") && strcmp(getenv("DOTEXT_NO_BLAS"), "0") != 0)
	{
		snprintf(info, sizeof(info), "not loaded: DOTEXT_NO_BLAS is set");
		return;
	}
	/* one thread: a database runs many backends, each on its own core */
	setenv("OPENBLAS_NUM_THREADS", "1", 0);
	choose_coretype();
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !handle; i++)
		handle = dlopen(paths[i], RTLD_NOW | RTLD_LOCAL);
	if (!handle)
	{
		snprintf(info, sizeof(info), "not loaded: %s", dlerror());
		return;
	}
	blas.sgemm = (dtx_sgemm_fn) dlsym(handle, "cblas_sgemm");
	blas.dgemm = (dtx_dgemm_fn) dlsym(handle, "cblas_dgemm");
	corename = (const char *(*) (void)) dlsym(handle, "openblas_get_corename");
	if (!blas.sgemm || !blas.dgemm)
	{
		snprintf(info, sizeof(info), "not loaded: cblas_sgemm/cblas_dgemm missing");
		return;
	}
	loaded = &blas;
	snprintf(info, sizeof(info), "OpenBLAS, core %s, OPENBLAS_NUM_THREADS=%s",
			 corename ? corename() : "unknown", getenv("OPENBLAS_NUM_THREADS"));
}

const DtxBlas *
dtx_blas(void)
{
	if (!tried)
		load();
	return loaded;
}

const char *
dtx_blas_info(void)
{
	dtx_blas();
	return info;
}

void
dtx_blas_reset(void)
{
	tried = 0;
	loaded = NULL;
	if (handle == NULL)
		return;
	/* keep the handle: unloading OpenBLAS while its threads live is unsafe */
	if (!(getenv("DOTEXT_NO_BLAS") && strcmp(getenv("DOTEXT_NO_BLAS"), "0") != 0))
	{
		tried = 1;
		loaded = &blas;
	}
	else
	{
		tried = 1;
		snprintf(info, sizeof(info), "not loaded: DOTEXT_NO_BLAS is set");
	}
}
