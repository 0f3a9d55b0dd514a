#!/usr/bin/env bash
# pg_dump and restore, and COPY out and in (text and binary), keep every
# tensor of every dtype (float32, float64, int32, int64, float16, bfloat16)
# bit for bit, the column modifiers included, with the same stored size and
# the same conversion to float64; compared value by value through
# tensor_send and pg_column_size.  A 768-element float32 tensor reached
# through eight paths (literal digits, tags, casts, modifiers) is the same
# bits and size on every path.
# Expects the environment of test/pgcluster.sh (PGHOST, PGPORT, PGUSER).
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
n=0
ok() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

psql -qX -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS dr_src" -c "DROP DATABASE IF EXISTS dr_dst" \
	-c "CREATE DATABASE dr_src" -c "CREATE DATABASE dr_dst"
psql -qX -v ON_ERROR_STOP=1 -d dr_src <<'SQL'
CREATE EXTENSION dotext;
CREATE TABLE t (id int PRIMARY KEY, v tensor, v64 tensor(float64), v32 tensor(int32),
  v16 tensor(float16), vb16 tensor(bfloat16));
INSERT INTO t (id, v) VALUES
  (1, '[0.1, -2.5e-30, 3.4028235e38, 1e-45, -0.0, nan, inf, -inf]'),
  (2, 'float64:[0.1, 1.7976931348623157e308, 5e-324, -0.0, nan, -inf]'),
  (3, 'int32:[2147483647, -2147483648, 0]'),
  (4, '[9223372036854775807, -9223372036854775808]'),
  (5, '3.25'), (6, 'int64:7'),
  (7, '[[[1.5,2],[3,4]],[[5,6],[7,8]]]'),
  (8, '[]'), (9, 'int64:[]'), (10, 'float64:[[],[]]'), (11, 'int32:[[[]]]');
INSERT INTO t (id, v64, v32) VALUES (12, '[0.1, 0.7]', '[1, -1]');
-- untyped float32 literals whose digits say more than float32 holds
INSERT INTO t (id, v) VALUES (13, '[0.1, 0.12345678901234567, 16777217, 1e-40]'),
  (14, '[[0.3333333333333333, 2.718281828459045], [1e38, -7e-45]]'),
  (15, 'float64(2,0):[]'), (16, 'int32(0,3,0):[]');
INSERT INTO t (id, v) SELECT 300 + g, ('[' || random() || ',' || random() || ',' || g / 7.0 || ']')::tensor FROM generate_series(1, 50) g;
INSERT INTO t (id, v) SELECT 100 + g, ARRAY[random(), random(), g]::float8[]::tensor FROM generate_series(1, 50) g;
INSERT INTO t (id, v) SELECT 200 + g, ARRAY[random()::real, -g]::real[]::tensor FROM generate_series(1, 50) g;
-- float16 and bfloat16: extremes, subnormals, specials, empty and rank 0,
-- in the untyped column and in columns with the modifier
INSERT INTO t (id, v) VALUES
  (17, 'float16:[0.1, 65504, -6.103515625e-5, 5.9604644775390625e-8, -0.0, nan, inf, -inf]'),
  (18, 'bfloat16:[0.1, 3.3895313892515355e38, 9.183549615799121e-41, -0.0, nan, -inf]'),
  (19, 'float16(2,0):[]'), (20, 'bfloat16:7');
UPDATE t SET v16 = '[0.1, 0.7, 65504, -2.5e-7]', vb16 = '[0.1, 0.7, 1e38, -1e-40]' WHERE id = 12;
UPDATE t SET v16 = ARRAY[random(), -random(), id]::float8[]::tensor(float16),
  vb16 = ARRAY[random() * 1e30, id / 7.0]::float8[]::tensor(bfloat16) WHERE id BETWEEN 101 AND 150;
INSERT INTO t (id, v) SELECT 400 + g, ARRAY[random(), g / 3.0]::float8[]::tensor(float16)::tensor FROM generate_series(1, 25) g;
INSERT INTO t (id, v) SELECT 450 + g, ARRAY[random() * 1e-30, g / 3.0]::float8[]::tensor(bfloat16)::tensor FROM generate_series(1, 25) g;
-- one 768-element float32 tensor through eight paths: shortest digits,
-- 17 digits of the float64 values, the same into tensor(float32), the
-- float32 tag, real[], float8[] into tensor(float32), a float64 tensor cast
-- to tensor(float32), and dotext's own text output read back
DO $$ BEGIN PERFORM setseed(0.12); END $$;
CREATE TEMP TABLE src AS SELECT array_agg(random() * 0.1 - 0.05) AS a FROM generate_series(1, 768);
INSERT INTO t (id, v) SELECT 501, ('[' || array_to_string(a::real[], ',') || ']')::tensor FROM src;
INSERT INTO t (id, v) SELECT 502, ('[' || array_to_string(a::real[]::float8[], ',') || ']')::tensor FROM src;
INSERT INTO t (id, v) SELECT 503, ('[' || array_to_string(a, ',') || ']')::tensor(float32) FROM src;
INSERT INTO t (id, v) SELECT 504, ('float32:[' || array_to_string(a, ',') || ']')::tensor FROM src;
INSERT INTO t (id, v) SELECT 505, a::real[]::tensor FROM src;
INSERT INTO t (id, v) SELECT 506, a::tensor(float32) FROM src;
INSERT INTO t (id, v) SELECT 507, ('float64:[' || array_to_string(a, ',') || ']')::tensor::tensor(float32) FROM src;
INSERT INTO t (id, v) SELECT 508, v::text::tensor FROM t WHERE id = 503;
SQL
"$PG_BIN/pg_dump" -Fc -d dr_src -f "$PGHOST/dr.dump"
"$PG_BIN/pg_restore" -d dr_dst "$PGHOST/dr.dump"
"$PG_BIN/pg_dump" -d dr_src -f "$PGHOST/dr.sql"

