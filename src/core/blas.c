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
static void (*set_threads) (int) = NULL;
static int	(*get_threads) (void) = NULL;
static int	want_threads = 1;
static int	applied_threads = 0;	/* 0: apply at first use */

/*
 * The core type dotext asks OpenBLAS for.  Debian's OpenBLAS 0.3.21 has no
 * Zen 4/5 entry; on this project's machines an inherited
 * OPENBLAS_CORETYPE=Haswell (set machine-wide there) selects AVX2 kernels.
 * Its SkylakeX (AVX-512) kernels run sgemm 1.75x faster on Zen 5 and no
 * slower on Zen 4, whose AVX-512 units are 256 bits wide (README, "BLAS").
 * So when the CPU has the AVX-512 subsets those kernels use, dotext asks
 * for SkylakeX for its own copy of the library, whatever the process
 * inherited; DOTEXT_OPENBLAS_CORETYPE overrides the choice (an
 * empty value lets OpenBLAS decide).  Returns NULL to leave things alone.
 */
static const char *
choose_coretype(void)
{
	const char *mine = getenv("DOTEXT_OPENBLAS_CORETYPE");

	if (mine != NULL)
		return *mine ? mine : NULL;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
		__builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
		return "SkylakeX";
#endif
	return NULL;
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
	{
		/* OpenBLAS reads the core type while it loads; put back what we found */
		const char *core = choose_coretype();
		char	   *saved = getenv("OPENBLAS_CORETYPE") ? strdup(getenv("OPENBLAS_CORETYPE")) : NULL;

		if (core)
			setenv("OPENBLAS_CORETYPE", core, 1);
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !handle; i++)
			handle = dlopen(paths[i], RTLD_NOW | RTLD_LOCAL);
		if (saved)
			setenv("OPENBLAS_CORETYPE", saved, 1);
		else if (core)
			unsetenv("OPENBLAS_CORETYPE");
		free(saved);
	}
	if (!handle)
	{
		snprintf(info, sizeof(info), "not loaded: %s", dlerror());
		return;
	}
	blas.sgemm = (dtx_sgemm_fn) dlsym(handle, "cblas_sgemm");
	blas.dgemm = (dtx_dgemm_fn) dlsym(handle, "cblas_dgemm");
	corename = (const char *(*) (void)) dlsym(handle, "openblas_get_corename");
	set_threads = (void (*) (int)) dlsym(handle, "openblas_set_num_threads");
	get_threads = (int (*) (void)) dlsym(handle, "openblas_get_num_threads");
	if (!blas.sgemm || !blas.dgemm)
	{
		snprintf(info, sizeof(info), "not loaded: cblas_sgemm/cblas_dgemm missing");
		return;
	}
	loaded = &blas;
	snprintf(info, sizeof(info), "OpenBLAS, core %s",
			 corename ? corename() : "unknown");
}

const DtxBlas *
dtx_blas(void)
{
	if (!tried)
		load();
	/* OpenBLAS grows its pool on demand (it starts with OPENBLAS_NUM_THREADS) */
	if (loaded && want_threads != applied_threads && set_threads)
	{
		set_threads(want_threads);
		applied_threads = want_threads;
	}
	return loaded;
}

void
dtx_blas_set_threads(int n)
{
	want_threads = n < 1 ? 1 : n;
}

const char *
dtx_blas_info(void)
{
	static char line[sizeof(info) + 32];
	int			n;

	if (dtx_blas() == NULL)
		return info;
	/* what the library says, not what was asked */
	n = get_threads ? get_threads() : applied_threads;
	snprintf(line, sizeof(line), "%s, %d thread%s", info, n, n == 1 ? "" : "s");
	return line;
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
