#!/usr/bin/env bash
# Ranking benchmark: dotext against pgvector (when the server has the
# `vector` extension), plain SQL on real[], and this machine's memory read
# bandwidth, in one run on one throwaway cluster.
#
#   bash test/bench/rank_bench.sh [--size 100k768|1m128|1m768] [--runs N] [--queries Q] [--rank-only]
#
# Deterministic data (test/bench/gen_data.c) is loaded by binary COPY into
# every table, so all of them hold the same floats.  JIT is off and no
# parallel workers run.  Each query runs --runs times after one warm-up;
# the table shows medians.  Needs dotext installed (make install).
#
# The per-row comparison with pgvector (<#>, <=>, <->, STORAGE PLAIN) runs
# dotext's and pgvector's queries in turn within each round, so a noisy
# neighbour hits both alike, and twice: in the buffer pool as the load left
# it (a table's blocks in consecutive buffers), and "churned": after a
# restart, with every block of both tables read once in shuffled order
# (pg_prewarm per block), as in a server whose pool has been in use.
# --rank-only runs just that part.  The SIMD path is DOTEXT_SIMD's (set it
# in the environment: the server inherits it) or the CPU's best; the
# pgvector build is the installed vector.so, described by PGVECTOR_BUILD
# (e.g. PGVECTOR_BUILD="default, -march=native") and by its instructions.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=100k768 runs=7 nq=100 rank_only=0
while [ $# -gt 0 ]; do
	case "$1" in
		--size) size=$2; shift 2 ;;
		--runs) runs=$2; shift 2 ;;
		--queries) nq=$2; shift 2 ;;
		--rank-only) rank_only=1; shift ;;
		*) echo "unknown argument $1" >&2; exit 2 ;;
	esac
done
case "$size" in
	100k768) rows=100000 dim=768 ;;
	1m128) rows=1000000 dim=128 ;;
	1m768) rows=1000000 dim=768 ;;
	*) echo "--size must be 100k768, 1m128 or 1m768" >&2; exit 2 ;;
esac

mkdir -p test/bench/build
make -s -C test/bench build/gen_data build/membw
gen=test/bench/build/gen_data

. test/pgcluster.sh
pg_start
cat >>"$PGDATA/postgresql.conf" <<CONF
shared_buffers = ${BENCH_SHARED_BUFFERS:-8GB}
max_parallel_workers_per_gather = 0
jit = off
work_mem = 256MB
CONF
as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w restart >/dev/null
P() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
P -f test/bench/timing.sql

has_vector=$(psql -XAtc "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")
P <<SQL
CREATE EXTENSION dotext;
CREATE TABLE t_main (id bigint, emb tensor);                   -- the type's default storage
CREATE TABLE t_ext (id bigint, emb tensor);
ALTER TABLE t_ext ALTER COLUMN emb SET STORAGE EXTERNAL;
CREATE TABLE t_plain (id bigint, emb tensor);
ALTER TABLE t_plain ALTER COLUMN emb SET STORAGE PLAIN;
CREATE TABLE queries (q tensor);
CREATE TABLE one_query (q tensor);
CREATE FUNCTION bench(q text, n int) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz; ms float8[] := '{}';
BEGIN
	EXECUTE q;                                                 -- warm-up
	FOR i IN 1..n LOOP
		t0 := clock_timestamp();
		EXECUTE q;
		ms := ms || extract(epoch FROM clock_timestamp() - t0) * 1000;
	END LOOP;
	RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(ms) x);
END \$\$;
SQL
tensor_tables="t_main t_ext t_plain" vector_tables="v_default v_plain"
[ "$rank_only" = 1 ] && tensor_tables=t_plain vector_tables=v_plain
for t in $tensor_tables; do
	$gen $rows $dim 1 tensor | P -c "COPY $t FROM STDIN (FORMAT binary)"
