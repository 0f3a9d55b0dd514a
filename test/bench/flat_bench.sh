#!/usr/bin/env bash
# Flat index benchmark: ORDER BY emb <#> q LIMIT 10 through the flat index
# against pgvector's sequential scan (when the server has the `vector`
# extension) and against the memory floor (index bytes / one-core read
# bandwidth, test/bench/membw, same run); 100 queries in one pass with
# flat_search against FAISS IndexFlatIP (when python3-faiss is installed)
# on the same floats and thread count; build time and peak memory.
#
#   bash test/bench/flat_bench.sh [--rows N] [--dim D] [--runs N] [--queries Q] [--no-faiss]
#
# The index, sequential scan and pgvector rows are timed twice: just after
# the load and build, and in a "churned" pool (a restart, then every block
# of the index and both tables read once in shuffled order).
#
# Data: test/bench/gen_data.c, the same floats in every table.  JIT off, no
# parallel workers, shared_buffers 8GB (BENCH_SHARED_BUFFERS) so the index
# stays in shared buffers.  Each query runs once to warm up, then --runs
# times; the table shows medians.  Needs dotext installed (make install).
# The SIMD path is DOTEXT_SIMD's or the CPU's best; PGVECTOR_BUILD describes
# the installed pgvector (e.g. PGVECTOR_BUILD="default, -march=native").
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=100000 dim=768 runs=7 nq=100 faiss=1
while [ $# -gt 0 ]; do
	case "$1" in
		--rows) rows=$2; shift 2 ;;
		--dim) dim=$2; shift 2 ;;
		--runs) runs=$2; shift 2 ;;
		--queries) nq=$2; shift 2 ;;
		--no-faiss) faiss=0; shift ;;   # FAISS holds the rows twice in memory while loading
		*) echo "unknown argument $1" >&2; exit 2 ;;
	esac
done

mkdir -p test/bench/build
make -s -C test/bench build/gen_data build/membw
gen=$PWD/test/bench/build/gen_data

. test/pgcluster.sh
pg_start
cat >>"$PGDATA/postgresql.conf" <<CONF
shared_buffers = ${BENCH_SHARED_BUFFERS:-8GB}
max_parallel_workers_per_gather = 0
max_parallel_maintenance_workers = 0
jit = off
work_mem = 256MB
CONF
as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w restart >/dev/null
P() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
P -f test/bench/timing.sql

has_vector=$(psql -XAtc "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")
P <<SQL
CREATE EXTENSION dotext;
CREATE TABLE t (id bigint, emb tensor(float32));
CREATE TABLE queries (q tensor);
CREATE TABLE one_query (q tensor);
-- medians of the wall time and of this backend's CPU time (schedstat, ns),
-- in ms: the CPU time is what time-slicing on a shared machine leaves alone
CREATE FUNCTION bench(q text, n int) RETURNS float8[] LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz; c0 float8; ms float8[] := '{}'; cpu float8[] := '{}';
BEGIN
	EXECUTE q;                                                 -- warm-up
	FOR i IN 1..n LOOP
		c0 := cpu_ns();
		t0 := clock_timestamp();
		EXECUTE q;
		ms := ms || extract(epoch FROM clock_timestamp() - t0) * 1000;
		cpu := cpu || (cpu_ns() - c0) / 1e6;
	END LOOP;
	RETURN ARRAY[(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(ms) x),
				 (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(cpu) x)];
END \$\$;
SQL
$gen "$rows" "$dim" 1 tensor | P -c "COPY t FROM STDIN (FORMAT binary)"
$gen "$nq" "$dim" 2 query | P -c "COPY queries FROM STDIN (FORMAT binary)"
$gen 1 "$dim" 2 query | P -c "COPY one_query FROM STDIN (FORMAT binary)"
P -c "UPDATE one_query SET q = flatten(q)"
if [ "$has_vector" = 1 ]; then
	P -c "CREATE EXTENSION vector" -c "CREATE TABLE v_plain (id bigint, emb vector($dim))" \
		-c "ALTER TABLE v_plain ALTER COLUMN emb SET STORAGE PLAIN"
	$gen "$rows" "$dim" 1 vector | P -c "COPY v_plain FROM STDIN (FORMAT binary)"
