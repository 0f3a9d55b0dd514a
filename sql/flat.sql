\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- the flat index: exact ORDER BY emb <op> q LIMIT k through an index scan
\set VERBOSITY sqlstate

-- flat_same(tbl, op, q, k, cond): does the index scan give the same ids and
-- distances, in the same order, as the sequential scan's ORDER BY ..., ctid?
-- It also fails if the planner did not use the flat index.
CREATE FUNCTION flat_same(tbl text, op text, q text, k int, cond text DEFAULT 'true')
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	base text := format('SELECT id, (emb %s %L::tensor)::text AS d FROM %s WHERE %s ORDER BY emb %s %L::tensor',
						op, q, tbl, cond, op, q);
	plan text := '';
	line text;
	viaindex text[];
	viaseq text[];
BEGIN
	PERFORM set_config('enable_seqscan', 'off', true);
	PERFORM set_config('enable_indexscan', 'on', true);
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || base || ' LIMIT ' || k LOOP
		plan := plan || line;
	END LOOP;
	IF plan NOT LIKE '%Index Scan using%' THEN
		RAISE EXCEPTION 'flat index not used: %', plan;
	END IF;
	EXECUTE format('SELECT array_agg(id || '':'' || d) FROM (%s LIMIT %s) s', base, k) INTO viaindex;
	PERFORM set_config('enable_seqscan', 'on', true);
	PERFORM set_config('enable_indexscan', 'off', true);
	EXECUTE format('SELECT array_agg(id || '':'' || d) FROM (%s, ctid LIMIT %s) s', base, k) INTO viaseq;
	PERFORM set_config('enable_indexscan', 'on', true);
	RETURN viaindex IS NOT DISTINCT FROM viaseq;
END $$;

-- 3000 rows of 64 float32, with exact duplicates (ties go in ctid order),
-- a NaN row (last, as float8 sorts NaN) and NULL rows (not indexed)
CREATE TABLE fi (id int, emb tensor(float32), tag int);
INSERT INTO fi SELECT i, ARRAY(SELECT sin(i * 0.37 + j * 1.3)::real FROM generate_series(1, 64) j)::tensor, i % 10
FROM generate_series(1, 3000) i;
UPDATE fi SET emb = (SELECT emb FROM fi WHERE id = 7) WHERE id IN (100, 1500, 2999);
INSERT INTO fi VALUES (3001, NULL, 1), (3002, NULL, 2);
INSERT INTO fi SELECT 3003, ('[nan' || repeat(',1', 63) || ']')::tensor, 3;
CREATE INDEX fi_ip ON fi USING flat (emb);
CREATE INDEX fi_cos ON fi USING flat (emb tensor_cosine_ops);
ANALYZE fi;
SELECT '[' || string_agg(cos(j * 0.7)::real::text, ',') || ']' AS q1 FROM generate_series(1, 64) j \gset
CREATE TABLE fq AS SELECT :'q1'::tensor AS q;

-- the planner takes the index for ORDER BY ... LIMIT and for nothing else
EXPLAIN (COSTS OFF) SELECT id FROM fi ORDER BY emb <#> (SELECT q FROM fq) LIMIT 10;
EXPLAIN (COSTS OFF) SELECT id FROM fi ORDER BY emb <=> (SELECT q FROM fq) LIMIT 10;
EXPLAIN (COSTS OFF) SELECT id FROM fi ORDER BY emb <#> (SELECT q FROM fq);
EXPLAIN (COSTS OFF) SELECT id FROM fi WHERE id = 5;
EXPLAIN (COSTS OFF) SELECT id FROM fi ORDER BY emb <#> (SELECT q FROM fq) DESC LIMIT 10;
EXPLAIN (COSTS OFF) SELECT count(*) FROM fi;