done
$gen $nq $dim 2 query | P -c "COPY queries FROM STDIN (FORMAT binary)"
$gen 1 $dim 2 query | P -c "COPY one_query FROM STDIN (FORMAT binary)"
P -c "UPDATE one_query SET q = flatten(q)"
if [ "$has_vector" = 1 ]; then
	P <<SQL
CREATE EXTENSION vector;
CREATE TABLE v_default (id bigint, emb vector($dim));
CREATE TABLE v_plain (id bigint, emb vector($dim));
ALTER TABLE v_plain ALTER COLUMN emb SET STORAGE PLAIN;
SQL
	for t in $vector_tables; do
		$gen $rows $dim 1 vector | P -c "COPY $t FROM STDIN (FORMAT binary)"
	done
fi
P -c "VACUUM ANALYZE t_plain" >/dev/null
[ "$has_vector" = 1 ] && P -c "VACUUM ANALYZE v_plain" >/dev/null

q=$(psql -XAtc "SELECT q::text FROM one_query")
qv=$(psql -XAtc "SELECT tensor_to_float4(q)::text FROM one_query" | tr '{}' '[]')
simd=$(psql -XAtc "SELECT dotext_simd_info()")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs) model $(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | xargs))"
isa=$(grep -qw avx512f /proc/cpuinfo && echo "AVX-512" || { grep -qw avx2 /proc/cpuinfo && echo "AVX2, no AVX-512" || echo "no AVX2"; })
pgv="skipped: the server has no vector extension"
if [ "$has_vector" = 1 ]; then
	so="$(pg_config --pkglibdir)/vector.so"
	pgv="$(psql -XAtc "SELECT extversion FROM pg_extension WHERE extname = 'vector'") ($so, ${PGVECTOR_BUILD:-build flags not given})"
	# the instructions of the function <#> calls: the whole library has
	# AVX-512 code (bit vectors, chosen at run time) in any build
	if command -v objdump >/dev/null; then
		ip=$(objdump -d --disassemble=vector_negative_inner_product "$so" 2>/dev/null || true)
		pgv="$pgv; its vector_negative_inner_product has $(grep -c zmm <<<"$ip" || true) zmm and $(grep -c ymm <<<"$ip" || true) ymm instructions"
	fi
fi

