#!/usr/bin/env bash
# A query cancel (statement_timeout, pg_cancel_backend) takes effect within
# 100 ms during long dotext calls: axis_dot, per-row ranking and topk.
# Expects the environment of test/pgcluster.sh.
set -uo pipefail
. "$(dirname "$0")/../tap.sh"
psql -qX -c "DROP DATABASE IF EXISTS cancel" -c "CREATE DATABASE cancel" 2>/dev/null
psql -qX -d cancel <<'SQL'
CREATE EXTENSION dotext;
-- inputs built beforehand, small enough to stay inline-fast to read
CREATE TABLE mm AS SELECT array_fill(3::bigint, ARRAY[64,192,192])::tensor AS x;
CREATE TABLE items AS SELECT i::bigint AS id,
	ARRAY(SELECT sin(i * 0.37 + j)::real FROM generate_series(1, 64) j)::tensor AS emb
	FROM generate_series(1, 400000) i;
SQL
q=$(psql -XAt -d cancel -c "SELECT ARRAY(SELECT cos(j)::real FROM generate_series(1, 64) j)::tensor::text")

# psql's \timing of a statement run under statement_timeout = 200ms, and its SQLSTATE
timed() {
	python3 "$(dirname "$0")/../timed_cancel.py" cancel 200 "$1"
}
for case in \
	"axis_dot int64 (64,192,192)x(64,192,192)|SELECT numel(axis_dot(x, x, '{2,1}')) FROM mm;" \
	"per-row ranking over 400000 rows x 5|SELECT id FROM items, generate_series(1,5) ORDER BY emb <#> '$q' LIMIT 10;" \
	"topk over 400000 rows x 5|SELECT topk(emb, id, '$q', 10) FROM items, generate_series(1,5);"; do
	name=${case%%|*} sql=${case#*|}
	read -r ms state < <(timed "$sql")
	late=$((ms - 200))
	echo "# $name: statement ended after $ms ms ($state), $late ms after the timeout"
	ok "$name: cancelled (57014) within 100 ms of the timeout ($late ms)" \
		"$([ "$state" = 57014 ] && [ "$late" -le 100 ] && echo 1 || echo 0)"
done

# pg_cancel_backend from a second session: the latency is the statement's
# own duration minus how long it had run when the cancel was sent
late=$(python3 <<'PY'
import re, subprocess, time
import os, tempfile
f = tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False)
f.write("\\timing on\nSELECT numel(axis_dot(x, x, '{2,1}')) FROM mm, generate_series(1, 20);\n")
f.close()
long = subprocess.Popen(["psql", "-qX", "-d", "cancel", "-f", f.name], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
time.sleep(1.0)
at = subprocess.run(["psql", "-XAt", "-d", "cancel", "-c",
    "SELECT extract(epoch FROM clock_timestamp() - query_start) * 1000, pg_cancel_backend(pid) "
    "FROM pg_stat_activity WHERE query LIKE '%axis_dot(x, x%' AND pid <> pg_backend_pid()"],
    capture_output=True, text=True).stdout.split("|")[0]
out, err = long.communicate()
os.unlink(f.name)
t = re.findall(r"Time: ([0-9.]+) ms", out)
ok = "canceling statement due to user request" in err and t and at
print(f"{float(t[-1]) - float(at):.0f}" if ok else "99999")
PY
)
echo "# pg_cancel_backend: the statement ended $late ms after the cancel was sent"
ok "pg_cancel_backend ends a long axis_dot within 100 ms ($late ms)" "$([ "$late" -le 100 ] && echo 1 || echo 0)"
psql -qX -c "DROP DATABASE cancel"
