#!/usr/bin/env bash
# Limits: maximum rank, the 1 GB size limit, zero-size tensors through
# every function, and a 50 MB text literal with the backend's peak memory.
# Expects the environment of test/pgcluster.sh.
set -uo pipefail
. "$(dirname "$0")/../tap.sh"
yes_if() { if eval "$1"; then echo 1; else echo 0; fi; }
psql -qX -c "DROP DATABASE IF EXISTS limits" -c "CREATE DATABASE limits" 2>/dev/null
psql -qX -d limits -c "CREATE EXTENSION dotext"
state() { psql -X -d limits -v VERBOSITY=verbose -c "$1" 2>&1 | grep -oE 'ERROR:  [0-9A-Z]{5}' | head -1 | cut -c9-; }
start=$(psql -XAtc "SELECT pg_postmaster_start_time()")

r16=$(printf '[%.0s' $(seq 16))1$(printf ']%.0s' $(seq 16))
r17=$(printf '[%.0s' $(seq 17))1$(printf ']%.0s' $(seq 17))
ok "rank 16 is accepted" "$(yes_if "[ \"\$(psql -XAt -d limits -c \"SELECT ndim('$r16'::tensor)\")\" = 16 ]")"
ok "rank 17 is 54000" "$(yes_if "[ \"\$(state \"SELECT '$r17'::tensor\")\" = 54000 ]")"
ok "reshape to 17 dims is 54000" "$(yes_if "[ \"\$(state \"SELECT reshape('[1]'::tensor, array_fill(1, ARRAY[17]))\")\" = 54000 ]")"
ok "stack above rank 16 is 54000" "$(yes_if "[ \"\$(state \"SELECT stack(t) FROM (SELECT '$r16'::tensor) v(t)\")\" = 54000 ]")"
# tiny inputs whose result would be 1 GiB: refused before anything is allocated
big_x="reshape(array_fill(1::real, ARRAY[16384])::tensor, '{1,16384,1}')"
big_y="reshape(array_fill(1::real, ARRAY[16384])::tensor, '{1,1,16384}')"
ok "axis_dot to a 1 GiB (1,16384,16384) result is 54000" "$(yes_if "[ \"\$(state \"SELECT numel(axis_dot($big_x, $big_y, '{2,1}'))\")\" = 54000 ]")"
ok "an empty tensor of shape (0, 2^31-1) is fine" "$(yes_if "[ \"\$(psql -XAt -d limits -c \"SELECT numel('float32(0,2147483647):[]'::tensor)\")\" = 0 ]")"
ok "a dim of 2^31 is rejected (22P02)" "$(yes_if "[ \"\$(state \"SELECT 'float32(0,2147483648):[]'::tensor\")\" = 22P02 ]")"
ok "array_fill to a 1.2 GB tensor is 54000" "$(yes_if "[ \"\$(state \"SELECT numel(array_fill(1::float8, ARRAY[160000000])::tensor)\")\" = 54000 ]")"

# zero-size tensors through every function
out=$(psql -XAt -d limits -v ON_ERROR_STOP=1 <<'SQL' 2>&1
SELECT dot('[]', '[]'), norm('[]'), cosine_similarity('[]', '[]'),
       rowdot('float32(0,4):[]', '[1.0,2,3,4]'), rowcosine('float32(0,4):[]', '[1.0,2,3,4]'),
       axis_dot('float32(0,4):[]', 'float32(0,4):[]', 1), axis_dot('float32(3,0):[[],[],[]]', 'float32(3,0):[[],[],[]]', 1),
       flatten('float32(0,4):[]'), reshape('[]', '{0,3}'), permute('float32(0,4):[]', '{1,0}'),
       shape('float32(0,4):[]'), '[]'::tensor::real[], maxsim('[[1.0]]', 'float32(0,1):[]');
SELECT topk(emb, 1, '[1.0]', 3) FROM (SELECT 'float32(0,1):[]'::tensor AS emb) s;
SQL
)
ok "zero-size tensors go through every function" "$(yes_if "[ \$? = 0 ] && ! echo \"\$out\" | grep -q ERROR")"
echo "$out" | sed 's/^/# /'

# a 50 MB literal: result, and the backend's peak memory against the input
# size.  PostgreSQL itself holds the query string and the scanner's copy of
# the literal (2x); an untagged literal is read as float32 and then converted
# by the type modifier, a second copy for a moment (see README, "The type").
hwm="SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') from 'VmHWM:\\s+([0-9]+)')"
measure() { # SQL expression around the literal, literal prefix -> "bytes peak_growth result"
	python3 - "$PGHOST/big.sql" "$hwm" "$1" "$2" <<'PY'
import sys
vals = ",".join("%.6f" % ((i * 7919 % 1000003) / 1000003.0) for i in range(5_700_000))
lit = "'" + sys.argv[4] + "[" + vals + "]'"
open(sys.argv[1], "w").write("SELECT " + sys.argv[3].replace("LIT", lit) + ";\n" + sys.argv[2] + ";\n")
PY
	local base res
	base=$(psql -XAt -d limits -c "$hwm")
	res=$(psql -XAt -d limits -f "$PGHOST/big.sql" 2>&1)
	echo "$(stat -c %s "$PGHOST/big.sql") $(( ($(echo "$res" | tail -1) - base) * 1024 )) $(echo "$res" | head -1)"
}
read -r bytes text_used text_len < <(measure "length(LIT::text)" "")
echo "# the same 50 MB literal as text: PostgreSQL alone grows by $((text_used / 1000000)) MB ($(awk -v u=$text_used -v b=$bytes 'BEGIN{printf "%.1f", u/b}')x)"
for form in "float32:" ""; do
	read -r bytes used count < <(measure "numel(LIT::tensor(float32))" "$form")
	extra=$((used - text_used))
	limit=$([ -n "$form" ] && echo 1 || echo 2)
	echo "# 50 MB literal '${form}[...]' as tensor(float32): $count elements, peak grew by $((used / 1000000)) MB ($(awk -v u=$used -v b=$bytes 'BEGIN{printf "%.1f", u/b}')x the input), $((extra / 1000000)) MB more than as text"
	ok "a $((bytes / 1000000)) MB literal '${form}[...]' parses; dotext adds at most ${limit}x the input over text" \
		"$(yes_if "[ '$count' = 5700000 ] && [ $extra -le $((bytes * limit)) ]")"
done
ok "the server never restarted" "$(yes_if "[ \"\$(psql -XAtc 'SELECT pg_postmaster_start_time()')\" = '$start' ]")"
psql -qX -c "DROP DATABASE limits"