# per-row ranking, dotext against pgvector, interleaved; fills pr[<mode>_<query>]
declare -A pr
perrow() {
	local mode=$1 qs=("SELECT id FROM t_plain ORDER BY emb <#> '$q' LIMIT 10"
		"SELECT id FROM t_plain ORDER BY emb <=> '$q' LIMIT 10"
		"SELECT id FROM t_plain ORDER BY emb <-> '$q' LIMIT 10")
	local names=(t_dot t_cos t_l2)
	qs+=("SELECT count(emb) FROM t_plain"	# the floor: every tuple header, no float
		"SELECT topk(emb, id, '$q', 10) FROM t_plain")
	names+=(t_scan t_topk)
	if [ "$has_vector" = 1 ]; then
		qs+=("SELECT id FROM v_plain ORDER BY emb <#> '$qv' LIMIT 10"
			"SELECT id FROM v_plain ORDER BY emb <=> '$qv' LIMIT 10"
			"SELECT id FROM v_plain ORDER BY emb <-> '$qv' LIMIT 10")
		names+=(v_dot v_cos v_l2)
	fi
	local arr="ARRAY[" sep="" k=0
	for x in "${qs[@]}"; do arr+="$sep\$q\$$x\$q\$"; sep=","; done
	arr+="]"
	local res m=${#names[@]}
	res=$(psql -XAtc "SELECT array_to_string(ARRAY(SELECT round(x::numeric, 1) FROM unnest(bench_many($arr, $runs)) x), ' ')")
	# on-CPU medians first, then wall-clock ones
	for x in $res; do
		if [ $k -lt $m ]; then pr[${mode}_${names[$k]}]=$x; else pr[wall_${mode}_${names[$((k - m))]}]=$x; fi
		k=$((k + 1))
	done
}
perrow fresh
# churn: an empty pool after a restart, then both tables' blocks read in shuffled order
as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w restart >/dev/null
churn_tables="'t_plain'"
[ "$has_vector" = 1 ] && churn_tables="'t_plain', 'v_plain'"
P -c "SELECT churn(ARRAY[$churn_tables]::regclass[])" >/dev/null
perrow churned

r() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "-" }'; }
echo
echo "per-row ranking, dotext against pgvector: $rows x $dim float32, STORAGE PLAIN, top 10, median of $runs interleaved rounds"
echo "machine: $(nproc) cores, $cpu, $isa; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dotext loops: $simd"
echo "pgvector: $pgv"
echo "ms: the backend's on-CPU time; the last column compares wall-clock medians; topk: topk(emb, id, q, 10), one query"
echo "floor: bare scan of t_plain, count(emb) (every tuple header, no float): ${pr[fresh_t_scan]} ms fresh, ${pr[churned_t_scan]} ms churned"
pbytes=$(psql -XAtc "SELECT pg_table_size('t_plain')")
pbw=$(test/bench/build/membw 2>/dev/null | grep -oE '[0-9.]+ GB/s' | tail -1 | grep -oE '[0-9.]+' || true)
[ -n "$pbw" ] && echo "memory read bandwidth (test/bench/membw, one core): $pbw GB/s: reading t_plain's $((pbytes / 1000000)) MB takes $(awk -v b=$pbytes -v g=$pbw 'BEGIN{printf "%.1f", b / g / 1e6}') ms"
echo
printf "| %-5s | %-7s | %9s | %9s | %17s | %10s |\n" "query" "pool" "dotext ms" "pgvector" "pgvector / dotext" "wall ratio"
printf "| %-5s | %-7s | %9s | %9s | %17s | %10s |\n" "---" "---" "---:" "---:" "---:" "---:"
for mode in fresh churned; do
	for op in dot cos l2; do
		sym=$(case $op in dot) echo "<#>" ;; cos) echo "<=>" ;; l2) echo "<->" ;; esac)
		printf "| %-5s | %-7s | %9s | %9s | %17s | %10s |\n" "$sym" "$mode" "${pr[${mode}_t_$op]}" \
			"${pr[${mode}_v_$op]:-skipped}" "$(r "${pr[${mode}_v_$op]:-0}" "${pr[${mode}_t_$op]}")" \
			"$(r "${pr[wall_${mode}_v_$op]:-0}" "${pr[wall_${mode}_t_$op]}")"
	done
done
for mode in fresh churned; do
	printf "| %-5s | %-7s | %9s | %9s | %17s | %10s |\n" "topk" "$mode" "${pr[${mode}_t_topk]}" "" "" ""
done
[ "$rank_only" = 1 ] && exit 0
# the rest in a pool that each table's first read fills in block order, as
# in the "fresh" rows above (the churn would leave t_plain shuffled and
# t_main not)
as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w restart >/dev/null
# stored batches of 1024 rows, and a small real[] table for plain SQL
P <<SQL
CREATE TABLE t_batch AS SELECT min(id) AS first_id, stack(emb ORDER BY id) AS embs
	FROM t_main GROUP BY (id - 1) / 1024;
CREATE TABLE r_small (id bigint, emb real[]);
CREATE TABLE t_big (t tensor);
SQL
# one tensor holding every row: only where it fits PostgreSQL's 1 GB value limit
big_ok=$([ $((rows * dim * 4)) -lt 1000000000 ] && echo 1 || echo 0)
[ "$big_ok" = 1 ] && $gen $rows $dim 1 query | P -c "COPY t_big FROM STDIN (FORMAT binary)"
$gen 10000 $dim 1 real | P -c "COPY r_small FROM STDIN (FORMAT binary)"
P -c "CREATE TABLE t_small AS SELECT * FROM t_main WHERE id <= 10000" -c "VACUUM ANALYZE" >/dev/null