-- exactly the sequential scan's answer, for small and large k (several passes)
SELECT k, flat_same('fi', '<#>', :'q1', k) AS ip, flat_same('fi', '<=>', :'q1', k) AS cosine
FROM unnest(ARRAY[1, 10, 128, 129, 1000, 3001]) k;
-- ties: row 7 and its three copies have one distance and come in ctid order
SELECT id, ctid FROM fi ORDER BY emb <=> (SELECT emb FROM fi WHERE id = 7) LIMIT 5;
SELECT flat_same('fi', '<=>', (SELECT emb::text FROM fi WHERE id = 7), 10) AS ties_same;
-- the NaN row comes after every number; NULL rows are not in the index, so
-- an index scan ends where the sequential scan would go on with them
SET enable_seqscan = off;
SELECT id, emb <#> :'q1' AS d FROM fi ORDER BY emb <#> :'q1' OFFSET 2998 LIMIT 5;
RESET enable_seqscan;
SET enable_indexscan = off;
SELECT id, emb <#> :'q1' AS d FROM fi ORDER BY emb <#> :'q1' OFFSET 2998 LIMIT 5;
RESET enable_indexscan;
-- a WHERE clause on another column: the scan goes on until LIMIT is met
SELECT flat_same('fi', '<#>', :'q1', 20, 'tag = 3') AS where_tag,
       flat_same('fi', '<=>', :'q1', 50, 'id % 97 = 0') AS where_rare;
