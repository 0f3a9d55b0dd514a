#!/usr/bin/env bash
# dotext.so links neither CUDA nor cuBLAS nor OpenBLAS: all are opened at
# run time in a backend, so the extension loads on machines without them.
set -uo pipefail
n=0
ok() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
lib=$(pg_config --pkglibdir)/dotext.so
ok "dotext.so is installed" "[ -f '$lib' ]"
ok "ldd dotext.so names no libcuda, libcudart, cuBLAS or OpenBLAS" "! ldd '$lib' | grep -qiE 'cuda|cublas|openblas'"
if [ -f "$(pg_config --pkglibdir)/dotext_cuda.so" ]; then
	ok "dotext_cuda.so exports the API table dotext looks up" "nm -D --defined-only '$(pg_config --pkglibdir)/dotext_cuda.so' | grep -q ' T dotext_cuda_api'"
fi