fi
P -c "VACUUM ANALYZE" >/dev/null

# the build, in one session: its time and the backend's peak resident set
# (VmHWM counts the shared buffers it touched; RssAnon is its private memory)
build=$(psql -XAt -v ON_ERROR_STOP=1 <<'SQL'
SELECT clock_timestamp() AS t0 \gset
CREATE INDEX t_flat ON t USING flat (emb);
SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1000),
       (regexp_match(s, 'VmHWM:\s+(\d+)'))[1]::bigint / 1024,
       (regexp_match(s, 'RssAnon:\s+(\d+)'))[1]::bigint / 1024
FROM pg_read_file('/proc/self/status') s;
SQL
)
IFS='|' read -r build_ms build_hwm build_anon <<<"$(echo "$build" | tail -1)"
P -c "ANALYZE t"

q=$(psql -XAtc "SELECT q::text FROM one_query")
qv=$(psql -XAtc "SELECT tensor_to_float4(q)::text FROM one_query" | tr '{}' '[]')
# "wall cpu" medians in ms
median() { psql -XAtc "SELECT round(b[1]::numeric, 1) || ' ' || round(b[2]::numeric, 1) FROM bench(\$q\$$1\$q\$, $runs) b"; }
plan=$(psql -XAtc "EXPLAIN (COSTS OFF) SELECT id FROM t ORDER BY emb <#> '$q' LIMIT 10" | grep -c "Index Scan using t_flat" || true)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A ms
ms[index]=$(median "SELECT id FROM t ORDER BY emb <#> '$q' LIMIT 10")
ms[index_1000]=$(median "SELECT id FROM t ORDER BY emb <#> '$q' LIMIT 1000")
ms[seq]=$(PGOPTIONS="-c enable_indexscan=off" median "SELECT id FROM t ORDER BY emb <#> '$q' LIMIT 10")
ms[search1]=$(median "SELECT count(*) FROM flat_search('t_flat', '$q', 10)")
ms[search_many]=$(median "SELECT count(*) FROM flat_search('t_flat', (SELECT q FROM queries), 10)")
ms[topk_many]=$(median "SELECT topk(emb, id, (SELECT q FROM queries), 10) FROM t")
ms[v_plain]="skipped skipped"
[ "$has_vector" = 1 ] && ms[v_plain]=$(median "SELECT id FROM v_plain ORDER BY emb <#> '$qv' LIMIT 10")

# the same in a pool that has been in use: a restart, then every block of
# the index and of both tables read once in shuffled order (the build
# writes outside shared buffers, so "just built" means the index as the
# warm-up query read it in, into the free buffers of a young pool)
as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w restart >/dev/null
churn_rels="'t_flat', 't'"
[ "$has_vector" = 1 ] && churn_rels="$churn_rels, 'v_plain'"
# only what the pool holds: otherwise the shuffled reads evict index blocks
fits=$(psql -XAtc "SELECT sum(pg_relation_size(r)) < 0.9 * pg_size_bytes(current_setting('shared_buffers')) FROM unnest(ARRAY[$churn_rels]::regclass[]) r")
[ "$fits" = t ] || churn_rels="'t_flat'"
P -c "SELECT churn(ARRAY[$churn_rels]::regclass[])" >/dev/null
ms[index_churned]=$(median "SELECT id FROM t ORDER BY emb <#> '$q' LIMIT 10")
ms[seq_churned]=$(PGOPTIONS="-c enable_indexscan=off" median "SELECT id FROM t ORDER BY emb <#> '$q' LIMIT 10")
ms[v_plain_churned]="skipped skipped"
[ "$has_vector" = 1 ] && ms[v_plain_churned]=$(median "SELECT id FROM v_plain ORDER BY emb <#> '$qv' LIMIT 10")

