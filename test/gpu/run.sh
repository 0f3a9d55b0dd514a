#!/usr/bin/env bash
# On a machine with an NVIDIA GPU, nvcc and cuBLAS (no PostgreSQL needed):
# builds cuda/ and the harness, checks every GPU entry point against the
# CPU kernels, then times them.  Writes its log to $OUT/gpu.log when OUT is set.
set -uo pipefail
cd "$(dirname "$0")/../.."
log=${OUT:-/tmp}/gpu.log
{
	nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1
	make -C cuda && make -C test/gpu && test/gpu/build/harness cuda/libdotext_cuda.so --time
	echo "harness exit status: $?"
} 2>&1 | tee "$log"
