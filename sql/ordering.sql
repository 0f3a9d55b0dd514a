\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- the btree and hash operator classes: a total order over dtype, then
-- shape, then elements (floats as float8: -0 = 0, NaN = NaN, NaN last)

SELECT '[1,2,3]'::tensor < '[1,2,4]' AS lt, '[1,2,4]'::tensor > '[1,2,3]' AS gt,
       '[1,2]'::tensor <= '[1,2]' AS le, '[1,2]'::tensor >= '[1,3]' AS ge,
       '[2]'::tensor < '[1,2,3]' AS shorter_first, '[5,5]'::tensor < '[[1,1]]' AS lower_rank_first,
       'float32:[9]'::tensor < 'int64:[1]' AS dtype_first,
       '[1.0,nan]'::tensor > '[1.0,inf]' AS nan_last, '[-0.0]'::tensor = '[0.0]' AS zeros,
       '[nan]'::tensor = '[inf]'::tensor - '[inf]' AS nans_equal;
SELECT tensor_cmp('[1,2]', '[1,3]') AS cmp_lt, tensor_cmp('[1,3]', '[1,3]') AS cmp_eq,
       tensor_cmp('[[1]]', '[1]') AS cmp_gt, tensor_cmp('float64:[1]', 'int32:[1]') AS by_dtype;
-- the hash agrees with =: -0 and 0, NaNs of any bits
SELECT tensor_hash('[0.0]') = tensor_hash('[-0.0]') AS h_zero,
       tensor_hash('float64:[nan]') = tensor_hash('float64:[inf]'::tensor - 'float64:[inf]') AS h_nan,
       tensor_hash_extended('[1.5]', 7) = tensor_hash_extended('[1.5]', 7) AS h_ext,
       tensor_hash('[1,2]') <> tensor_hash('[[1,2]]') AS h_shape,
       tensor_hash_extended('[-0.0]', 1) = tensor_hash_extended('[0.0]', 1) AS h_ext_zero;

CREATE TABLE ord (id int, t tensor);
INSERT INTO ord VALUES (1, '[2]'), (2, '[1,2,3]'), (3, '[1,2]'), (4, '[1,2]'), (5, '[nan,1.0]'),
	(6, '[1.0,1.0]'), (7, '[-0.0,1.0]'), (8, '[0.0,1.0]'), (9, 'int32:[1,2]'), (10, '[[1,2]]'),
	(11, '[inf,1.0]'), (12, '3');
SELECT id, t FROM ord ORDER BY t, id;
SELECT id, t FROM ord ORDER BY t DESC, id;
SELECT DISTINCT t FROM ord ORDER BY t;
SELECT t, count(*), array_agg(id ORDER BY id) FROM ord GROUP BY t ORDER BY t;
SELECT t FROM ord WHERE id < 4 UNION SELECT t FROM ord WHERE id >= 3 ORDER BY t;
-- hash aggregation and sorted aggregation agree
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT t, count(*) FROM ord GROUP BY t;
SELECT t, count(*) FROM ord GROUP BY t ORDER BY 2 DESC, 1 LIMIT 3;
RESET enable_sort;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT DISTINCT t FROM ord;
RESET enable_hashagg;

-- joins on =: hash join, merge join, and a btree index
CREATE TABLE ord2 AS SELECT id + 100 AS id, t FROM ord;
SET enable_nestloop = off; SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT ord.id, ord2.id FROM ord JOIN ord2 USING (t);
SELECT ord.id, ord2.id FROM ord JOIN ord2 USING (t) ORDER BY 1, 2;
SET enable_hashjoin = off; SET enable_mergejoin = on;
EXPLAIN (COSTS OFF) SELECT ord.id, ord2.id FROM ord JOIN ord2 USING (t);
SELECT ord.id, ord2.id FROM ord JOIN ord2 USING (t) ORDER BY 1, 2;
RESET enable_nestloop; RESET enable_mergejoin; RESET enable_hashjoin;
CREATE INDEX ord_t ON ord (t);
-- a unique index sees -0 and 0 as one key, like =
SELECT err($$CREATE UNIQUE INDEX ord2_t ON ord2 (t) WHERE id NOT IN (104)$$);
CREATE UNIQUE INDEX ord2_t ON ord2 (t) WHERE id NOT IN (104, 108);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM ord WHERE t = '[1,2]';
SELECT id FROM ord WHERE t = '[1,2]' ORDER BY id;
EXPLAIN (COSTS OFF) SELECT id, t FROM ord WHERE t > '[1,2]' AND t <= '[[1,2]]' ORDER BY t;
SELECT id, t FROM ord WHERE t > '[1,2]' AND t <= '[[1,2]]' ORDER BY t, id;
RESET enable_seqscan;
SELECT err($$INSERT INTO ord2 VALUES (200, '[1,2]')$$);
-- a hash index
CREATE INDEX ord_th ON ord USING hash (t);
SET enable_seqscan = off; SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM ord WHERE t = '[-0.0,1.0]';
SELECT id FROM ord WHERE t = '[-0.0,1.0]' ORDER BY id;
RESET enable_seqscan; RESET enable_bitmapscan;
-- hash partitioning uses the extended hash: -0 and 0 land together
CREATE TABLE ordp (id int, t tensor) PARTITION BY HASH (t);
CREATE TABLE ordp0 PARTITION OF ordp FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE ordp1 PARTITION OF ordp FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO ordp SELECT id, t FROM ord;
SELECT count(DISTINCT tableoid) AS one_partition FROM ordp WHERE id IN (7, 8);
SELECT count(DISTINCT tableoid) AS one_partition FROM ordp WHERE id IN (3, 4);
SELECT count(*) FROM ordp WHERE t = '[0.0,1.0]';
DROP TABLE ord, ord2, ordp;

-- pgvector, same inputs (results of pgvector 0.8 computed on this machine,
-- written here so that this test does not need pgvector installed):
--   '[1,2,3]' < '[1,2,4]'   -> t       '[1,2]' < '[1,2,3]'   -> t
--   '[1,2,3]' < '[2]'       -> t (pgvector compares elements before
--                              lengths, as arrays do; dotext orders by
--                              shape first, so '[2]' < '[1,2,3]')
--   vector_cmp('[1,2]', '[1,3]') -> -1     '[0]' = '[-0]' -> t
--   ORDER BY of '[2]', '[1,2,3]', '[1,2]', '[1,2]' -> [1,2] [1,2] [1,2,3] [2]
SELECT '[1.0,2,3]'::tensor < '[1.0,2,4]' AS lt_as_pgvector, '[1.0,2]'::tensor < '[1.0,2,3]' AS prefix_as_pgvector,
       tensor_cmp('[1.0,2]', '[1.0,3]') AS cmp_as_pgvector, '[0.0]'::tensor = '[-0.0]' AS zeros_as_pgvector,
       '[1.0,2,3]'::tensor < '[2.0]' AS differs_from_pgvector;
SELECT t FROM (VALUES ('[2.0]'::tensor), ('[1.0,2,3]'), ('[1.0,2]'), ('[1.0,2]')) v(t) ORDER BY t;