-- one index scan per outer row (rescan with a new query each time)
SELECT g, (SELECT array_agg(id) FROM (SELECT id FROM fi ORDER BY emb <#> q LIMIT 3) s) =
          (SELECT array_agg(id) FROM (SELECT id FROM fi ORDER BY (emb <#> q) + 0, ctid LIMIT 3) s) AS same
FROM (SELECT g, ARRAY(SELECT cos(j * g)::real FROM generate_series(1, 64) j)::tensor AS q
      FROM generate_series(1, 3) g) qs;

-- a NULL query (a parameter of a generic plan): every distance is NULL, so
-- the order is ctid's, as the sequential scan sorts them
PREPARE fnull(tensor) AS SELECT id FROM fi ORDER BY emb <#> $1 LIMIT 4;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE fnull(NULL);
EXECUTE fnull(NULL);
RESET plan_cache_mode;
DEALLOCATE fnull;
SELECT id FROM fi ORDER BY ctid LIMIT 4;

-- deleted and updated rows, before and after VACUUM
DELETE FROM fi WHERE id % 5 = 0;
UPDATE fi SET emb = ARRAY(SELECT cos(id * 0.11 + j)::real FROM generate_series(1, 64) j)::tensor WHERE id % 7 = 0;
SELECT flat_same('fi', '<#>', :'q1', 10) AS before_vacuum, flat_same('fi', '<=>', :'q1', 500) AS before_vacuum_500;
VACUUM fi;
SELECT flat_same('fi', '<#>', :'q1', 10) AS after_vacuum, flat_same('fi', '<=>', :'q1', 500) AS after_vacuum_500;
-- VACUUM freed the slots of the dead rows: as many new rows fit in them
SELECT pg_relation_size('fi_ip') AS size_before \gset
INSERT INTO fi SELECT i, ARRAY(SELECT sin(i * 0.5 + j)::real FROM generate_series(1, 64) j)::tensor, 0
FROM generate_series(4001, 4600) i;
SELECT pg_relation_size('fi_ip') = :size_before AS slots_reused,
       flat_same('fi', '<#>', :'q1', 30) AS after_reuse;
-- rows deleted from the end of the stream give their slots back for appends
DELETE FROM fi WHERE id > 4000;
VACUUM fi;
SELECT flat_same('fi', '<#>', :'q1', 10) AS after_trim;
-- a trim of 2500 slots, in rounds of 1024 under the metapage lock
CREATE TABLE ftrim AS SELECT i AS id, ARRAY[sin(i), cos(i), i * 0.001, 1]::real[]::tensor AS emb
FROM generate_series(1, 3000) i;
CREATE INDEX ftrim_ip ON ftrim USING flat (emb);
SELECT pg_relation_size('ftrim_ip') AS trim_size \gset
DELETE FROM ftrim WHERE id > 500;
VACUUM ftrim;
SELECT flat_same('ftrim', '<#>', '[0.5,0.5,1,0]', 600) AS after_long_trim;
INSERT INTO ftrim SELECT i, ARRAY[cos(i), sin(i), i * 0.002, 1]::real[]::tensor FROM generate_series(3001, 5500) i;
SELECT pg_relation_size('ftrim_ip') = :trim_size AS trimmed_slots_appended,
       flat_same('ftrim', '<#>', '[0.5,0.5,1,0]', 3000) AS after_refill;
DROP TABLE ftrim;

-- index size: the vector bytes plus an 8-byte TID header per row
CREATE TABLE fsz128 AS SELECT i AS id, ARRAY(SELECT (i * j % 17)::real FROM generate_series(1, 128) j)::tensor AS emb
FROM generate_series(1, 2000) i;
CREATE TABLE fsz768 AS SELECT i AS id, ARRAY(SELECT (i * j % 17)::real FROM generate_series(1, 768) j)::tensor AS emb
FROM generate_series(1, 2000) i;
CREATE INDEX ON fsz128 USING flat (emb);
CREATE INDEX ON fsz768 USING flat (emb);
SELECT d, round(pg_relation_size(i)::numeric / (2000 * d * 4), 3) AS size_over_raw
FROM (VALUES (128, 'fsz128_emb_idx'::regclass), (768, 'fsz768_emb_idx'::regclass)) v(d, i);
SELECT flat_same('fsz768', '<#>', (SELECT emb::text FROM fsz768 WHERE id = 3), 25) AS spanning_vectors;

-- records spanning many pages: 3072 float32 (2 pages), 9000 float32 (5) and
-- 3072 float64 (4): build, insert, delete, VACUUM, slot reuse, trim
CREATE TABLE fbig (id int, emb tensor);
INSERT INTO fbig SELECT i, ARRAY(SELECT sin(i * 0.37 + j * 0.013)::real FROM generate_series(1, 3072) j)::tensor
FROM generate_series(1, 40) i;
CREATE INDEX fbig_ip ON fbig USING flat (emb);
CREATE TABLE fhuge (id int, emb tensor);
INSERT INTO fhuge SELECT i, ARRAY(SELECT cos(i * 0.41 + j * 0.007)::real FROM generate_series(1, 9000) j)::tensor
FROM generate_series(1, 30) i;
CREATE INDEX fhuge_ip ON fhuge USING flat (emb);
CREATE INDEX fhuge_cos ON fhuge USING flat (emb tensor_cosine_ops);
CREATE TABLE fbig64 (id int, emb tensor(float64));
CREATE INDEX fbig64_ip ON fbig64 USING flat (emb);
INSERT INTO fbig64 SELECT i, ARRAY(SELECT sin(i * 0.29 + j * 0.011) FROM generate_series(1, 3072) j)::tensor
FROM generate_series(1, 30) i;
SELECT flat_same('fbig', '<#>', (SELECT emb::text FROM fbig WHERE id = 3), 40) AS f32_3072_built,
       flat_same('fhuge', '<#>', (SELECT emb::text FROM fhuge WHERE id = 3), 30) AS f32_9000_built,
       flat_same('fbig64', '<#>', (SELECT emb::text FROM fbig64 WHERE id = 3), 30) AS f64_3072_inserted;
INSERT INTO fbig SELECT i, ARRAY(SELECT sin(i * 0.37 + j * 0.013)::real FROM generate_series(1, 3072) j)::tensor
FROM generate_series(41, 60) i;
INSERT INTO fhuge SELECT i, ARRAY(SELECT cos(i * 0.41 + j * 0.007)::real FROM generate_series(1, 9000) j)::tensor
FROM generate_series(31, 45) i;
DELETE FROM fbig WHERE id % 4 = 0;
DELETE FROM fhuge WHERE id % 3 = 0;
DELETE FROM fbig64 WHERE id % 5 = 0 OR id > 25;
SELECT flat_same('fbig', '<#>', (SELECT emb::text FROM fbig WHERE id = 5), 60) AS f32_3072_deleted,
       flat_same('fhuge', '<=>', (SELECT emb::text FROM fhuge WHERE id = 5), 45) AS f32_9000_deleted,
       flat_same('fbig64', '<#>', (SELECT emb::text FROM fbig64 WHERE id = 7), 30) AS f64_3072_deleted;
VACUUM fbig, fhuge, fbig64;
SELECT pg_relation_size('fhuge_ip') AS huge_size \gset
INSERT INTO fhuge SELECT i, ARRAY(SELECT cos(i * 0.43 + j * 0.005)::real FROM generate_series(1, 9000) j)::tensor
FROM generate_series(46, 60) i;
INSERT INTO fbig64 SELECT i, ARRAY(SELECT cos(i * 0.29 + j * 0.011) FROM generate_series(1, 3072) j)::tensor
FROM generate_series(31, 40) i;
SELECT pg_relation_size('fhuge_ip') = :huge_size AS huge_slots_reused,
       flat_same('fbig', '<#>', (SELECT emb::text FROM fbig WHERE id = 5), 60) AS f32_3072_vacuumed,
       flat_same('fhuge', '<#>', (SELECT emb::text FROM fhuge WHERE id = 50), 60) AS f32_9000_reused,
       flat_same('fhuge', '<=>', (SELECT emb::text FROM fhuge WHERE id = 50), 60) AS f32_9000_cosine,
       flat_same('fbig64', '<#>', (SELECT emb::text FROM fbig64 WHERE id = 33), 40) AS f64_3072_vacuumed;
SELECT count(*) AS fhuge_rows FROM fhuge;
-- a record may span 64 pages: 128518 float32 elements at most
CREATE TABLE fwide (emb tensor);
INSERT INTO fwide VALUES (array_fill(1::real, ARRAY[128519])::tensor);
SELECT err($$CREATE INDEX ON fwide USING flat (emb)$$) AS build_too_wide;
TRUNCATE fwide;
CREATE INDEX fwide_ip ON fwide USING flat (emb);
SELECT err($$INSERT INTO fwide VALUES (array_fill(1::real, ARRAY[128519])::tensor)$$) AS insert_too_wide;
INSERT INTO fwide VALUES (array_fill(1::real, ARRAY[128518])::tensor), (array_fill(2::real, ARRAY[128518])::tensor);
SELECT emb <#> array_fill(1::real, ARRAY[128518])::tensor AS widest
FROM fwide ORDER BY emb <#> array_fill(1::real, ARRAY[128518])::tensor LIMIT 2;
DROP TABLE fbig, fhuge, fbig64, fwide;

-- float64 (dtype from the column's type modifier), and an index built empty
CREATE TABLE f64 (id int, emb tensor(float64));
CREATE INDEX f64_ip ON f64 USING flat (emb);
SELECT flat_same('f64', '<#>', 'float64:[1,2,3]', 5) AS empty_index;
INSERT INTO f64 SELECT i, ARRAY[i, -i, i * 0.1]::float8[]::tensor FROM generate_series(1, 300) i;
SELECT flat_same('f64', '<#>', 'float64:[0.5,1,2]', 5) AS float64_index;
SELECT id FROM f64 ORDER BY emb <#> 'float64:[0.5,1,2]' LIMIT 3;

-- CREATE INDEX CONCURRENTLY (its validation pass goes through ambulkdelete's
-- callback and aminsert) and REINDEX
CREATE TABLE fcic AS SELECT i AS id, ARRAY(SELECT cos(i * 0.21 + j)::real FROM generate_series(1, 32) j)::tensor AS emb
FROM generate_series(1, 2000) i;
DELETE FROM fcic WHERE id % 3 = 0;
CREATE INDEX CONCURRENTLY fcic_ip ON fcic USING flat (emb);
SELECT indisvalid FROM pg_index WHERE indexrelid = 'fcic_ip'::regclass;
SELECT flat_same('fcic', '<#>', (SELECT emb::text FROM fcic WHERE id = 5), 20) AS concurrently_built;
REINDEX INDEX fcic_ip;
SELECT flat_same('fcic', '<#>', (SELECT emb::text FROM fcic WHERE id = 5), 20) AS reindexed;

-- the operators' own values: an integer query converts exactly (as <#> and
-- <=> convert it), a vector's <=> with itself is exactly 0 (clamped cosine)
SELECT '[' || string_agg(((j * 7919) % 2001 - 1000)::text, ',') || ']' AS qint FROM generate_series(1, 64) j \gset
SELECT flat_same('fi', '<#>', :'qint', 50) AS int_query_ip, flat_same('fi', '<=>', :'qint', 50) AS int_query_cosine;
SELECT flat_same('fi', '<=>', (SELECT emb::text FROM fi WHERE id = 11), 5) AS cosine_self;
SET enable_seqscan = off;
SELECT id, emb <=> (SELECT emb FROM fi WHERE id = 11) AS d FROM fi
ORDER BY emb <=> (SELECT emb FROM fi WHERE id = 11) LIMIT 1;
SELECT err($$SELECT id FROM fi ORDER BY emb <#> ('[16777217' || repeat(',0', 63) || ']')::tensor LIMIT 1$$) AS int_query_inexact;
SELECT err($$SELECT id FROM fi ORDER BY emb <=> ('[16777217' || repeat(',0', 63) || ']')::tensor LIMIT 1$$) AS int_query_inexact_cosine;
RESET enable_seqscan;
SELECT err($$SELECT id FROM fi ORDER BY emb <#> ('[16777217' || repeat(',0', 63) || ']')::tensor LIMIT 1$$) AS int_query_inexact_seqscan;
SELECT id FROM fi ORDER BY emb <#> ('[16777216' || repeat(',0', 63) || ']')::tensor LIMIT 1;

-- errors: the shapes or dtypes that do not match
SELECT err($$INSERT INTO fi VALUES (9000, '[1.0,2,3]', 0)$$) AS wrong_dim;
SELECT err($$INSERT INTO fi VALUES (9000, '[[1.0,2],[3,4]]', 0)$$) AS wrong_rank;
SELECT err($$SELECT id FROM fi ORDER BY emb <#> '[1.0,2]' LIMIT 1$$) AS query_dim;
SET enable_seqscan = off;
SELECT err(format($$SELECT id FROM fi ORDER BY emb <#> %L::tensor(float64) LIMIT 1$$, :'q1')) AS query_dtype;
SELECT err($$SELECT id FROM fi ORDER BY emb <#> '[1.0,2]' LIMIT 1$$) AS query_dim_index;
RESET enable_seqscan;
CREATE TABLE funtyped (emb tensor);
INSERT INTO funtyped VALUES ('[1.0,2]');
CREATE INDEX funtyped_ip ON funtyped USING flat (emb);
SELECT err($$INSERT INTO funtyped VALUES ('[1,2]'::tensor(float64))$$) AS row_dtype;
SELECT err($$CREATE INDEX ON funtyped USING flat ((emb::tensor(int64)))$$) AS int_index;
SELECT err($$CREATE INDEX ON funtyped USING flat ((emb::tensor(float32)) tensor_ip_ops, emb)$$) AS two_columns;
CREATE TABLE fbad (emb tensor);
INSERT INTO fbad VALUES ('[1.0,2]'), ('[1.0,2,3]');
SELECT err($$CREATE INDEX ON fbad USING flat (emb)$$) AS build_mixed_dims;
DROP TABLE fi, fq, fcic, fsz128, fsz768, f64, funtyped, fbad;
DROP FUNCTION flat_same;
