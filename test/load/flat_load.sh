#!/usr/bin/env bash
# Load on the flat index: pgbench, 6 clients for 30 s (CLIENTS,
# SECONDS_TO_RUN), ranking through the index while other clients insert,
# delete and update rows and run VACUUM, on its own throwaway cluster.
# Each ranking transaction (REPEATABLE READ, so one snapshot) takes the top
# 10 through the flat index, then through a sequential scan, and records
# whether they are equal; so does flat_search.  Passes when no transaction
# failed and every pair was equal.  Not run by CI; run:
#   bash test/load/flat_load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/pgcluster.sh
pg_start
clients=${CLIENTS:-6} seconds=${SECONDS_TO_RUN:-30}
psql -qX -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION dotext;
CREATE TABLE items (id serial PRIMARY KEY, emb tensor(float32));
INSERT INTO items (emb) SELECT ARRAY(SELECT sin(i * 0.37 + j * 1.3)::real FROM generate_series(1, 256) j)::tensor
	FROM generate_series(1, 20000) i;
CREATE INDEX items_flat ON items USING flat (emb);
CREATE TABLE queries AS SELECT g AS qi,
	ARRAY(SELECT cos(j * g)::real FROM generate_series(1, 256) j)::tensor(float32) AS q FROM generate_series(1, 5) g;
CREATE TABLE results (kind text, same boolean);
-- one ranking three ways; the caller's REPEATABLE READ gives them one snapshot
CREATE FUNCTION rank_check(qn int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE q tensor; viaindex int[]; viasearch int[]; viaseq int[];
BEGIN
	SELECT queries.q INTO q FROM queries WHERE qi = qn;
	PERFORM set_config('enable_seqscan', 'off', true);
	EXECUTE 'SELECT array_agg(id) FROM (SELECT id FROM items ORDER BY emb <#> $1 LIMIT 10) s' INTO viaindex USING q;
	EXECUTE 'SELECT array_agg(t.id ORDER BY s.rank) FROM flat_search(''items_flat'', $1, 10) s JOIN items t ON t.ctid = s.ctid'
		INTO viasearch USING q;
	PERFORM set_config('enable_seqscan', 'on', true);
	PERFORM set_config('enable_indexscan', 'off', true);
	EXECUTE 'SELECT array_agg(id) FROM (SELECT id FROM items ORDER BY emb <#> $1, ctid LIMIT 10) s' INTO viaseq USING q;
	PERFORM set_config('enable_indexscan', 'on', true);
	INSERT INTO results VALUES ('index', viaindex = viaseq), ('flat_search', viasearch = viaseq);
END $$;
VACUUM ANALYZE;
SQL
dir=$(mktemp -d)
cat >"$dir/rank.sql" <<'SQL'
\set qi random(1, 5)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT rank_check(:qi);
COMMIT;
SQL
cat >"$dir/write.sql" <<'SQL'
\set a random(1, 40000)
\set v random(1, 1000)
INSERT INTO items (emb) SELECT ARRAY(SELECT sin(:v * 0.01 * g)::real FROM generate_series(1, 256) g)::tensor;
DELETE FROM items WHERE id = :a;
UPDATE items SET emb = ARRAY(SELECT cos(:v + g)::real FROM generate_series(1, 256) g)::tensor WHERE id = :a + 1;
SQL
cat >"$dir/vacuum.sql" <<'SQL'
VACUUM items;
SQL
"$PG_BIN/pgbench" -n -c "$clients" -j 2 -T "$seconds" -f "$dir/rank.sql@5" -f "$dir/write.sql@5" -f "$dir/vacuum.sql@1" \
	>"$dir/pgbench.log" 2>&1 || true
grep -E "number of (transactions|failed)|tps|latency average|clients" "$dir/pgbench.log"
failed=$(grep -oE 'number of failed transactions: [0-9]+' "$dir/pgbench.log" | head -1 | grep -oE '[0-9]+$' || echo 0)
errors=$(grep -c -E 'ERROR|error' "$dir/pgbench.log" || true)
psql -XAt -c "SELECT kind || ': ' || count(*) || ' rankings, ' || count(*) FILTER (WHERE same IS NOT TRUE) || ' differing from the sequential scan at the same snapshot' FROM results GROUP BY kind ORDER BY kind"
wrong=$(psql -XAt -c "SELECT count(*) FROM results WHERE same IS NOT TRUE")
total=$(psql -XAt -c "SELECT count(*) FROM results")
echo "rows now: $(psql -XAt -c "SELECT count(*) FROM items"); failed transactions: ${failed:-0}, error lines: $errors"
[ "$errors" != 0 ] && grep -E 'ERROR|error' "$dir/pgbench.log" | head -5
rm -rf "$dir"
[ "${failed:-0}" = 0 ] && [ "$errors" = 0 ] && [ "$wrong" = 0 ] && [ "$total" -gt 0 ]
