#!/usr/bin/env bash
# Per-row ranking on half-precision columns: the same rows stored as
# float32, float16 and bfloat16 (STORAGE PLAIN), ranked by
# ORDER BY emb <#> q LIMIT 10 and emb <=> q with a float32 query literal
# (what '[0.1,...]' infers), under each SIMD path in turn.
#
#   bash test/bench/half_bench.sh [--size 100k768|1m128|10k768] [--runs N] [--paths "avx512 avx2"]
#
# One throwaway cluster; the server restarts with DOTEXT_SIMD set for each
# path (the variable is read once per backend).  The queries of one path
# run interleaved, --runs rounds after a warm-up round, and the table shows
# the median on-CPU ms of the backend (time spent waiting for a core on a
# shared machine is not the query's) and the wall-clock median beside it.
# Needs dotext installed (make install).
set -euo pipefail
cd "$(dirname "$0")/../.."
size=100k768 runs=7 paths="avx512 avx2"
while [ $# -gt 0 ]; do
	case "$1" in
		--size) size=$2; shift 2 ;;
		--runs) runs=$2; shift 2 ;;
		--paths) paths=$2; shift 2 ;;
		*) echo "unknown argument $1" >&2; exit 2 ;;
	esac
done
case "$size" in
	10k768) rows=10000 dim=768 ;;
	100k768) rows=100000 dim=768 ;;
	1m128) rows=1000000 dim=128 ;;
	*) echo "--size must be 10k768, 100k768 or 1m128" >&2; exit 2 ;;
esac

mkdir -p test/bench/build
make -s -C test/bench build/gen_data
gen=test/bench/build/gen_data
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

. test/pgcluster.sh
pg_start
cat >>"$PGDATA/postgresql.conf" <<CONF
shared_buffers = ${BENCH_SHARED_BUFFERS:-2GB}
max_parallel_workers_per_gather = 0
jit = off
CONF
as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w restart >/dev/null
P() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
P -f test/bench/timing.sql
P <<SQL
CREATE EXTENSION dotext;
CREATE TABLE t32 (id bigint, emb tensor);
CREATE TABLE t16 (id bigint, emb tensor);
CREATE TABLE tbf (id bigint, emb tensor);
ALTER TABLE t32 ALTER COLUMN emb SET STORAGE PLAIN;
ALTER TABLE t16 ALTER COLUMN emb SET STORAGE PLAIN;
ALTER TABLE tbf ALTER COLUMN emb SET STORAGE PLAIN;
CREATE TABLE one_query (q tensor);
SQL
$gen $rows $dim 1 tensor | P -c "COPY t32 FROM STDIN (FORMAT binary)"
$gen 1 $dim 2 query | P -c "COPY one_query FROM STDIN (FORMAT binary)"
P -c "UPDATE one_query SET q = flatten(q)" \
	-c "INSERT INTO t16 SELECT id, emb::tensor(float16) FROM t32" \
	-c "INSERT INTO tbf SELECT id, emb::tensor(bfloat16) FROM t32" \
	-c "VACUUM ANALYZE" >/dev/null
q=$(psql -XAtc "SELECT q::text FROM one_query")
# the float16 column ranks as its float32 copy: same ids in the same order
same=$(psql -XAtc "SELECT (SELECT array_agg(id) FROM (SELECT id FROM t16 ORDER BY emb <#> '$q', id LIMIT 10) s)
	= (SELECT array_agg(id) FROM (SELECT id FROM t16 ORDER BY emb::tensor(float32) <#> '$q', id LIMIT 10) s)")
sizes=$(psql -XAtc "SELECT string_agg(t || ' ' || pg_size_pretty(pg_table_size(t)), ', ' ORDER BY t)
	FROM unnest(ARRAY['t32', 't16', 'tbf']) t")

echo
echo "per-row ranking, $rows x $dim, STORAGE PLAIN, float32 query literal, top 10, median of $runs interleaved rounds"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: $load_before"
echo "tables: $sizes; float16 top 10 equal to its float32 copy's: $same"
echo "ms: the backend's on-CPU median (wall-clock median in parentheses)"
echo
printf "| %-22s | %-3s | %16s | %16s | %16s | %9s |\n" "loops" "op" "float32" "float16" "bfloat16" "f16 / f32"
printf "| %-22s | %-3s | %16s | %16s | %16s | %9s |\n" "---" "---" "---:" "---:" "---:" "---:"
for path in $paths; do
	as_owner env DOTEXT_SIMD="$path" "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w restart >/dev/null
	P -c "SELECT count(emb) FROM t32" -c "SELECT count(emb) FROM t16" -c "SELECT count(emb) FROM tbf" >/dev/null
	simd=$(psql -XAtc "SELECT dotext_simd_info()")
	for op in "<#>" "<=>"; do
		arr="ARRAY[" sep=""
		for t in t32 t16 tbf; do
			arr+="$sep\$q\$SELECT id FROM $t ORDER BY emb $op '$q' LIMIT 10\$q\$"
			sep=","
		done
		arr+="]"
		read -r c32 c16 cbf w32 w16 wbf <<<"$(psql -XAtc "SELECT array_to_string(ARRAY(SELECT round(x::numeric, 1) FROM unnest(bench_many($arr, $runs)) x), ' ')")"
		printf "| %-22s | %-3s | %16s | %16s | %16s | %9s |\n" "$simd" "$op" "$c32 ($w32)" "$c16 ($w16)" "$cbf ($wbf)" \
			"$(awk -v a="$c16" -v b="$c32" 'BEGIN { printf "%.2f", a / b }')"
	done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
