#!/usr/bin/env bash
# The flat index build reports progress in pg_stat_progress_create_index,
# and a query cancel stops a flat index scan and flat_search within 100 ms.
# Expects the environment of test/pgcluster.sh.
set -uo pipefail
. "$(dirname "$0")/../tap.sh"
psql -qX -c "DROP DATABASE IF EXISTS flatprog" -c "CREATE DATABASE flatprog" 2>/dev/null
psql -qX -d flatprog <<'SQL'
CREATE EXTENSION dotext;
CREATE TABLE p AS SELECT i AS id, ARRAY(SELECT sin(i * 0.37 + j)::real FROM generate_series(1, 128) j)::tensor AS emb
FROM generate_series(1, 300000) i;
SQL

# the build, watched from a second session every 20 ms
python3 - <<'PY' >/tmp/flatprog.$$ 2>&1
import subprocess, time
build = subprocess.Popen(["psql", "-qX", "-d", "flatprog", "-c",
                          "CREATE INDEX p_flat ON p USING flat (emb)"])
seen = set()
while build.poll() is None:
    out = subprocess.run(["psql", "-XAt", "-d", "flatprog", "-c",
        "SELECT phase || '|' || (blocks_done > 0) || '|' || (blocks_total > 0) || '|' || (tuples_done > 0) "
        "FROM pg_stat_progress_create_index"], capture_output=True, text=True).stdout.strip()
    if out:
        seen.add(out)
    time.sleep(0.02)
for s in sorted(seen):
    print(s)
PY
sed 's/^/# seen: /' /tmp/flatprog.$$
ok "the build shows its phase name" "$(grep -q 'building index: loading tuples' /tmp/flatprog.$$ && echo 1 || echo 0)"
ok "the build reports blocks scanned and tuples done" "$(grep -q 'loading tuples|true|true|true' /tmp/flatprog.$$ && echo 1 || echo 0)"
rm -f /tmp/flatprog.$$

q=$(psql -XAt -d flatprog -c "SELECT ARRAY(SELECT cos(j)::real FROM generate_series(1, 128) j)::tensor::text")
timed() { # $1: SQL run under statement_timeout = 100ms; prints "ms sqlstate"
	python3 "$(dirname "$0")/../timed_cancel.py" flatprog 100 "$1" "SET enable_seqscan = off;"
}
for case in \
	"flat index scan for all rows|SELECT count(*) FROM (SELECT id FROM p ORDER BY emb <#> '$q' LIMIT 300000) s;" \
	"flat_search, 64 queries, 300000 rows, 3 times|SELECT count(*) FROM generate_series(1, 3), flat_search('p_flat', (SELECT stack(emb) FROM p WHERE id <= 64), 100);"; do
	name=${case%%|*} sql=${case#*|}
	read -r ms state < <(timed "$sql")
	late=$((ms - 100))
	echo "# $name: ended after $ms ms ($state), $late ms after the timeout"
	ok "$name: cancelled (57014) within 100 ms of the timeout" \
		"$([ "$state" = 57014 ] && [ "$late" -le 100 ] && echo 1 || echo 0)"
done
psql -qX -c "DROP DATABASE flatprog"
echo "1..$n"
