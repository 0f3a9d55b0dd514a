#!/usr/bin/env bash
# Parallel query benchmark: the same ranking queries with 0 and with 2
# parallel workers (parallel_setup_cost, parallel_tuple_cost and
# min_parallel_table_scan_size set to 0, so the parallel plan is taken),
# checking that the plans are parallel and the results equal.
#
#   bash test/bench/parallel_bench.sh [--size 100k768|1m128] [--runs N]
#
# Deterministic data (test/bench/gen_data.c, the same as rank_bench.sh),
# a throwaway cluster with shared_buffers large enough to hold the table,
# JIT off; each query runs once to warm up, then --runs times with 0 and
# with 2 workers in turn; the table shows medians and the machine's load.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=1m128 runs=7
while [ $# -gt 0 ]; do
	case "$1" in
		--size) size=$2; shift 2 ;;
		--runs) runs=$2; shift 2 ;;
		*) echo "unknown argument $1" >&2; exit 2 ;;
	esac
done
case "$size" in
	100k768) rows=100000 dim=768 ;;
	1m128) rows=1000000 dim=128 ;;
	*) echo "--size must be 100k768 or 1m128" >&2; exit 2 ;;
esac
make -s -C test/bench build/gen_data
gen=test/bench/build/gen_data

. test/pgcluster.sh
PG_SHARED_BUFFERS=${BENCH_SHARED_BUFFERS:-2GB} pg_start
P() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
P <<'SQL'
CREATE EXTENSION dotext;
CREATE TABLE t (id bigint, emb tensor);
CREATE TABLE queries (q tensor);
CREATE TABLE one_query (q tensor);
-- median ms of n runs of q with w workers, alternating with the other
-- setting run by run so that both see the same load
CREATE FUNCTION bench2(q text, n int, OUT ms0 float8, OUT ms2 float8) LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; a float8[] := '{}'; b float8[] := '{}';
BEGIN
	PERFORM set_config('parallel_setup_cost', '0', true);
	PERFORM set_config('parallel_tuple_cost', '0', true);
	PERFORM set_config('min_parallel_table_scan_size', '0', true);
	EXECUTE q;                                                 -- warm-up
	FOR i IN 1..n LOOP
		PERFORM set_config('max_parallel_workers_per_gather', '0', true);
		t0 := clock_timestamp();
		EXECUTE q;
		a := a || extract(epoch FROM clock_timestamp() - t0) * 1000;
		PERFORM set_config('max_parallel_workers_per_gather', '2', true);
		t0 := clock_timestamp();
		EXECUTE q;
		b := b || extract(epoch FROM clock_timestamp() - t0) * 1000;
	END LOOP;
	ms0 := (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(a) x);
	ms2 := (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(b) x);
END $$;
SQL
$gen $rows $dim 1 tensor | P -c "COPY t FROM STDIN (FORMAT binary)"
$gen 100 $dim 2 query | P -c "COPY queries FROM STDIN (FORMAT binary)"
$gen 1 $dim 2 query | P -c "COPY one_query FROM STDIN (FORMAT binary)"
P -c "UPDATE one_query SET q = flatten(q)" -c "VACUUM ANALYZE"
q=$(psql -XAtc "SELECT q::text FROM one_query")

force="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
declare -a names sqls
names+=("per-row ORDER BY emb <#> q LIMIT 10") sqls+=("SELECT id FROM t ORDER BY emb <#> '$q', id LIMIT 10")
names+=("topk(emb, id, q, 10), one query") sqls+=("SELECT topk(emb, id, '$q', 10) FROM t")
names+=("topk(emb, id, Q, 10), 100 queries") sqls+=("SELECT topk(emb, id, (SELECT q FROM queries), 10) FROM t")

echo "dotext parallel query: $rows x $dim float32, median of $runs runs (ms), 0 against 2 workers"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
fam=$(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ') model=$(grep -m1 '^model[[:space:]]' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
simd=$(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || (grep -qw avx2 /proc/cpuinfo && echo AVX2 || echo SSE))
echo "machine: $(nproc) cores, $cpu (family $fam model $model, $simd), $(psql -XAtc 'SELECT version()' | cut -d, -f1), jit off"
echo "table t: $(psql -XAtc "SELECT pg_size_pretty(pg_table_size('t'))"); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-40s | %9s | %9s | %7s | %s |\n' query "0 workers" "2 workers" speedup "plan, result"
printf '| %-40s | %9s | %9s | %7s | %s |\n' --- ---: ---: ---: ---
for i in "${!names[@]}"; do
	sql=${sqls[$i]}
	plan=$(psql -XAt -c "$force SET max_parallel_workers_per_gather = 2;" -c "EXPLAIN (COSTS OFF) $sql")
	shape=$(echo "$plan" | grep -oE 'Gather Merge|Partial Aggregate' | sort -u | paste -sd+ -)
	same=$(psql -qXAt -c "$force" -c "CREATE TEMP TABLE a AS $sql" -c "SET max_parallel_workers_per_gather = 2" \
		-c "CREATE TEMP TABLE b AS $sql" \
		-c "SELECT CASE WHEN (SELECT array_agg(a::text) FROM a) = (SELECT array_agg(b::text) FROM b) THEN 'same' ELSE 'DIFFERENT' END")
	read -r ms0 ms2 < <(psql -XAt -F ' ' -c "SELECT round(ms0::numeric, 1), round(ms2::numeric, 1) FROM bench2(\$q\$$sql\$q\$, $runs)")
	printf '| %-40s | %9s | %9s | %6.2fx | %s |\n' "${names[$i]}" "$ms0" "$ms2" "$(echo "$ms0 / $ms2" | bc -l)" "${shape:-serial!}, $same"
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
pg_stop
