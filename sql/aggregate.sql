\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- sum(tensor) and avg(tensor): element-wise over same-shaped tensors

CREATE TABLE agg (g int, t tensor);
INSERT INTO agg VALUES (1, '[1.0,2.0,3.0]'), (1, '[4.0,5.0,6.5]'), (1, NULL),
	(2, 'float64:[[0.1,0.2],[0.3,0.4]]'), (2, 'float64:[[1,1],[1,1]]'),
	(3, 'int32:[2147483647,1]'), (3, 'int32:[2147483647,2]'), (3, 'int32:[1,3]'),
	(4, '[9223372036854775807]'), (4, '[-9223372036854775807]'), (5, '3');
SELECT g, sum(t), avg(t), dtype(sum(t)) AS sum_dtype, dtype(avg(t)) AS avg_dtype
FROM agg GROUP BY g ORDER BY g;
-- float32 is summed in double and rounded once: the two 1s are not lost
SELECT sum(t) FROM (VALUES ('[16777216.0]'::tensor), ('[1.0]'), ('[1.0]')) v(t);
-- no rows, or only NULLs: NULL
SELECT sum(t), avg(t) FROM agg WHERE false;
SELECT sum(t) IS NULL AS null_sum, avg(t) IS NULL AS null_avg FROM agg WHERE t IS NULL;

-- parallel: partial aggregates in workers, combined in the leader
CREATE TABLE aggp AS SELECT i, ('[' || i || ',' || (i % 7) || '.5]')::tensor AS t
	FROM generate_series(1, 20000) i;
ANALYZE aggp;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT sum(t), avg(t) FROM aggp;
SELECT sum(t), avg(t) FROM aggp;
SELECT sum(t::tensor(int64)) AS exact_int_sum FROM aggp;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- the same without workers
SELECT sum(t), avg(t) FROM aggp;

-- errors
SELECT err($$SELECT sum(t) FROM (VALUES ('[1.0,2.0]'::tensor), ('[1.0]')) v(t)$$);
SELECT err($$SELECT avg(t) FROM (VALUES ('[[1.0,2.0]]'::tensor), ('[1.0,2.0]')) v(t)$$);
SELECT err($$SELECT sum(t) FROM (VALUES ('[1.0]'::tensor), ('[1]')) v(t)$$);
SELECT err($$SELECT avg(t) FROM (VALUES ('[1]'::tensor), ('int32:[1]')) v(t)$$);
SELECT err($$SELECT sum(t) FROM agg WHERE g = 4 OR g = 5$$);
SELECT err($$SELECT sum(t) FROM (VALUES ('[9223372036854775807]'::tensor), ('[1]')) v(t)$$);
DROP TABLE agg, aggp;

-- pgvector, same inputs (results of pgvector 0.8 computed on this machine,
-- written here so that this test does not need pgvector installed):
--   sum/avg of '[1,2,3]', '[4,5,6.5]'   -> [5,7,9.5] and [2.5,3.5,4.75]
--   over no rows                         -> NULL and NULL
--   avg of '[1]', '[2]', '[2]'           -> [1.6666666]
--   sum or avg of '[1,2,3]', '[4,5]'     -> ERROR 22000
SELECT sum(t) = '[5.0,7,9.5]' AS sum_as_pgvector, avg(t) = '[2.5,3.5,4.75]' AS avg_as_pgvector
FROM (VALUES ('[1.0,2,3]'::tensor), ('[4.0,5,6.5]')) v(t);
SELECT avg(t) = '[1.6666666]' AS avg_rounding_as_pgvector FROM (VALUES ('[1.0]'::tensor), ('[2.0]'), ('[2.0]')) v(t);
SELECT err($$SELECT sum(t) FROM (VALUES ('[1.0,2,3]'::tensor), ('[4.0,5]')) v(t)$$) AS like_pgvector_22000;