median() { psql -XAtc "SELECT round(bench(\$q\$$1\$q\$, $runs)::numeric, 1)"; }
ids() { psql -XAtc "SELECT string_agg(id::text, ',' ORDER BY ord) FROM ($1) s(id, ord)"; }

declare -A ms
ms[scan]=$(median "SELECT count(emb) FROM t_plain")
ms[dot_main]=$(median "SELECT id FROM t_main ORDER BY emb <#> '$q' LIMIT 10")
ms[dot_ext]=$(median "SELECT id FROM t_ext ORDER BY emb <#> '$q' LIMIT 10")
ms[dot_plain]=$(median "SELECT id FROM t_plain ORDER BY emb <#> '$q' LIMIT 10")
ms[cos_main]=$(median "SELECT id FROM t_main ORDER BY emb <=> '$q' LIMIT 10")
ms[topk_many]=$(median "SELECT topk(emb, id, (SELECT q FROM queries), 10) FROM t_main")
ms[topk_many2]=$(PGOPTIONS="-c dotext.blas_threads=2" median "SELECT topk(emb, id, (SELECT q FROM queries), 10) FROM t_main")
ms[topk_one]=$(median "SELECT topk(emb, id, '$q', 10) FROM t_main")
ms[batch_topk]=$(median "SELECT topk(embs, first_id, '$q', 10) FROM t_batch")
ms[big_rowdot]=skipped ms[big_norm]=skipped
if [ "$big_ok" = 1 ]; then
	ms[big_rowdot]=$(median "SELECT numel(rowdot(t, '$q')) FROM t_big")
	ms[big_norm]=$(median "SELECT norm(t) FROM t_big")
fi
ms[batch_rowdot]=$(median "SELECT sum(numel(rowdot(embs, '$q'))) FROM t_batch")
ms[real_sql]=$(median "SELECT id FROM r_small ORDER BY (SELECT -sum(a * b) FROM unnest(emb, tensor_to_float4('$q')) u(a, b)) LIMIT 10")
ms[dot_small]=$(median "SELECT id FROM t_small ORDER BY emb <#> '$q' LIMIT 10")
if [ "$has_vector" = 1 ]; then
	ms[v_plain]=$(median "SELECT id FROM v_plain ORDER BY emb <#> '$qv' LIMIT 10")
	ms[v_default]=$(median "SELECT id FROM v_default ORDER BY emb <#> '$qv' LIMIT 10")
	ms[v_cos_plain]=$(median "SELECT id FROM v_plain ORDER BY emb <=> '$qv' LIMIT 10")
fi
bytes=$(psql -XAtc "SELECT pg_table_size('t_plain')")
main_bytes=$(psql -XAtc "SELECT pg_table_size('t_main')")
batch_bytes=$(psql -XAtc "SELECT pg_table_size('t_batch')")
bw=$pbw

# exactness: the same top 10 from every form (and from pgvector)
ref=$(ids "SELECT id, row_number() OVER () FROM (SELECT id FROM t_plain ORDER BY emb <#> '$q', id LIMIT 10) x")
same_topk=$([ "$(psql -XAtc "SELECT array_to_string(topk(emb, id, '$q', 10), ',') FROM t_main")" = "$ref" ] && echo yes || echo NO)
same_batch=$([ "$(psql -XAtc "SELECT array_to_string(topk(embs, first_id, '$q', 10), ',') FROM t_batch")" = "$ref" ] && echo yes || echo NO)
same_multi=$([ "$(psql -XAtc "SELECT array_to_string((topk(emb, id, (SELECT reshape(q, ARRAY[1,-1]) FROM one_query), 10))[1:1][1:10], ',') FROM t_main")" = "$ref" ] && echo yes || echo NO)
if [ "$has_vector" = 1 ]; then
	vref=$(ids "SELECT id, row_number() OVER () FROM (SELECT id FROM v_plain ORDER BY emb <#> '$qv', id LIMIT 10) x")
	same_vec=$([ "$vref" = "$ref" ] && echo yes || echo NO)
