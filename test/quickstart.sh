#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine (as root or through sudo):
# installs the dependencies, builds and installs dotext, starts a throwaway
# PostgreSQL cluster and ranks rows by similarity.  The cluster is removed
# when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/deps.sh >/tmp/dotext-deps.log 2>&1 || { cat /tmp/dotext-deps.log; exit 1; }
make -s && make -s install
. test/pgcluster.sh
pg_start
echo "PostgreSQL $(psql -XAtc 'SHOW server_version') on $PGHOST port $PGPORT"
psql -X -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION dotext;
-- 10000 items with deterministic 64-dimensional float32 embeddings: 50
-- topics, each item its topic's direction plus its own noise, from a
-- seeded pseudo-random generator (hashint8), so neighbours differ
CREATE FUNCTION pseudo_random(bigint) RETURNS float8 IMMUTABLE PARALLEL SAFE
	LANGUAGE sql AS 'SELECT hashint8($1) / 2147483648.0';
CREATE TABLE items (id bigint PRIMARY KEY, emb tensor(float32));
INSERT INTO items
SELECT i, ARRAY(SELECT (pseudo_random(i % 50 * 100 + j) + 0.4 * pseudo_random(10000 + i * 64 + j))::real
                FROM generate_series(1, 64) j)::tensor
FROM generate_series(1, 10000) i;

\echo '-- the 5 items most similar to item 42 (cosine distance, as pgvector spells it)'
SELECT id, round((emb <=> (SELECT emb FROM items WHERE id = 42))::numeric, 6) AS cosine_distance
FROM items ORDER BY emb <=> (SELECT emb FROM items WHERE id = 42) LIMIT 5;

\echo '-- the 3 best by inner product for two queries at once, in one scan'
SELECT topk(emb, id, (SELECT stack(emb ORDER BY id) FROM items WHERE id IN (7, 4242)), 3) FROM items;

\echo '-- torch.dot and tf.keras.layers.Dot'
SELECT dot('[1,2,3]', '[11,21,19]') AS dot,
       axis_dot(reshape('[0,1,2,3,4,5,6,7,8,9]', '{1,5,2}'),
                reshape('[10,11,12,13,14,15,16,17,18,19]', '{1,2,5}'), '{1,2}') AS keras_dot;
SQL

# the same from Python with the psycopg 3 adapter of test/clients/: numpy
# arrays in and out, sent in binary
echo "-- from Python (test/clients/dotext_psycopg.py):"
/usr/bin/python3 - <<'PY'
import sys
sys.path.insert(0, "test/clients")
import numpy as np
import psycopg
import dotext_psycopg

conn = psycopg.connect()
dotext_psycopg.register(conn)
q = conn.execute("SELECT emb FROM items WHERE id = 42").fetchone()[0]   # numpy float32 (64,)
q = q + np.float32(0.05)                                                 # a query near item 42
for id_, dist in conn.execute(
        "SELECT id, emb <=> %s FROM items ORDER BY emb <=> %s LIMIT 5", [q, q]):
    print(f"item {id_:5d}  cosine distance {dist:.6f}")
PY
