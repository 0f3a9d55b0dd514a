\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- flat_search(index, queries, k): many queries in one pass over a flat index
\set VERBOSITY sqlstate

CREATE TABLE fs (id int, emb tensor(float32));
INSERT INTO fs SELECT i, ARRAY(SELECT sin(i * 0.37 + j * 1.3)::real FROM generate_series(1, 64) j)::tensor
FROM generate_series(1, 3000) i;
INSERT INTO fs VALUES (3001, NULL);
CREATE INDEX fs_ip ON fs USING flat (emb);
CREATE INDEX fs_cos ON fs USING flat (emb tensor_cosine_ops);
CREATE TABLE fsq AS SELECT g AS qi, ARRAY(SELECT cos(j * g * 0.1)::real FROM generate_series(1, 64) j)::tensor AS q
FROM generate_series(1, 12) g;

-- fs_same(index, op, k): per query, the ctids and distances flat_search
-- gives for all 12 queries at once equal those of ORDER BY emb <op> q, ctid
-- (NULL rows are not indexed, so never returned)
CREATE FUNCTION fs_same(idx regclass, op text, k int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	PERFORM set_config('enable_indexscan', 'off', true);
	EXECUTE format($q$
		WITH s AS (SELECT * FROM flat_search(%L, (SELECT stack(q ORDER BY qi) FROM fsq), %s))
		SELECT count(*) FILTER (WHERE
			(SELECT array_agg(ctid::text || ' ' || distance ORDER BY rank) FROM s WHERE s.query = fsq.qi)
			= (SELECT array_agg(ctid::text || ' ' || d) FROM
				(SELECT ctid, emb %s fsq.q AS d FROM fs WHERE emb IS NOT NULL
				 ORDER BY emb %s fsq.q, ctid LIMIT %s) r))
		FROM fsq$q$, idx, k, op, op, k) INTO n;
	RETURN n;
END $$;

-- 12 queries: one sgemm per block filters, the exact dot decides
SELECT fs_same('fs_ip', '<#>', 10) AS ip_10, fs_same('fs_ip', '<#>', 1) AS ip_1,
       fs_same('fs_ip', '<#>', 3000) AS ip_all, fs_same('fs_cos', '<=>', 10) AS cos_10;
-- the output: query and rank from 1, joins back by ctid
SELECT s.query, s.rank, fs.id, s.distance = (fs.emb <#> '[1.0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]') AS same_distance
FROM flat_search('fs_ip', '[1.0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]', 3) s
JOIN fs ON fs.ctid = s.ctid ORDER BY s.query, s.rank;

-- dead rows never come back: deleted and updated rows before VACUUM, then
-- 90% of the table deleted (the first candidates run out: a second pass)
DELETE FROM fs WHERE id % 5 = 0;
UPDATE fs SET emb = ARRAY(SELECT cos(id * 0.11 + j)::real FROM generate_series(1, 64) j)::tensor WHERE id % 7 = 0;
SELECT fs_same('fs_ip', '<#>', 10) AS ip_dead, fs_same('fs_cos', '<=>', 10) AS cos_dead;
DELETE FROM fs WHERE id % 10 <> 1;
SELECT fs_same('fs_ip', '<#>', 10) AS ip_mostly_dead, fs_same('fs_ip', '<#>', 400) AS ip_more_than_live;
VACUUM fs;
SELECT fs_same('fs_ip', '<#>', 10) AS ip_after_vacuum;
-- a row's own snapshot: a row deleted in this transaction is gone already
BEGIN;
DELETE FROM fs WHERE id = (SELECT fs.id FROM flat_search('fs_ip', (SELECT q FROM fsq WHERE qi = 1), 1) s
                           JOIN fs ON fs.ctid = s.ctid);
SELECT fs_same('fs_ip', '<#>', 5) AS ip_in_transaction;
ROLLBACK;

-- float64, and an empty index
CREATE TABLE fs64 (id int, emb tensor(float64));
CREATE INDEX fs64_ip ON fs64 USING flat (emb);
SELECT count(*) AS empty FROM flat_search('fs64_ip', 'float64:[1,2,3]', 5);
INSERT INTO fs64 SELECT i, ARRAY[i, -i, i * 0.1]::float8[]::tensor FROM generate_series(1, 300) i;
SELECT query, rank, distance FROM flat_search('fs64_ip', 'float64:[[0.5,1,2],[-1,0,0]]', 2);
-- integer queries convert to the index's dtype
SELECT query, rank, distance FROM flat_search('fs64_ip', '[[0,0,1]]', 2);
SELECT query, rank, distance = (SELECT emb <#> '[0,0,1]'::tensor FROM fs64 WHERE fs64.ctid = s.ctid) AS same
FROM flat_search('fs64_ip', '[[0,0,1]]', 2) s;
SELECT err($$SELECT * FROM flat_search('fs64_ip', '[[0,0,9007199254740993]]', 2)$$) AS int_query_inexact;
SELECT err($$SELECT * FROM flat_search('fs_ip', ('[[16777217' || repeat(',0', 63) || ']]')::tensor, 2)$$) AS int_query_inexact_f32;
-- float64 distances are the operator's
SELECT bool_and(s.distance = (fs64.emb <#> 'float64:[0.5,1,2]')) AS same_as_operator, count(*)
FROM flat_search('fs64_ip', 'float64:[0.5,1,2]', 300) s JOIN fs64 ON fs64.ctid = s.ctid;

-- many queries: the work goes in blocks of queries x rows (here 100000
-- one-element queries, half +1, half -1, over 200 rows)
CREATE TABLE fs1 AS SELECT i AS id, ARRAY[i::real]::tensor AS emb FROM generate_series(1, 200) i;
CREATE INDEX fs1_ip ON fs1 USING flat (emb);
SELECT distance, count(*), count(DISTINCT ctid) AS ctids
FROM flat_search('fs1_ip', (SELECT ARRAY(SELECT ARRAY[(CASE WHEN g % 2 = 0 THEN 1 ELSE -1 END)::real]
                                        FROM generate_series(1, 100000) g)::tensor), 1)
GROUP BY distance ORDER BY distance;
SELECT count(*) AS rows_q2, min(rank), max(rank) FROM flat_search('fs1_ip',
    (SELECT ARRAY(SELECT ARRAY[(CASE WHEN g % 2 = 0 THEN 1 ELSE -1 END)::real] FROM generate_series(1, 5000) g)::tensor), 150);

-- errors
SELECT err($$SELECT * FROM flat_search('fsq', '[1.0,2]', 1)$$) AS not_an_index;
CREATE INDEX fs_btree ON fs (id);
SELECT err($$SELECT * FROM flat_search('fs_btree', '[1.0,2]', 1)$$) AS not_flat;
SELECT err($$SELECT * FROM flat_search(0, '[1.0,2]', 1)$$) AS oid_zero;
SELECT err($$SELECT * FROM flat_search(4000000000::oid::regclass, '[1.0,2]', 1)$$) AS no_such_oid;
SELECT err($$SELECT * FROM flat_search('pg_class'::regclass::oid, '[1.0,2]', 1)$$) AS catalog_table;
CREATE SEQUENCE fs_seq;
SELECT err($$SELECT * FROM flat_search('fs_seq', '[1.0,2]', 1)$$) AS a_sequence;
DROP SEQUENCE fs_seq;
-- an invalid index (its CREATE INDEX CONCURRENTLY failed: mixed dimensions)
CREATE TABLE fsbad (emb tensor);
INSERT INTO fsbad VALUES ('[1.0,2]'), ('[1.0,2,3]');
CREATE INDEX CONCURRENTLY fsbad_ip ON fsbad USING flat (emb);
SELECT err($$SELECT * FROM flat_search('fsbad_ip', '[1.0,2]', 1)$$) AS invalid_index;
DROP TABLE fsbad;
SELECT err($$SELECT * FROM flat_search('fs_ip', (SELECT q FROM fsq WHERE qi = 1), 0)$$) AS k_zero;
SELECT err($$SELECT * FROM flat_search('fs_ip', '[1.0,2]', 1)$$) AS query_dim;
SELECT err($$SELECT * FROM flat_search('fs_ip', '[[[1.0]]]', 1)$$) AS query_rank;
SELECT err($$SELECT * FROM flat_search('fs_ip', 'float32(0,64):[]', 1)$$) AS no_queries;
SELECT err($$SELECT * FROM flat_search('fs_ip', 'float32(0,64):[]', 1000)$$) AS no_queries_k;
SELECT err($$SELECT * FROM flat_search('fs_cos', 'float32(0,64):[]', 1)$$) AS no_queries_cos;
-- the candidates of 30000 queries x 3001 rows would need 1.4 GB
SELECT err($$SELECT * FROM flat_search('fs_ip', array_fill(0.5::real, ARRAY[30000, 64])::tensor, 3000)$$) AS too_many_candidates;
SELECT err($$SELECT * FROM flat_search('fs_ip', (SELECT q::tensor(float64) FROM fsq WHERE qi = 1), 1)$$) AS query_dtype;
-- k above the row count is no error: every live row comes back
SELECT count(*) AS all_rows FROM flat_search('fs_ip', (SELECT q FROM fsq WHERE qi = 1), 2147483647);
CREATE ROLE flat_search_reader;
GRANT USAGE ON SCHEMA public TO flat_search_reader;
SET ROLE flat_search_reader;
SELECT err('SELECT * FROM flat_search(''fs_ip'', ''[' || repeat('1.0,', 63) || '1.0]'', 1)') AS no_select_right;
RESET ROLE;
-- row-level security: the index cannot apply the policies, so it refuses
GRANT SELECT ON fs TO flat_search_reader;
ALTER TABLE fs ENABLE ROW LEVEL SECURITY;
CREATE POLICY fs_some ON fs FOR SELECT USING (id < 100);
SET ROLE flat_search_reader;
SELECT count(*) AS visible_rows FROM fs;
SELECT err('SELECT * FROM flat_search(''fs_ip'', ''[' || repeat('1.0,', 63) || '1.0]'', 1)') AS rls_enabled;
RESET ROLE;
-- the owner (policies not forced) still may
SELECT count(*) AS owner_search FROM flat_search('fs_ip', (SELECT q FROM fsq WHERE qi = 1), 3);
DROP POLICY fs_some ON fs;
ALTER TABLE fs DISABLE ROW LEVEL SECURITY;
REVOKE SELECT ON fs FROM flat_search_reader;
DROP TABLE fs, fsq, fs64, fs1;
DROP FUNCTION fs_same;
REVOKE USAGE ON SCHEMA public FROM flat_search_reader;
DROP ROLE flat_search_reader;
