#!/usr/bin/env bash
# Crash safety of the flat index: kill -9 the postmaster (and its children)
# while clients insert, delete and VACUUM; after crash recovery the index
# must give exactly the sequential scan's answer, find every live row, and
# keep working.  Runs its own throwaway cluster (the shared one must not
# die), so it needs only test/pgcluster.sh and an installed dotext.
# FLAT_CRASH_DIM sets the vectors' length (default 200; 9000 makes every
# record span 5-6 pages, written as several generic WAL records).
set -uo pipefail
DIM=${FLAT_CRASH_DIM:-200}
cd "$(dirname "$0")/../.."
. test/tap.sh
unset PGPORT PGDATA PGHOST
. test/pgcluster.sh
pg_start || { echo "not ok 1 - cluster start"; exit 1; }
P() { psql -qX -v ON_ERROR_STOP=1 -v dim="$DIM" "$@"; }

P <<'SQL'
CREATE EXTENSION dotext;
CREATE TABLE c (id serial, emb tensor(float32), note text);
INSERT INTO c (emb) SELECT ARRAY(SELECT sin(i * 0.37 + j * 1.3)::real FROM generate_series(1, :dim) j)::tensor
FROM generate_series(1, 2000) i;
CREATE INDEX c_ip ON c USING flat (emb);
CREATE INDEX c_cos ON c USING flat (emb tensor_cosine_ops);
-- same(op, q, k): index scan and sequential scan give the same ids and distances
CREATE FUNCTION same(op text, q tensor, k int) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE a text[]; b text[];
BEGIN
	PERFORM set_config('enable_seqscan', 'off', true);
	EXECUTE format('SELECT array_agg(id || '':'' || d) FROM (SELECT id, (emb %s $1)::text d FROM c ORDER BY emb %s $1 LIMIT %s) s', op, op, k) INTO a USING q;
	PERFORM set_config('enable_seqscan', 'on', true);
	PERFORM set_config('enable_indexscan', 'off', true);
	EXECUTE format('SELECT array_agg(id || '':'' || d) FROM (SELECT id, (emb %s $1)::text d FROM c ORDER BY emb %s $1, ctid LIMIT %s) s', op, op, k) INTO b USING q;
	PERFORM set_config('enable_indexscan', 'on', true);
	RETURN a IS NOT DISTINCT FROM b;
END $$;
SQL

# writers: inserts (one row per transaction), deletes and updates, VACUUM
pids=()
for w in 1 2; do
	( for i in $(seq 1 100000); do
		echo "INSERT INTO c (emb) SELECT ARRAY(SELECT cos($w * $i * 0.01 + j)::real FROM generate_series(1, $DIM) j)::tensor;"
	done ) | psql -qX >/dev/null 2>&1 &
	pids+=($!)
done
( for i in $(seq 1 100000); do
	echo "DELETE FROM c WHERE id = $((i * 3));"
	echo "UPDATE c SET emb = ARRAY(SELECT sin(id + j)::real FROM generate_series(1, $DIM) j)::tensor WHERE id = $((i * 7 + 1));"
	[ $((i % 20)) = 0 ] && echo "VACUUM c;"
done ) | psql -qX >/dev/null 2>&1 &
pids+=($!)
sleep 4
before=$(psql -XAtc "SELECT count(*) FROM c")
maxid=$(psql -XAtc "SELECT max(id) FROM c")
pm=$(head -1 "$PGDATA/postmaster.pid")
children=$(pgrep -P "$pm" || true)
kill -9 "$pm" $children 2>/dev/null
for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
echo "# killed the postmaster ($pm) with $before rows committed a moment before"
ok "the writers had inserted rows when the server died" "$([ -n "$maxid" ] && [ "$maxid" -gt 2100 ] && echo 1 || echo 0)"

# what a machine crash would leave behind: stale lock files, no processes
sleep 1
rm -f "$PGDATA/postmaster.pid" "$PG_TMP/.s.PGSQL.$PGPORT" "$PG_TMP/.s.PGSQL.$PGPORT.lock"
as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w start >/dev/null
ok "crash recovery finished" "$(psql -XAtc "SELECT NOT pg_is_in_recovery()" | grep -c t)"
grep -q "database system was interrupted\|was not properly shut down" "$PG_TMP/server.log" \
	&& ok "the server ran crash recovery" 1 || ok "the server ran crash recovery" 0

check() { # $1: label
	local q1 q2
	q1="ARRAY(SELECT cos(j * 0.7)::real FROM generate_series(1, $DIM) j)::tensor"
	q2="ARRAY(SELECT sin(j * 0.3)::real FROM generate_series(1, $DIM) j)::tensor"
	ok "$1: <#> top 10 equals the sequential scan's" "$(psql -XAtc "SELECT same('<#>', $q1, 10)" | grep -c t)"
	ok "$1: <#> top 300 equals the sequential scan's" "$(psql -XAtc "SELECT same('<#>', $q2, 300)" | grep -c t)"
	ok "$1: <=> top 50 equals the sequential scan's" "$(psql -XAtc "SELECT same('<=>', $q1, 50)" | grep -c t)"
	ok "$1: the index finds every live row" "$(psql -XAtc "SET enable_seqscan = off; SELECT (SELECT count(*) FROM (SELECT id FROM c ORDER BY emb <#> $q1 LIMIT 1000000) s) = (SELECT count(*) FROM c)" | grep -c t)"
	ok "$1: flat_search finds every live row once" "$(psql -XAtc "SELECT count(DISTINCT ctid) = (SELECT count(*) FROM c) FROM flat_search('c_ip', $q1, 1000000)" | grep -c t)"
}
check "after the crash"
after=$(psql -XAtc "SELECT count(*) FROM c")
echo "# $after rows after recovery"

# and it goes on working: more writes, VACUUM, the same checks
P <<'SQL'
DELETE FROM c WHERE id % 3 = 0;
VACUUM c;
INSERT INTO c (emb) SELECT ARRAY(SELECT sin(i * 0.9 + j)::real FROM generate_series(1, :dim) j)::tensor
FROM generate_series(1, 500) i;
SQL
check "after more writes and VACUUM"
pg_stop
echo "1..$n"
