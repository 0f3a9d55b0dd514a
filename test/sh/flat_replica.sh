#!/usr/bin/env bash
# The flat index on a physical replica: a standby made by pg_basebackup
# before the index exists replays its build (whole-page WAL images written
# outside shared buffers), inserts (generic WAL), deletes and VACUUM, and
# its index scans and flat_search give the sequential scan's answer, as
# the primary's do.  Runs its own two throwaway servers.
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/tap.sh
unset PGPORT PGDATA PGHOST
. test/pgcluster.sh
pg_start || { echo "not ok 1 - primary start"; exit 1; }
primary_port=$PGPORT
standby_port=$((PGPORT + 1))
standby_data="$PG_TMP/standby"
stop_standby() {
	[ -f "$standby_data/postmaster.pid" ] && as_owner "$PG_BIN/pg_ctl" -D "$standby_data" -m immediate stop >/dev/null 2>&1
	pg_stop
}
trap stop_standby EXIT

P() { psql -qX -v ON_ERROR_STOP=1 "$@"; }
P <<'SQL'
CREATE EXTENSION dotext;
CREATE TABLE r (id serial, emb tensor(float32));
INSERT INTO r (emb) SELECT ARRAY(SELECT sin(i * 0.37 + j * 1.3 + i * j * 0.001)::real FROM generate_series(1, 700) j)::tensor
FROM generate_series(1, 3000) i;
SQL
as_owner "$PG_BIN/pg_basebackup" -h "$PG_TMP" -p "$primary_port" -U "$PGUSER" -D "$standby_data" -R -X stream -c fast >/dev/null 2>&1
ok "pg_basebackup made a standby" "$([ -f "$standby_data/standby.signal" ] && echo 1 || echo 0)"
sed -i "s/^port = .*/port = $standby_port/" "$standby_data/postgresql.conf"
as_owner "$PG_BIN/pg_ctl" -D "$standby_data" -l "$PG_TMP/standby.log" -w start >/dev/null
ok "the standby is in recovery" "$(psql -XAt -p "$standby_port" -c "SELECT pg_is_in_recovery()" | grep -c t)"

# ids and distances of the top k through the index and through a sequential scan
ranked() { # $1 port, $2 op, $3 k, $4 'index' or 'seq'
	local q="ARRAY(SELECT cos(j * 0.7)::real FROM generate_series(1, 700) j)::tensor" set order
	# the index orders by the distance alone (equal ones in TID order); the sequential scan is told ctid
	if [ "$4" = index ]; then set="SET enable_seqscan = off;" order="emb $2 $q"; else set="SET enable_indexscan = off;" order="emb $2 $q, ctid"; fi
	psql -XAt -p "$1" -c "$set" -c "SELECT string_agg(id || ':' || d, ',' ORDER BY rn) FROM (SELECT id, (emb $2 $q)::text d, row_number() OVER () rn FROM (SELECT id, emb FROM r ORDER BY $order LIMIT $3) s) t" 2>&1
}
replayed() { # the standby has replayed all the primary has written
	local lsn
	lsn=$(psql -XAtc "SELECT pg_current_wal_lsn()")
	for _ in $(seq 1 300); do
		[ "$(psql -XAt -p "$standby_port" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && break
		sleep 0.1
	done
	ok "$1: the standby replayed the primary's WAL" "$(psql -XAt -p "$standby_port" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'" | grep -c t)"
}
check() { # $1: label
	local seq live
	for op in '<#>' '<=>'; do
		seq=$(ranked "$primary_port" "$op" 50 seq)
		ok "$1: primary: $op top 50 through the index equals the sequential scan's" "$([ "$(ranked "$primary_port" "$op" 50 index)" = "$seq" ] && echo 1 || echo 0)"
		ok "$1: standby: $op top 50 through the index equals the primary's sequential scan" "$([ "$(ranked "$standby_port" "$op" 50 index)" = "$seq" ] && echo 1 || echo 0)"
	done
	live=$(psql -XAtc "SELECT count(*) FROM r")
	ok "$1: standby: flat_search finds every live row once ($live)" "$(psql -XAt -p "$standby_port" -c "SELECT count(DISTINCT ctid) = $live FROM flat_search('r_ip', (SELECT emb FROM r LIMIT 1), 1000000)" 2>&1 | grep -c t)"
	ok "$1: standby: the index's size equals the primary's" "$([ "$(psql -XAt -p "$standby_port" -c "SELECT pg_relation_size('r_ip')")" = "$(psql -XAtc "SELECT pg_relation_size('r_ip')")" ] && echo 1 || echo 0)"
}

# the build alone first: every index page reaches the standby through the build's WAL
P <<'SQL'
CREATE INDEX r_ip ON r USING flat (emb);
CREATE INDEX r_cos ON r USING flat (emb tensor_cosine_ops);
SQL
replayed "after the build"
check "after the build"
plan=$(psql -XAt -p "$standby_port" -c "EXPLAIN (COSTS OFF) SELECT id FROM r ORDER BY emb <#> (SELECT emb FROM r LIMIT 1) LIMIT 5" | grep -c "Index Scan using r_ip")
ok "the standby's planner takes the flat index" "$([ "$plan" -ge 1 ] && echo 1 || echo 0)"

# then inserts (generic WAL), deletes and VACUUM
P <<'SQL'
INSERT INTO r (emb) SELECT ARRAY(SELECT cos(i * 0.11 + j * 0.7)::real FROM generate_series(1, 700) j)::tensor
FROM generate_series(1, 500) i;
DELETE FROM r WHERE id % 5 = 0;
VACUUM r;
INSERT INTO r (emb) SELECT ARRAY(SELECT cos(i * 0.23 + j * 0.3)::real FROM generate_series(1, 700) j)::tensor
FROM generate_series(1, 200) i;
SQL
replayed "after writes and VACUUM"
check "after writes and VACUUM"
echo "1..$n"
