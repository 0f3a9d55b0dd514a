#!/usr/bin/env bash
# postgres_fdw shards: a coordinator database whose table is hash-partitioned
# by id into two foreign tables, each in its own shard database (on the test
# cluster; postgres_fdw connects to them as to any server), against one node
# holding the same rows.  Checks that every shard runs its own ORDER BY ...
# LIMIT k (or its own topk) and ships k rows of ids and scores, that the
# shards run at once (Async Foreign Scan), and that the merged top k equals
# one node's, before and after deletes on a shard.
# Expects the environment of test/pgcluster.sh.
#   SHARDS_ROWS (20000), SHARDS_DIM (16): the data; SHARDS_RUNS (0): when
#   above 0, also time the global top 10 on the shards against one node,
#   median of that many runs, and count the bytes each shard ships.
set -uo pipefail
cd "$(dirname "$0")/../.."
rows=${SHARDS_ROWS:-20000} dim=${SHARDS_DIM:-16} runs=${SHARDS_RUNS:-0}
. test/tap.sh
is_t() { [ "$1" = t ] && echo 1 || echo 0; }
make -s -C test/bench build/gen_data || { echo "not ok - gen_data did not build"; exit 1; }
gen=test/bench/build/gen_data

for db in coord shard0 shard1; do
	psql -qX -c "DROP DATABASE IF EXISTS dtx_$db WITH (FORCE)" -c "CREATE DATABASE dtx_$db" 2>/dev/null
done
for s in 0 1; do
	psql -qX -d dtx_shard$s -c "CREATE EXTENSION dotext" \
		-c "CREATE TABLE items (id bigint PRIMARY KEY, emb tensor(float32))"
done
c() { psql -X -d dtx_coord -v ON_ERROR_STOP=1 "$@"; }
c -q <<SQL
CREATE EXTENSION dotext;
CREATE EXTENSION postgres_fdw;
-- extensions 'dotext': the operators and aggregates may be sent to the
-- shards; async_capable: an Append starts every shard's query at once
CREATE SERVER shard0 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '$PGHOST', port '$PGPORT', dbname 'dtx_shard0', extensions 'dotext', async_capable 'true');
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '$PGHOST', port '$PGPORT', dbname 'dtx_shard1', extensions 'dotext', async_capable 'true');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard0 OPTIONS (user '$PGUSER');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (user '$PGUSER');
CREATE TABLE items (id bigint, emb tensor(float32)) PARTITION BY HASH (id);
CREATE FOREIGN TABLE items_0 PARTITION OF items FOR VALUES WITH (MODULUS 2, REMAINDER 0)
	SERVER shard0 OPTIONS (table_name 'items');
CREATE FOREIGN TABLE items_1 PARTITION OF items FOR VALUES WITH (MODULUS 2, REMAINDER 1)
	SERVER shard1 OPTIONS (table_name 'items');
-- one node: the same rows in a local table
CREATE TABLE one (id bigint PRIMARY KEY, emb tensor(float32));
SQL
$gen "$rows" "$dim" 16 tensor | c -q -c "COPY one FROM STDIN (FORMAT binary)"
# each shard gets the rows its hash partition holds, straight from one
for s in 0 1; do
	c -q -c "COPY (SELECT * FROM one WHERE satisfies_hash_partition('items'::regclass, 2, $s, id)) TO STDOUT (FORMAT binary)" |
		psql -qX -d dtx_shard$s -c "COPY items FROM STDIN (FORMAT binary)" -c "VACUUM ANALYZE items"
done
c -q -c "VACUUM ANALYZE one" -c "ANALYZE items"
ok "the shards hold every row once ($rows)" \
	"$(is_t "$(c -At -c "SELECT (SELECT count(*) FROM items) = $rows AND (SELECT count(*) FROM items_0) > 0 AND (SELECT count(*) FROM items_1) > 0")")"

# queries: one vector, and a (5,D) batch for topk
q=$(c -At -c "SELECT ARRAY(SELECT sin(j * 0.7)::real FROM generate_series(1, $dim) j)::tensor")
Q=$(c -At -c "SELECT reshape(ARRAY(SELECT cos(j * 0.3)::real FROM generate_series(1, 5 * $dim) j)::tensor, '{5,$dim}')")

