#!/usr/bin/env bash
# The whole dotext test suite: builds and installs the extension, starts a
# throwaway PostgreSQL cluster, runs `make installcheck` (pg_regress), the C
# unit tests, the shell tests in test/sh/, and the short fuzz runs, then
# prints "N passed, M failed".  Run as root or with write access to the
# PostgreSQL install (`make install`).
#   FUZZ_SECONDS=60 (default) per fuzz target; FUZZ_SECONDS=0 skips fuzzing.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
. test/pgcluster.sh

passed=0
failed=0
log=$(mktemp -d /tmp/dotext-test.XXXXXX)
count() { # count TAP / pg_regress lines of a log file
	local p f
	p=$(grep -cE '^ok |\.\.\. ok|^test .* \.\.\. ok' "$1")
	f=$(grep -cE '^not ok |\.\.\. FAILED|\.\.\. failed' "$1")
	passed=$((passed + p)); failed=$((failed + f))
	echo "== $2: $p passed, $f failed"
}

echo "== build and install"
# WERROR=1 (the default here): a compiler warning fails the build; WERROR=0 does not
export WERROR="${WERROR:-1}"
if ! { make -s clean && make -s && make -s install; } >"$log/build.log" 2>&1; then
	cat "$log/build.log"; echo "0 passed, 1 failed"; exit 1
fi

echo "== C unit tests"
make -s unittest >"$log/unit.log" 2>&1 || echo "not ok - unit test run exited nonzero" >>"$log/unit.log"
grep -E '^not ok|^#' "$log/unit.log" | head -50
count "$log/unit.log" "unit"

pg_start || { echo "0 passed, 1 failed"; exit 1; }
echo "== pg_regress (server on port $PGPORT)"
# pg_regress that never connects prints no test line and exits nonzero:
# both count as a failure, not as "0 passed, 0 failed"
make -s installcheck >"$log/regress.log" 2>&1 \
	|| echo "not ok - make installcheck exited nonzero" >>"$log/regress.log"
grep -qE '^(ok|not ok|test) .*\.\.\.|\.\.\. (ok|FAILED|failed)' "$log/regress.log" \
	|| echo "not ok - make installcheck ran no test" >>"$log/regress.log"
cat "$log/regress.log" | grep -vE '^(echo|\+\+|=)' | head -80
[ -f regression.diffs ] && head -200 regression.diffs
count "$log/regress.log" "regress"

for t in test/sh/*.sh; do
	[ -e "$t" ] || continue
	echo "== $t"
	bash "$t" >"$log/sh.log" 2>&1 || echo "not ok - $t exited nonzero" >>"$log/sh.log"
	grep -E '^(not ok|ok|#)' "$log/sh.log"
	count "$log/sh.log" "$(basename "$t")"
done

if [ "${FUZZ_SECONDS:-60}" != 0 ] && [ -f test/fuzz/Makefile ]; then
	echo "== fuzz (${FUZZ_SECONDS:-60} s per target)"
	make -s -C test/fuzz run SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}" >"$log/fuzz.log" 2>&1 \
		|| echo "not ok - fuzz run exited nonzero" >>"$log/fuzz.log"
	grep -E '^(not ok|ok|#)' "$log/fuzz.log"
	count "$log/fuzz.log" "fuzz"
fi

pg_stop
rm -rf "$log"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