ok "pg_dump writes the modifier as tensor(float64)" "grep -q 'v64 public.tensor(float64)' '$PGHOST/dr.sql'"
ok "pg_dump writes the modifiers tensor(float16) and tensor(bfloat16)" \
	"grep -q 'v16 public.tensor(float16)' '$PGHOST/dr.sql' && grep -q 'vb16 public.tensor(bfloat16)' '$PGHOST/dr.sql'"
# compare through a text export of the bytes, since the databases differ
q="SELECT id, coalesce(encode(tensor_send(v),'hex'),'-'), coalesce(encode(tensor_send(v64),'hex'),'-'), coalesce(encode(tensor_send(v32),'hex'),'-'),
  coalesce(encode(tensor_send(v16),'hex'),'-'), coalesce(encode(tensor_send(vb16),'hex'),'-'),
  pg_column_size(v), pg_column_size(v64), pg_column_size(v32), pg_column_size(v16), pg_column_size(vb16),
  coalesce(encode(tensor_send(v::tensor(float64)),'hex'),'-'), coalesce(encode(tensor_send(v16::tensor(float64)),'hex'),'-'),
  coalesce(encode(tensor_send(vb16::tensor(float64)),'hex'),'-'),
  format_type(atttypid, atttypmod) FROM t, pg_attribute WHERE attrelid = 't'::regclass AND attname = 'v64' ORDER BY id"
psql -qXAt -d dr_src -c "$q" >"$PGHOST/src.txt"
psql -qXAt -d dr_dst -c "$q" >"$PGHOST/dst.txt"
ok "every value restored bit for bit ($(wc -l <"$PGHOST/src.txt") rows)" "cmp -s '$PGHOST/src.txt' '$PGHOST/dst.txt' && [ \$(wc -l <'$PGHOST/src.txt') = 228 ]"
dtypes=$(psql -qXAt -d dr_dst -c "SELECT string_agg(dtype(v) || ':' || array_to_string(shape(v), 'x'), ' ' ORDER BY id) FROM t WHERE id <= 20 AND v IS NOT NULL")
ok "dtypes and shapes survive" "[ '$dtypes' = 'float32:8 float64:6 int32:3 int64:2 float32: int64: float32:2x2x2 float32:0 int64:0 float64:2x0 int32:1x1x0 float32:4 float32:2x2 float64:2x0 int32:0x3x0 float16:8 bfloat16:6 float16:2x0 bfloat16:' ]"
sizes=$(psql -qXAt -d dr_dst -c "SELECT string_agg(pg_column_size(v)::text, ' ' ORDER BY id) FROM t WHERE id IN (1, 13, 14)")
ok "a float32 value is 4 bytes an element whatever its digits ($sizes)" "[ '$sizes' = '45 29 29' ]"
sizes=$(psql -qXAt -d dr_dst -c "SELECT string_agg(pg_column_size(v)::text, ' ' ORDER BY id) FROM t WHERE id IN (1, 17, 18)")
ok "a float16 and a bfloat16 value are 2 bytes an element ($sizes)" "[ '$sizes' = '45 29 25' ]"
same768=$(psql -qXAt -d dr_dst -c "SELECT count(*), count(DISTINCT tensor_send(v)), min(pg_column_size(v)), max(pg_column_size(v)), min(dtype(v)), max(numel(v)) FROM t WHERE id BETWEEN 501 AND 508")
ok "a 768-element float32 tensor: same bits and size on eight paths ($same768)" "[ '$same768' = '8|1|3088|3088|float32|768' ]"
ok "float64 column keeps 0.1 exactly" "[ \"\$(psql -qXAt -d dr_dst -c 'SELECT tensor_to_float8(v64) = ARRAY[0.1::float8, 0.7] FROM t WHERE id = 12')\" = t ]"
# COPY out and in, text and binary, into a table of the same definition
for fmt in text binary; do
	psql -qX -v ON_ERROR_STOP=1 -d dr_src -c "\\copy t TO '$PGHOST/t.$fmt' (FORMAT $fmt)" \
		-c "CREATE TABLE t_$fmt (LIKE t)" -c "\\copy t_$fmt FROM '$PGHOST/t.$fmt' (FORMAT $fmt)"
	psql -qXAt -d dr_src -c "${q//FROM t,/FROM t_$fmt AS t,}" | sed 's/|[^|]*$//' >"$PGHOST/copy_$fmt.txt"
	sed 's/|[^|]*$//' "$PGHOST/src.txt" >"$PGHOST/src_nomod.txt"
	ok "COPY $fmt out and in keeps bits, sizes and float64 conversions" "cmp -s '$PGHOST/src_nomod.txt' '$PGHOST/copy_$fmt.txt'"
done
# plain-SQL dump restores too
psql -qX -d postgres -c "DROP DATABASE dr_dst" -c "CREATE DATABASE dr_dst"
psql -qX -v ON_ERROR_STOP=1 -d dr_dst -f "$PGHOST/dr.sql" >/dev/null
psql -qXAt -d dr_dst -c "$q" >"$PGHOST/dst2.txt"
ok "plain SQL dump restores bit for bit" "cmp -s '$PGHOST/src.txt' '$PGHOST/dst2.txt'"
psql -qX -d postgres -c "DROP DATABASE dr_src" -c "DROP DATABASE dr_dst"