# the global top k by hand, for any operator: one GROUP BY id ... ORDER BY
# ... LIMIT subquery per shard (an aggregate, so postgres_fdw computes the
# score on the shard and ships id and score, not the embedding), in a
# MATERIALIZED CTE (a plain Append, whose foreign scans run at once, not a
# Merge Append, which cannot)
by_hand="WITH s AS MATERIALIZED (
  (SELECT id, min(emb <#> '$q') AS score FROM items_0 GROUP BY id ORDER BY 2, 1 LIMIT 10)
  UNION ALL
  (SELECT id, min(emb <#> '$q') AS score FROM items_1 GROUP BY id ORDER BY 2, 1 LIMIT 10))
SELECT id, score FROM s ORDER BY score, id LIMIT 10"
short() { sed 's/^ */# /; s/\(\[[-0-9.,]\{40\}\)[^]]*\]/\1...]/g'; }
plan=$(c -At -c "EXPLAIN (VERBOSE, COSTS OFF) $by_hand")
echo "$plan" | grep -E "Foreign Scan|Remote SQL" | short
ok "by hand: both shards run at once (two Async Foreign Scans)" \
	"$([ "$(echo "$plan" | grep -c 'Async Foreign Scan')" = 2 ] && echo 1 || echo 0)"
ok "by hand: each shard computes id and score and ships its 10 best" \
	"$([ "$(echo "$plan" | grep 'Remote SQL' | grep -c 'SELECT id, min((emb OPERATOR(public.<#>).* GROUP BY 1 ORDER BY .* LIMIT 10')" = 2 ] && echo 1 || echo 0)"

# topk_partitions builds such a query from the partitions; auto_explain
# shows its plan: topk on every shard for <#>, the GROUP BY form for <=>
fn_plan() {
	c -A -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = 0" \
		-c "SET auto_explain.log_nested_statements = on" -c "SET auto_explain.log_verbose = on" \
		-c "SET client_min_messages = log" -c "SELECT count(*) FROM topk_partitions('items', '$q', 10, '$1')" 2>&1
}
p=$(fn_plan '<#>')
echo "$p" | grep -E "Remote SQL" | head -1 | short
ok "topk_partitions <#>: topk and topk_scores on both shards at once" \
	"$([ "$(echo "$p" | grep -c 'Async Foreign Scan')" = 2 ] &&
		[ "$(echo "$p" | grep 'Remote SQL' | grep -c 'SELECT public.topk(emb, id, .*public.topk_scores(emb, id, ')" = 2 ] && echo 1 || echo 0)"
p=$(fn_plan '<=>')
ok "topk_partitions <=>: GROUP BY ... ORDER BY ... LIMIT on both shards at once" \
	"$([ "$(echo "$p" | grep -c 'Async Foreign Scan')" = 2 ] &&
		[ "$(echo "$p" | grep 'Remote SQL' | grep -c 'GROUP BY 1 ORDER BY .* LIMIT')" = 2 ] && echo 1 || echo 0)"
# the parent alone: a Merge Append whose shards sort everything, no LIMIT sent
naive=$(c -At -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items ORDER BY emb <#> '$q', id LIMIT 10")
ok "the parent alone sends no LIMIT to the shards and fetches the embeddings (why topk_partitions exists)" \
	"$(echo "$naive" | grep 'Remote SQL' | grep -q LIMIT && echo 0 || echo "$naive" | grep -q 'Remote SQL: SELECT id, emb' && echo 1 || echo 0)"

# topk on each shard: the aggregate is pushed down whole, topk and
# topk_scores share one scan there; the coordinator merges k per query
topk_merge="WITH parts AS (
  SELECT topk(emb, id, '$Q', 10) AS ids, topk_scores(emb, id, '$Q', 10) AS sc FROM items_0
  UNION ALL
  SELECT topk(emb, id, '$Q', 10), topk_scores(emb, id, '$Q', 10) FROM items_1),
flat AS (SELECT qi, ids[qi][j] AS id, sc[qi][j] AS score
         FROM parts, generate_subscripts(ids, 1) qi, generate_subscripts(ids, 2) j),
ranked AS (SELECT qi, id, row_number() OVER (PARTITION BY qi ORDER BY score DESC, id) AS r FROM flat)
SELECT array_agg(id ORDER BY qi, r) FROM ranked WHERE r <= 10"
tplan=$(c -At -c "EXPLAIN (VERBOSE, COSTS OFF) $topk_merge")
ok "topk per shard: both aggregates pushed down to each shard, run at once" \
	"$([ "$(echo "$tplan" | grep 'Remote SQL' | grep -c 'SELECT public.topk(.*public.topk_scores(')" = 2 ] &&
		[ "$(echo "$tplan" | grep -c 'Async Foreign Scan')" = 2 ] && echo 1 || echo 0)"


check_equal() { # $1: label
	local r
	r=$(c -At <<SQL
SELECT (SELECT array_agg(id ORDER BY score, id) FROM topk_partitions('items', '$q', 10))
         = (SELECT array_agg(id) FROM (SELECT id FROM one ORDER BY emb <#> '$q', id LIMIT 10) s),
       (SELECT array_agg(score ORDER BY score, id) FROM topk_partitions('items', '$q', 10))
         = (SELECT array_agg(s) FROM (SELECT emb <#> '$q' AS s FROM one ORDER BY emb <#> '$q', id LIMIT 10) s),
       (SELECT array_agg(id ORDER BY score, id) FROM topk_partitions('items', '$q', 10, '<=>'))
         = (SELECT array_agg(id) FROM (SELECT id FROM one ORDER BY emb <=> '$q', id LIMIT 10) s),
       (SELECT array_agg(id) FROM ($by_hand) s)
         = (SELECT array_agg(id) FROM (SELECT id FROM one ORDER BY emb <#> '$q', id LIMIT 10) s),
       ($topk_merge) = (SELECT ARRAY(SELECT unnest(topk(emb, id, '$Q', 10))) FROM one);
SQL
)
	IFS='|' read -r a b cc d e <<<"$r"
	ok "$1: topk_partitions <#> ids equal one node's" "$(is_t "$a")"
	ok "$1: topk_partitions <#> scores equal one node's" "$(is_t "$b")"
	ok "$1: topk_partitions <=> ids equal one node's" "$(is_t "$cc")"
	ok "$1: the UNION ALL by hand equals one node's" "$(is_t "$d")"
	ok "$1: topk of 5 queries merged from the shards equals one node's" "$(is_t "$e")"
}
check_equal "all rows"

if [ "$runs" -gt 0 ]; then
	# median of $runs runs of each form, in one session per form
	timeit() {
		c -q <<SQL 2>&1 | grep -oE 'Time: [0-9.]+' | awk '{print $2}' | tail -n "$runs" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
SET max_parallel_workers_per_gather = 0;
$1;
\timing on
$(for _ in $(seq "$runs"); do echo "$1;"; done)
SQL
	}
	echo "# timing: $rows x $dim, top 10, median of $runs runs (ms); load: $(cut -d' ' -f1-3 /proc/loadavg)"
	t_one=$(timeit "SELECT id FROM one ORDER BY emb <#> '$q', id LIMIT 10")
	t_shard=$(timeit "SELECT * FROM topk_partitions('items', '$q', 10)")
	t_hand=$(timeit "$by_hand")
	t_cos=$(timeit "SELECT * FROM topk_partitions('items', '$q', 10, '<=>')")
	t_cos1=$(timeit "SELECT id FROM one ORDER BY emb <=> '$q', id LIMIT 10")
	t_naive=$(timeit "SELECT id FROM items ORDER BY emb <#> '$q', id LIMIT 10")
	t_topk1=$(timeit "SELECT topk(emb, id, '$Q', 10) FROM one")
	t_topk2=$(timeit "$topk_merge")
	echo "# one node, ORDER BY <#> LIMIT 10:                 $t_one"
	echo "# 2 shards, topk_partitions <#> (topk per shard):  $t_shard"
	echo "# 2 shards, GROUP BY form by hand (<#>):           $t_hand"
	echo "# one node, ORDER BY <=> LIMIT 10:                 $t_cos1"
	echo "# 2 shards, topk_partitions <=> (GROUP BY form):   $t_cos"
	echo "# 2 shards, the parent alone (Merge Append):       $t_naive"
	echo "# one node, topk of 5 queries:                     $t_topk1"
	echo "# 2 shards, topk of 5 queries per shard, merged:   $t_topk2"
	# what each shard ships: postgres_fdw fetches rows in text format, one
	# DataRow message per row (1 + 4 + 2 bytes, then 4 + length per column)
	c -At <<SQL | sed 's/^/# /'
SELECT 'shard 0, GROUP BY id ORDER BY ... LIMIT 10: ' || count(*) || ' rows, ' || sum(7 + 4 + length(id::text) + 4 + length(score::text)) || ' bytes of DataRows'
FROM (SELECT id, min(emb <#> '$q') AS score FROM items_0 GROUP BY id ORDER BY 2, 1 LIMIT 10) s;
SELECT 'shard 0, topk of 1 query: 1 row, ' || (7 + 4 + length(i::text) + 4 + length(s::text)) || ' bytes of DataRow'
FROM (SELECT topk(emb, id, '$q', 10) AS i, topk_scores(emb, id, '$q', 10) AS s FROM items_0) t;
SELECT 'shard 0, topk of 5 queries: 1 row, ' || (7 + 4 + length(i::text) + 4 + length(s::text)) || ' bytes of DataRow'
FROM (SELECT topk(emb, id, '$Q', 10) AS i, topk_scores(emb, id, '$Q', 10) AS s FROM items_0) t;
SELECT 'shard 0, the parent alone: ' || count(*) || ' rows, ' || sum(7 + 4 + length(id::text) + 4 + length(emb::text)) || ' bytes of DataRows'
FROM one WHERE satisfies_hash_partition('items'::regclass, 2, 0, id);
SQL
fi

# deletes on a shard (straight on the shard, as its own application would),
# and the same rows gone from the one node; the top rows of one node first
top=$(c -At -c "SELECT string_agg(id::text, ',') FROM (SELECT id FROM one ORDER BY emb <#> '$q', id LIMIT 5) s")
psql -qX -d dtx_shard0 -c "DELETE FROM items WHERE id IN ($top) OR id % 3 = 0"
c -q -c "DELETE FROM one WHERE (id IN ($top) OR id % 3 = 0) AND satisfies_hash_partition('items'::regclass, 2, 0, id)"
ok "deletes reached shard 0 only" \
	"$(is_t "$(c -At -c "SELECT (SELECT count(*) FROM items) = (SELECT count(*) FROM one) AND (SELECT count(*) FROM one) < $rows")")"
check_equal "after deletes on shard 0"


for db in coord shard0 shard1; do psql -qX -c "DROP DATABASE dtx_$db WITH (FORCE)"; done