index_bytes=$(psql -XAtc "SELECT pg_relation_size('t_flat')")
table_bytes=$(psql -XAtc "SELECT pg_table_size('t')")
# the floor takes membw's best pass: on a shared machine the others are
# slowed by whoever else reads memory at the time
bw=$(test/bench/build/membw 2>/dev/null | grep -oE 'max [0-9.]+' | tail -1 | grep -oE '[0-9.]+' || true)
floor=$(awk -v b="$index_bytes" -v g="${bw:-0}" 'BEGIN { if (g > 0) printf "%.1f", b / g / 1e6; else print "-" }')
# a churned pool's floor: the index's bytes in 8 kB blocks lying in
# shuffled order in a mapping of shared_buffers' size
pool_mib=$(psql -XAtc "SELECT pg_size_bytes(current_setting('shared_buffers')) / 1048576")
sbw=$(test/bench/build/membw --scattered $(( (index_bytes + 1048575) / 1048576 )) "$pool_mib" 2>/dev/null | grep -oE 'max [0-9.]+' | tail -1 | grep -oE '[0-9.]+' || true)
sfloor=$(awk -v b="$index_bytes" -v g="${sbw:-0}" 'BEGIN { if (g > 0) printf "%.1f", b / g / 1e6; else print "-" }')

# FAISS on the same floats, one thread as the backend uses (OpenMP and
# OpenBLAS both limited to one thread; Debian's
# python3-faiss lives in the system Python, which a pyenv shim may hide)
py=$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)
faiss_out="faiss skipped"
[ "$faiss" = 1 ] && faiss_out=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$py" test/bench/flat_bench.py "$rows" "$dim" "$nq" "$runs" 1 "$gen" 2>&1 || echo "faiss skipped")
faiss_ms=$(echo "$faiss_out" | awk '/^faiss_ms/ { print $2 " " $3 }')
[ -z "$faiss_ms" ] && faiss_ms="skipped skipped"

# exactness: the index's top 10 equal the sequential scan's; flat_search's
# ids for each query equal topk's (both exact) and, where no two scores are
# within FAISS's float rounding, FAISS's
ref=$(PGOPTIONS="-c enable_indexscan=off" psql -XAtc "SELECT string_agg(id::text, ',' ORDER BY r) FROM (SELECT id, row_number() OVER (ORDER BY emb <#> '$q', ctid) r FROM t ORDER BY emb <#> '$q', ctid LIMIT 10) s")
got=$(psql -XAtc "SELECT string_agg(id::text, ',' ORDER BY r) FROM (SELECT id, row_number() OVER () r FROM (SELECT id FROM t ORDER BY emb <#> '$q' LIMIT 10) x) s")
same_index=$([ "$ref" = "$got" ] && echo yes || echo NO)
psql -XAtc "SELECT s.query || ': ' || string_agg(t.id::text, ',' ORDER BY s.rank) FROM flat_search('t_flat', (SELECT q FROM queries), 10) s JOIN t ON t.ctid = s.ctid GROUP BY s.query ORDER BY s.query" >"$PG_TMP/search_ids"
psql -XAtc "SELECT g || ': ' || array_to_string(ids[g:g][1:10], ',') FROM (SELECT topk(emb, id, (SELECT q FROM queries), 10) AS ids FROM t) x, generate_series(1, $nq) g ORDER BY g" >"$PG_TMP/topk_ids"
same_topk=$(cmp -s "$PG_TMP/search_ids" "$PG_TMP/topk_ids" && echo yes || echo NO)
same_faiss=skipped
if [ "$faiss_ms" != "skipped skipped" ]; then
	echo "$faiss_out" | awk '/^ids/ { sub(/^ids /, ""); print }' >"$PG_TMP/faiss_ids"
	same_faiss="$(grep -cxFf "$PG_TMP/faiss_ids" "$PG_TMP/search_ids" || true) of $nq queries"
fi

r() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "-" }'; }
w() { echo "${1% *}"; }   # wall ms of a "wall cpu" pair
c() { echo "${1#* }"; }   # cpu ms
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs) model $(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | xargs))"
simd=$(psql -XAtc "SELECT dotext_simd_info()")	# DOTEXT_SIMD's path (the server inherits it) or the CPU's best
pgv="skipped: the server has no vector extension"
[ "$has_vector" = 1 ] && pgv="$(psql -XAtc "SELECT extversion FROM pg_extension WHERE extname = 'vector'") ($(pg_config --pkglibdir)/vector.so, ${PGVECTOR_BUILD:-build flags not given})"
echo
echo "flat index benchmark: $rows x $dim float32, top 10, medians of $runs runs (ms): wall time and the backend's CPU time"
echo "machine: $(nproc) cores, $cpu, PostgreSQL $(psql -XAtc 'SHOW server_version'), jit off, no parallel workers; load average before the timed queries: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dotext loops: $simd; pgvector: $pgv"
echo "index t_flat: $((index_bytes / 1000000)) MB ($(awk -v b="$index_bytes" -v r="$rows" -v d="$dim" 'BEGIN{printf "%.3f", b / (r * d * 4)}')x the raw floats); table t: $((table_bytes / 1000000)) MB"
echo "memory read bandwidth (test/bench/membw, one core, best pass): ${bw:-?} GB/s -> reading the index takes $floor ms"
echo "the same in 8 kB blocks scattered over $pool_mib MiB (membw --scattered, best pass): ${sbw:-?} GB/s -> $sfloor ms"
echo "churned pool: a restart, then every block of ${churn_rels//\'/} read once in shuffled order"
echo "build: ${build_ms} ms, backend peak RSS ${build_hwm} MB (shared buffers it touched included), private memory ${build_anon} MB after"
echo
printf "| %-58s | %8s | %8s | %s |\n" "query" "wall ms" "CPU ms" "ratio (CPU)"
printf "| %-58s | %8s | %8s | %s |\n" "---" "---:" "---:" "---"
row() { printf "| %-58s | %8s | %8s | %s |\n" "$1" "$(w "$2")" "$(c "$2")" "$3"; }
row "memory floor: index bytes / one-core bandwidth" "$floor $floor" ""
row "just built: flat index, ORDER BY emb <#> q LIMIT 10" "${ms[index]}" "$(r "$(c "${ms[index]}")" "$floor") the floor"
row "flat index: ORDER BY emb <#> q LIMIT 1000 (two passes)" "${ms[index_1000]}" ""
row "just built: dotext sequential scan (enable_indexscan off)" "${ms[seq]}" "index $(r "$(c "${ms[seq]}")" "$(c "${ms[index]}")") faster"
row "just built: pgvector sequential scan, STORAGE PLAIN" "${ms[v_plain]}" "index $(r "$(c "${ms[v_plain]}")" "$(c "${ms[index]}")") faster"
row "memory floor, blocks scattered: membw --scattered" "$sfloor $sfloor" ""
row "churned pool: flat index, LIMIT 10" "${ms[index_churned]}" "$(r "$(c "${ms[index_churned]}")" "$floor") the floor, $(r "$(c "${ms[index_churned]}")" "$sfloor") the scattered floor"
row "churned pool: dotext sequential scan" "${ms[seq_churned]}" "index $(r "$(c "${ms[seq_churned]}")" "$(c "${ms[index_churned]}")") faster"
row "churned pool: pgvector sequential scan, STORAGE PLAIN" "${ms[v_plain_churned]}" "index $(r "$(c "${ms[v_plain_churned]}")" "$(c "${ms[index_churned]}")") faster"
row "flat_search, 1 query" "${ms[search1]}" ""
row "flat_search, $nq queries in one pass" "${ms[search_many]}" "$(awk -v a="$(c "${ms[search_many]}")" -v n="$nq" 'BEGIN{printf "%.2f ms per query", a/n}')"
row "FAISS IndexFlatIP, $nq queries, 1 thread" "$faiss_ms" "flat_search $(r "$(c "$faiss_ms")" "$(c "${ms[search_many]}")") of FAISS's speed"
row "topk(emb, id, Q, 10) over the table, $nq queries" "${ms[topk_many]}" "flat_search $(r "$(c "${ms[topk_many]}")" "$(c "${ms[search_many]}")") faster"
echo
echo "planner picks the flat index: $([ "$plan" = 1 ] && echo yes || echo NO); index top 10 = sequential scan's: $same_index; flat_search = topk for every query: $same_topk; flat_search = FAISS: $same_faiss"
