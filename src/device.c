/*
 * device.c: the GUCs dotext.device, dotext.gpu_min_elements and
 * dotext.blas_threads, and the lazy probe of the GPU library.
 *
 * The library ($libdir/dotext_cuda.so) is opened on the first operation
 * that could use it, in a backend, never in _PG_init or the postmaster: a
 * CUDA context does not survive fork().  The outcome is remembered per
 * process id, so a forked child never trusts its parent's probe.
 */
#include "postgres.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "blas.h"
#include "device.h"

PG_FUNCTION_INFO_V1(dotext_gpu_info);

typedef enum
{
	DEVICE_AUTO,
	DEVICE_CPU,
	DEVICE_GPU
} DeviceSetting;

static const struct config_enum_entry device_options[] = {
	{"auto", DEVICE_AUTO, false},
	{"cpu", DEVICE_CPU, false},
	{"gpu", DEVICE_GPU, false},
	{NULL, 0, false}
};

static int	device_setting = DEVICE_AUTO;
static int	gpu_min_elements = 4 * 1024 * 1024;
static int	blas_threads = 1;

/* records the value only: OpenBLAS is touched in a backend, on its next use */
static void
assign_blas_threads(int newval, void *extra)
{
	dtx_blas_set_threads(newval);
}

/* probe outcome for this process */
static pid_t probed_pid = 0;
static const DotextCudaApi *gpu_api = NULL;
static char gpu_reason[512];

void
dotext_device_define_gucs(void)
{
	long		ncores;

	DefineCustomEnumVariable("dotext.device",
							 "Where dotext runs its operations: auto, cpu or gpu.",
							 "auto offloads work of at least dotext.gpu_min_elements elements "
							 "to a usable GPU and otherwise uses the CPU; gpu raises an error "
							 "when no GPU is usable.",
							 &device_setting, DEVICE_AUTO, device_options,
							 PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("dotext.gpu_min_elements",
							"Smallest operation, in elements, that dotext.device = auto sends to the GPU.",
							"The default is a placeholder: no GPU crossover has been measured yet.",
							&gpu_min_elements, 4 * 1024 * 1024, 1, PG_INT32_MAX,
							PGC_USERSET, 0, NULL, NULL, NULL);
	/*
	 * Any role may set it (a large batch query wants every core), but never
	 * above the cores the machine has: more threads than cores only spin.
	 * sysconf reads a number; nothing is started here.
	 */
	ncores = sysconf(_SC_NPROCESSORS_ONLN);
	DefineCustomIntVariable("dotext.blas_threads",
							"Threads OpenBLAS may use for one matrix product (topk, axis_dot).",
							"One by default: a server runs one backend per core, and idle OpenBLAS "
							"threads spin.  Raise it on a machine that runs few large queries; "
							"the maximum is the number of cores.",
							&blas_threads, 1, 1, (int) Max(1, Min(ncores, 64)),
							PGC_USERSET, 0, NULL, assign_blas_threads, NULL);
}

static void
probe(void)
{
	char		path[MAXPGPATH];
	char		info[256];
	struct stat st;
	void	   *h;
	const DotextCudaApi *(*get) (void);
	const DotextCudaApi *api;

	probed_pid = getpid();
	gpu_api = NULL;
	snprintf(path, sizeof(path), "%s/dotext_cuda.so", pkglib_path);
	/* dlopen, not load_external_function, which ERRORs on a missing file */
	if (stat(path, &st) != 0)
	{
		snprintf(gpu_reason, sizeof(gpu_reason),
				 "the GPU library %s is not installed (dotext was built without nvcc)", path);
		return;
	}
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
	{
		snprintf(gpu_reason, sizeof(gpu_reason), "could not load %s: %s", path, dlerror());
		return;
	}
	get = (const DotextCudaApi *(*) (void)) dlsym(h, "dotext_cuda_api");
	api = get ? get() : NULL;
	if (api == NULL || api->abi_version != DOTEXT_CUDA_ABI)
	{
		snprintf(gpu_reason, sizeof(gpu_reason), "%s is not a matching dotext GPU library", path);
		return;
	}
	if (api->probe(info, sizeof(info)) != DCU_OK)
	{
		snprintf(gpu_reason, sizeof(gpu_reason), "%s", info);
		return;
	}
	snprintf(gpu_reason, sizeof(gpu_reason), "GPU %s", info);
	gpu_api = api;
}

/* a forked child (parallel worker) probes again: CUDA state does not survive fork() */
static void
ensure_probed(void)
{
	if (probed_pid != getpid())
		probe();
}

const DotextCudaApi *
dotext_gpu_for(int64 work_elements)
{
	if (device_setting == DEVICE_CPU)
		return NULL;
	if (device_setting == DEVICE_AUTO && work_elements < gpu_min_elements)
		return NULL;
	ensure_probed();
	if (gpu_api)
		return gpu_api;
	if (device_setting == DEVICE_GPU)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no usable GPU for dotext.device = gpu"),
				 errdetail("%s.", gpu_reason),
				 errhint("Set dotext.device to \"auto\" or \"cpu\".")));
	return NULL;
}

int
dotext_gpu_should_stop(void *arg)
{
	return QueryCancelPending || ProcDiePending;
}

void
dotext_gpu_raise(int status, const char *err)
{
	if (status == DCU_CANCELLED)
	{
		CHECK_FOR_INTERRUPTS();
		ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("canceling statement")));
	}
	if (status == DCU_OOM)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("GPU out of memory"),
				 errdetail("%s", err),
				 errhint("Lower the batch size, or set dotext.device to \"cpu\".")));
	ereport(ERROR,
			(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
			 errmsg("GPU operation failed"),
			 errdetail("%s", err)));
}

Datum
dotext_gpu_info(PG_FUNCTION_ARGS)
{
	ensure_probed();
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("dotext.device = %s; %s",
											  device_options[device_setting].name,
											  gpu_reason)));
}
