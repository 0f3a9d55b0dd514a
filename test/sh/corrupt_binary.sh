#!/usr/bin/env bash
# Corrupt tensor messages through the real server's binary COPY: each one
# must be an error with the expected SQLSTATE, and the server must stay up.
# Expects the environment of test/pgcluster.sh.
set -uo pipefail
. "$(dirname "$0")/../tap.sh"
dir=$(mktemp -d "$PGHOST/corrupt.XXXXXX")
chmod 755 "$dir"

# a binary COPY file of one row, one column holding the given hex bytes
mkfile() {
	python3 - "$dir/$1.bin" "$2" <<'PY'
import struct, sys
path, hexmsg = sys.argv[1], sys.argv[2]
msg = bytes.fromhex(hexmsg)
out = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
out += struct.pack("!h", 1) + struct.pack("!i", len(msg)) + msg + struct.pack("!h", -1)
open(path, "wb").write(out)
PY
	chmod 644 "$dir/$1.bin"
}

start=$(psql -XAtc "SELECT pg_postmaster_start_time()")
psql -qX -c "DROP DATABASE IF EXISTS corrupt" -c "CREATE DATABASE corrupt" 2>/dev/null
psql -qX -d corrupt -c "CREATE EXTENSION dotext" -c "CREATE TABLE t (v tensor)"

check() { # name hex expected-sqlstate [words the message must hold]
	mkfile "$1" "$2"
	local out
	out=$(psql -X -d corrupt -v VERBOSITY=verbose -c "COPY t FROM '$dir/$1.bin' (FORMAT binary)" 2>&1)
	if echo "$out" | grep -q "ERROR:  $3" && echo "$out" | grep -q "${4:-}"; then ok "$1 gives $3${4:+: $4}" 1
	else ok "$1 gives $3${4:+: $4} (got: $(echo "$out" | head -1))" 0; fi
}

# header: ndim, dtype, flags (2 bytes), dims (4 bytes each), data.  Bytes no
# dotext wrote are "not a dotext tensor"; a dotext header with wrong sizes
# after it is "corrupt".
check unknown_dtype        "01 09 0000 00000001 00000000"                      22P03 "not a dotext tensor"
check planned_dtype        "01 07 0000 00000001 00"                            22P03 "dtype code 7, which this version cannot store"
check truncated_float16    "01 05 0000 00000002 3c00"                          22P03 "float16 tensor of shape (2) has 4 bytes of data; the message has 2"
check rank_17              "11 01 0000 $(printf '00000001%.0s' $(seq 17)) 3f800000" 54000 "rank 17 exceeds"
check negative_dim         "01 01 0000 ffffffff"                               22P03 "corrupt dotext binary tensor"
check count_overflow       "03 04 0000 00010000 00010000 00010000"             54000
check above_1GB            "01 02 0000 10000000"                               54000
check truncated_data       "01 01 0000 00000003 3f800000 3f800000"             22P03 "shape (3) has 12 bytes of data; the message has 8"
check truncated_dims       "02 01 0000 00000003"                               22P03 "rank-2 tensor takes 12 bytes"
check truncated_header     "01 01"                                             22P03 "corrupt dotext binary tensor"
check trailing_bytes       "01 01 0000 00000001 3f800000 ff"                   22P03
check reserved_flags       "01 01 0001 00000001 3f800000"                      22P03 "not a dotext tensor"
check reserved_flags_high  "01 01 8000 00000001 3f800000"                      22P03 "not a dotext tensor"
# what node-postgres sends for a Float32Array [0.1, 1]: little-endian floats
check float32array         "cdcccc3d 0000803f"                                 22P03 "not a dotext tensor"
check rank_205_lookalike   "cd 01 0000 00000001"                               54000 "rank 205 exceeds"
check later_layout         "ff 02 0000 00000001"                               22P03 "layout 2 is not supported"

# a valid message loads, and NaN travels as it does in text
mkfile valid "01 01 0000 00000002 3fc00000 7fc00000"
out=$(psql -qXAt -d corrupt -c "COPY t FROM '$dir/valid.bin' (FORMAT binary)" -c "SELECT v::text FROM t" 2>&1)
ok "a valid message loads as [1.5,NaN] (got $out)" "$([ "$out" = "[1.5,NaN]" ] && echo 1 || echo 0)"
# and 2-byte elements: float16 [1.5,-inf], bfloat16 [1.5,NaN]
mkfile valid_half "01 05 0000 00000002 3e00 fc00"
mkfile valid_bf16 "01 06 0000 00000002 3fc0 7fc0"
out=$(psql -qXAt -d corrupt -c "TRUNCATE t" -c "COPY t FROM '$dir/valid_half.bin' (FORMAT binary)" \
	-c "COPY t FROM '$dir/valid_bf16.bin' (FORMAT binary)" -c "SELECT string_agg(v::text, ' ' ORDER BY dtype(v) DESC) FROM t" 2>&1)
ok "float16 and bfloat16 messages load (got $out)" \
	"$([ "$out" = "float16:[1.5,-Infinity] bfloat16:[1.5,NaN]" ] && echo 1 || echo 0)"
ok "the server is still up, never restarted" \
	"$([ "$(psql -XAtc 'SELECT pg_postmaster_start_time()')" = "$start" ] && echo 1 || echo 0)"
psql -qX -c "DROP DATABASE corrupt"
rm -rf "$dir"
