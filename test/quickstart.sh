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
-- 10000 items with deterministic 64-dimensional float32 embeddings
CREATE TABLE items (id bigint PRIMARY KEY, emb tensor(float32));
INSERT INTO items
SELECT i, ARRAY(SELECT sin(i * 0.37 + j * 1.3)::real FROM generate_series(1, 64) j)::tensor
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
