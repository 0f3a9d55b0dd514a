#!/usr/bin/env bash
# The text parser and binary receive check for cancel while they read
# 100 MB inputs: a statement_timeout that fires in the middle of parsing a
# 100 MB literal ends it within 100 ms beyond what the abort itself costs
# (the parser ticks once per MB), and
# a 100 MB binary tensor loads through COPY.
# Expects the environment of test/pgcluster.sh.
set -uo pipefail
. "$(dirname "$0")/../tap.sh"
psql -qX -c "DROP DATABASE IF EXISTS iocancel" -c "CREATE DATABASE iocancel" 2>/dev/null
psql -qX -d iocancel -c "CREATE EXTENSION dotext"

# psql's \timing of one statement under a statement_timeout, and its SQLSTATE
timed() { # timeout_ms sql
	python3 - "$1" "$2" <<'PY'
import re, subprocess, sys
sql = f"SET statement_timeout = '{sys.argv[1]}ms';\n\\set VERBOSITY verbose\n\\timing on\n{sys.argv[2]}\n"
p = subprocess.run(["psql", "-qX", "-d", "iocancel"], input=sql, capture_output=True, text=True)
t = re.findall(r"Time: ([0-9.]+) ms", p.stdout)
state = "57014" if "57014" in p.stderr else "none"
print(f"{float(t[-1]):.0f} {state}" if t else f"99999 {state}")
PY
}
# a 100 MB literal in a file, read by the server (pg_read_file: no SQL
# scanner sees it, and reading it takes a few tens of ms)
python3 - "$PGHOST/big.txt" <<'PY'
import sys
open(sys.argv[1], "w").write("[" + "0.123456,-7.25e-3," * 5_500_000 + "1.0]")
PY
lit="pg_read_file('$PGHOST/big.txt')"
read -r built _ < <(timed 0 "SELECT octet_length($lit);")
read -r full _ < <(timed 0 "SELECT numel($lit::tensor);")
read -r full2 _ < <(timed 0 "SELECT numel($lit::tensor);")
[ "$full2" -lt "$full" ] && full=$full2
# after the read, PostgreSQL copies the text into the C string tensor_in
# takes, which does not cancel either (on a VM with slow first-touch page
# faults it takes about as long as the parse): a timeout that fires just
# after the read ends the statement where a cancel first can, at the
# parse's first tick (plus the abort)
read -r start _ < <(timed $((built + 1)) "SELECT numel($lit::tensor);")
[ "$start" -lt "$full" ] || start=$((full - 1))
echo "# reading the 100 MB file takes $built ms, reading and parsing it $full ms; a cancel takes effect from $start ms"
# the baseline: the same statement with a pg_sleep after the parse, its
# timeout in the sleep, so that the client and the abort (which frees the
# same 250 MB of text and tensor) cost the same; subtracted below
read -r base _ < <(timed $((full + 300)) "SELECT numel($lit::tensor), pg_sleep(10);")
base=$((base - full - 300))
echo "# cancelled in a pg_sleep after the parse, the statement ends $base ms after its timeout (client and abort)"
for frac in 30 60; do
	to=$((start + (full - start) * frac / 100))
	read -r ms state < <(timed "$to" "SELECT numel($lit::tensor);")
	late=$((ms - to - (base > 0 ? base : 0)))
	echo "# timeout at $to ms ($frac% into the parse): ended after $ms ms ($state), $late ms beyond the baseline"
	ok "a 100 MB literal's parse is cancelled within 100 ms of the timeout ($frac%: $late ms)" \
		"$([ "$state" = 57014 ] && [ "$late" -le 100 ] && echo 1 || echo 0)"
done
rm -f "$PGHOST/big.txt"

# 100 MB binary tensor through COPY FROM (tensor_recv decodes in chunks)
python3 - "$PGHOST/big.bin" <<'PY'
import struct, sys
n = 25_000_000
row = struct.pack(">BBH", 1, 1, 0) + struct.pack(">i", n) + struct.pack(">f", 0.5) * n
with open(sys.argv[1], "wb") as f:
    f.write(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
    f.write(struct.pack(">h", 1) + struct.pack(">i", len(row)) + row)
    f.write(struct.pack(">h", -1))
PY
out=$(psql -qXAt -d iocancel -c "CREATE TABLE big (t tensor)" -c "\\copy big FROM '$PGHOST/big.bin' (FORMAT binary)" \
	-c "SELECT numel(t), norm(t) FROM big" 2>&1)
ok "a 100 MB binary tensor loads through COPY ($out)" "$([ "$out" = "25000000|2500" ] && echo 1 || echo 0)"
rm -f "$PGHOST/big.bin"
psql -qX -c "DROP DATABASE iocancel"
