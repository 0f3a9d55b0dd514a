#!/usr/bin/env bash
# Python lists sent by real drivers become tensors: psycopg2 sends a list as
# ARRAY[...] (numeric[] for floats), psycopg 3 as a typed array.  Expects
# the environment of test/pgcluster.sh (PGHOST, PGPORT, PGUSER).
set -euo pipefail
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS drv" -c "CREATE DATABASE drv"
psql -qX -v ON_ERROR_STOP=1 -d drv -c "CREATE EXTENSION dotext" \
	-c "CREATE TABLE items (id int, emb tensor, emb32 tensor(float32))"
# the system Python: the Debian driver packages (test/deps.sh) install there
/usr/bin/python3 - <<'PY'
import psycopg2
import psycopg

n = 0
def ok(name, cond):
    global n
    n += 1
    print(("ok" if cond else "not ok"), n, "-", name)

c = psycopg2.connect(dbname="drv")
cur = c.cursor()
cur.execute("INSERT INTO items VALUES (1, %s, %s)", ([0.5, 1.0, 2.0], [1.0, 0.0, 0.0]))
cur.execute("INSERT INTO items VALUES (2, %s, %s)", ([1, 2, 3], [1, 2, 3]))
cur.execute("SELECT id, emb::text, dtype(emb), emb32::text FROM items ORDER BY id")
rows = cur.fetchall()
ok("psycopg2: a list of floats is float32, as the literal", rows[0][1:3] == ("[0.5,1.0,2.0]", "float32"))
ok("psycopg2: a list of ints is int32 (sent as ARRAY[1,2,3], an integer[])", rows[1][1:3] == ("int32:[1,2,3]", "int32"))
ok("psycopg2: a tensor(float32) column takes both", rows[0][3] == "[1.0,0.0,0.0]" and rows[1][3] == "[1.0,2.0,3.0]")
cur.execute("SELECT (%s::tensor + %s::tensor)::text, (sum(emb32) * 0.5)::text FROM items", ([1.5, 2.0], [0.5, 1.0]))
r = cur.fetchone()
ok("psycopg2: arithmetic and sum on sent lists", r == ("[2.0,3.0]", "[1.0,1.0,1.5]"))
c.close()

with psycopg.connect(dbname="drv") as c3:
    r = c3.execute("SELECT dtype(%s::tensor), (%s::tensor)::text", ([0.5, 1.0], [0.5, 1.0])).fetchone()
    ok("psycopg 3: a list of floats is a float64 tensor (sent as double precision[])", r == ("float64", "float64:[0.5,1.0]"))
    c3.execute("INSERT INTO items (id, emb32) VALUES (3, %s)", ([0.25, 4.0, 1.0],))
    r = c3.execute("SELECT emb32::text FROM items WHERE id = 3").fetchone()
    ok("psycopg 3: a tensor(float32) column takes it as float32", r == ("[0.25,4.0,1.0]",))
PY
psql -qX -d postgres -c "DROP DATABASE drv"