fi

r() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.1fx", a / b; else print "-" }'; }
echo
echo "dotext ranking benchmark: $rows x $dim float32, top 10, median of $runs runs (ms)"
echo "machine: $(nproc) cores, $cpu, PostgreSQL $(psql -XAtc 'SHOW server_version'), jit off, no parallel workers"
echo "table t_plain: $((bytes / 1000000)) MB; t_main: $((main_bytes / 1000000)) MB; t_batch: $((batch_bytes / 1000000)) MB"
[ -n "$bw" ] && echo "memory read bandwidth (test/bench/membw, one core): $bw GB/s -> reading t_plain takes $(awk -v b=$bytes -v g=$bw 'BEGIN{printf "%.1f", b / g / 1e6}') ms"
echo
printf "| %-58s | %9s | %s |\n" "query" "ms" "note"
printf "| %-58s | %9s | %s |\n" "---" "---:" "---"
row() { printf "| %-58s | %9s | %s |\n" "$1" "$2" "$3"; }
row "bare scan of t_plain: count(emb)" "${ms[scan]}" "floor for any per-row form"
row "per-row <#>, dotext default storage (main)" "${ms[dot_main]}" ""
row "per-row <#>, dotext STORAGE PLAIN" "${ms[dot_plain]}" ""
row "per-row <#>, dotext STORAGE EXTERNAL" "${ms[dot_ext]}" "TOAST fetch per row above 2 kB"
row "per-row <=>, dotext default storage" "${ms[cos_main]}" ""
if [ "$has_vector" = 1 ]; then
	row "per-row <#>, pgvector STORAGE PLAIN" "${ms[v_plain]}" "dotext plain is $(r ${ms[v_plain]} ${ms[dot_plain]}) faster"
	row "per-row <#>, pgvector default storage" "${ms[v_default]}" "dotext default is $(r ${ms[v_default]} ${ms[dot_main]}) faster"
	row "per-row <=>, pgvector STORAGE PLAIN" "${ms[v_cos_plain]}" "dotext default is $(r ${ms[v_cos_plain]} ${ms[cos_main]}) faster"
else
	row "pgvector" "skipped" "the server has no vector extension"
fi
row "topk(emb, id, q, 10), one query, one scan" "${ms[topk_one]}" ""
row "topk(emb, id, Q, 10), $nq queries in one scan" "${ms[topk_many]}" "$(awk -v a=${ms[topk_many]} -v n=$nq 'BEGIN{printf "%.2f ms per query", a/n}')"
row "the same with SET dotext.blas_threads = 2" "${ms[topk_many2]}" "two OpenBLAS threads, both cores"
[ "$has_vector" = 1 ] && row "pgvector, $nq queries one by one (estimate: $nq x plain)" "$(awk -v a=${ms[v_plain]} -v n=$nq 'BEGIN{printf "%.0f", a*n}')" ""
row "stored batches (1024 x $dim per row): topk" "${ms[batch_topk]}" ""
row "stored batches: rowdot of every batch" "${ms[batch_rowdot]}" ""
row "rowdot of one ($rows,$dim) tensor with a ($dim), one SQL call" "${ms[big_rowdot]}" "$([ "$big_ok" = 1 ] && echo "detoast of $((rows * dim * 4 / 1000000)) MB included" || echo "over the 1 GB value limit")"
row "norm of the same tensor (detoast + one pass)" "${ms[big_norm]}" "TOAST fetch of one large value"
row "plain SQL on real[], 10000 rows" "${ms[real_sql]}" "dotext on the same 10000 rows: ${ms[dot_small]} ms, $(r ${ms[real_sql]} ${ms[dot_small]}) faster"
echo
echo "same top 10 as the per-row scan: topk $same_topk, topk with Q=1 $same_multi, stored batches $same_batch${has_vector:+, pgvector ${same_vec:-skipped}}"
