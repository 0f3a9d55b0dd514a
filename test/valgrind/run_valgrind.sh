#!/usr/bin/env bash
# The regression suite against a server run under valgrind memcheck; then
# every error report whose stack passes through dotext.so is printed and
# counted.  Not run by CI (it takes minutes).  Debian's PostgreSQL is not
# built with USE_VALGRIND, so palloc'd chunks are not tracked one by one:
# this catches reads/writes outside malloc'd blocks (large and huge
# allocations, which are malloc'd directly), uses of uninitialised values,
# and invalid frees, not an overrun inside a palloc block.
#   bash test/valgrind/run_valgrind.sh
#   VG_REGRESS="slice" bash test/valgrind/run_valgrind.sh   (a few files)
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/pgcluster.sh
pg_start
pg_stop_keep() { as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true; }
pg_stop_keep
logs="$PG_TMP/vg"
mkdir -p "$logs" && chmod 777 "$logs"
as_owner valgrind --tool=memcheck --trace-children=yes --track-origins=no --read-var-info=no \
	--error-limit=no --num-callers=30 --log-file="$logs/vg.%p" \
	"$PG_BIN/postgres" -D "$PGDATA" >"$PG_TMP/server.log" 2>&1 &
for i in $(seq 1 120); do psql -XAtc "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
make -s installcheck REGRESS="${VG_REGRESS:-dot rowdot axis_dot cosine cast numeric_cast copy shape tensor_io typmod device rank elementwise slice aggregate ordering}" >"$PG_TMP/regress.log" 2>&1
grep -E "^test|tests" "$PG_TMP/regress.log"
pg_stop_keep
sleep 2
total=$(cat "$logs"/vg.* | grep -cE '^==[0-9]+== (Invalid|Conditional|Use of uninit|Mismatched|Source and destination)')
ours=$(awk '/^==[0-9]+== (Invalid|Conditional|Use of uninit|Mismatched|Source and)/{err=$0; keep=0; buf=""} {buf=buf"\n"$0} /dotext\.so|dotext_cuda/{keep=1} /^==[0-9]+== *$/{ if (keep && err != "") { print buf; n++ } err=""; keep=0; buf="" } END{ }' "$logs"/vg.* | tee "$PG_TMP/ours.txt" | grep -cE '(Invalid|Conditional|Use of uninit|Mismatched|Source and)')
echo "valgrind: $(ls "$logs" | wc -l) processes traced, $total error reports in all, $ours with dotext.so on the stack"
[ "$ours" -gt 0 ] && head -100 "$PG_TMP/ours.txt"
grep -h "ERROR SUMMARY" "$logs"/vg.* | awk '{s += $4} END {print "sum of ERROR SUMMARY counts over processes:", s}'
[ "$ours" = 0 ]
