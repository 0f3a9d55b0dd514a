#!/usr/bin/env bash
# Load: pgbench, 8 clients for 60 s (CLIENTS, SECONDS to change), mixing
# ranking queries, dot/axis_dot calls and inserts of new tensors, on its own
# throwaway cluster.  Inserts also go into the ranked table while it is
# scanned (zero vectors, which score 0 and never reach the top 10), and its
# rows of 256 float32 are large enough for the scan's next-row prefetch
# (src/heap_prefetch.c) to read line pointers of pages being written to.
# Passes when no transaction failed and every ranking result equals the
# single-client reference.  Not run by CI (it takes a
# minute and both cores); run: bash test/load/run_load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/pgcluster.sh
pg_start
clients=${CLIENTS:-8} seconds=${SECONDS_TO_RUN:-60}
psql -qX -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION dotext;
CREATE TABLE items AS SELECT i::bigint AS id,
	ARRAY(SELECT sin(i * 0.37 + j * 1.3)::real FROM generate_series(1, 256) j)::tensor(float32) AS emb
	FROM generate_series(1, 20000) i;
CREATE TABLE queries AS SELECT g AS qi,
	ARRAY(SELECT cos(j * g)::real FROM generate_series(1, 256) j)::tensor(float32) AS q FROM generate_series(1, 5) g;
CREATE TABLE reference AS SELECT qi, (SELECT array_agg(id) FROM (SELECT id FROM items ORDER BY emb <#> q, id LIMIT 10) s) AS ids
	FROM queries;
CREATE TABLE results (qi int, ids bigint[]);
CREATE TABLE inserted (id serial, t tensor(float32));
VACUUM ANALYZE;
SQL
dir=$(mktemp -d)
cat >"$dir/rank.sql" <<'SQL'
\set qi random(1, 5)
INSERT INTO results SELECT :qi, (SELECT array_agg(id) FROM (SELECT id FROM items ORDER BY emb <#> (SELECT q FROM queries WHERE qi = :qi), id LIMIT 10) s);
SQL
cat >"$dir/ops.sql" <<'SQL'
\set a random(1, 20000)
SELECT dot(x.emb, y.emb), axis_dot(reshape(x.emb, '{16,16}'), reshape(y.emb, '{16,16}'), 1, true), rowdot(reshape(x.emb, '{16,16}'), ARRAY(SELECT 1::real FROM generate_series(1, 16))::tensor)
FROM items x, items y WHERE x.id = :a AND y.id = 20001 - :a;
SQL
cat >"$dir/ins.sql" <<'SQL'
\set v random(1, 1000)
INSERT INTO inserted (t) SELECT ARRAY(SELECT (:v * g)::real / 1000 FROM generate_series(1, 256) g)::tensor;
INSERT INTO items SELECT 100000 + :v, ARRAY(SELECT 0::real FROM generate_series(1, 256))::tensor;
SQL
"$PG_BIN/pgbench" -n -c "$clients" -j 2 -T "$seconds" -f "$dir/rank.sql@5" -f "$dir/ops.sql@3" -f "$dir/ins.sql@2" \
	>"$dir/pgbench.log" 2>&1 || true
grep -E "number of (transactions|failed)|tps|latency average|clients" "$dir/pgbench.log"
failed=$(grep -oE 'number of failed transactions: [0-9]+' "$dir/pgbench.log" | head -1 | grep -oE '[0-9]+$' || echo 0)
errors=$(grep -c -E 'ERROR|error' "$dir/pgbench.log" || true)
wrong=$(psql -XAt -c "SELECT count(*) FROM results r JOIN reference f USING (qi) WHERE r.ids IS DISTINCT FROM f.ids")
total=$(psql -XAt -c "SELECT count(*) FROM results")
ins=$(psql -XAt -c "SELECT count(*) FROM inserted WHERE numel(t) = 256")
echo "ranking results: $total, differing from the single-client reference: $wrong; inserted tensors: $ins"
echo "failed transactions: ${failed:-0}, error lines: $errors"
rm -rf "$dir"
[ "${failed:-0}" = 0 ] && [ "$errors" = 0 ] && [ "$wrong" = 0 ] && [ "$total" -gt 0 ]
