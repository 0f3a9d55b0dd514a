\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- || (torch.cat along the first axis), subvector() and l2_normalize()

SELECT '[1.5,2]'::tensor || '[3.0,4.25]' AS cat,
       '[[1,2]]'::tensor || '[[3,4],[5,6]]' AS cat_rows,
       'int32:[1]'::tensor || 'int32:[]'::tensor AS cat_empty,
       '[1.0,2.0,3.0]'::tensor(float32) || '[4.0,5.0]' AS issue_example,
       dtype('float64:[1]'::tensor || 'float64:[2]');
-- the issue's example: a float32 tensor and an int64 literal no longer make text
SELECT err($$SELECT '[1,2,3]'::tensor(float32) || '[4,5]'$$);
SELECT err($$SELECT '[[1,2]]'::tensor || '[3,4]'$$);
SELECT err($$SELECT '[[1,2]]'::tensor || '[[3,4,5]]'$$);
SELECT err($$SELECT '1'::tensor || '2'$$);

-- subvector(t, start, count): 1-based, clamped like substring(); every row of a batch
SELECT subvector('[1,2,3,4,5]'::tensor, 1, 3) AS s13, subvector('[1,2,3,4,5]'::tensor, 3, 2) AS s32,
       subvector('[1,2,3,4,5]'::tensor, 0, 3) AS s03, subvector('[1,2,3,4,5]'::tensor, 4, 9) AS s49,
       subvector('[1,2,3,4,5]'::tensor, -1, 3) AS sm13;
SELECT subvector('[[1,2,3,4],[5,6,7,8]]'::tensor, 2, 2) AS batch,
       subvector('float64:[0.1,0.2,0.3]'::tensor, 2, 5) AS f64,
       subvector('[1,2,3]'::tensor, 1, 0) AS count0, subvector('[1,2,3]'::tensor, 4, 1) AS past_end,
       subvector('[1,2,3]'::tensor, 2147483647, 2147483647) AS no_overflow,
       shape(subvector(reshape('[]'::tensor, '{3,0}'), 1, 2)) AS empty_rows;
SELECT err($$SELECT subvector('[1,2,3]'::tensor, 1, -1)$$);
SELECT err($$SELECT subvector('5'::tensor, 1, 1)$$);

-- l2_normalize(t): each row of the last axis to unit length; a zero row stays zero
SELECT l2_normalize('[3.0,4.0]'::tensor) AS n34, l2_normalize('[0.0,0.0]'::tensor) AS zero,
       l2_normalize('[1.0,1.0,1.0]'::tensor) AS n111,
       l2_normalize('[[3,4],[0,0],[0,-2]]'::tensor) AS rows_int64,
       l2_normalize('float64:[1,1]'::tensor) AS f64, l2_normalize('[nan,1.0]'::tensor) AS nan,
       l2_normalize('[]'::tensor) AS empty, l2_normalize('-2.5'::tensor) AS rank0;
SELECT norm(l2_normalize('[0.1,0.2,0.3,0.4]'::tensor)) BETWEEN 1 - 1e-7 AND 1 + 1e-7 AS unit;

-- subscripts: one bracket per leading dimension; t[i] indexes from 1 and
-- drops the dimension, t[lo:hi] keeps it (bounds included, clamped, as arrays)
SELECT t[2] AS row2, t[2][3] AS elem, t[:][2:3] AS cols23, t[1:1] AS first_row,
       t[0:1] AS clamped, t[2:] AS from2, shape(t[3:1]) AS empty, t[5] IS NULL AS out_of_range_null,
       t[0] IS NULL AS zero_null, t[NULL] IS NULL AS null_subscript
FROM (SELECT '[[1,2,3],[4,5,6]]'::tensor AS t) s;
-- Matryoshka truncation of a batch, and the same as subvector
SELECT e[:][1:2] AS truncated, e[:][1:2] = subvector(e, 1, 2) AS as_subvector,
       dtype(e[1]), ('float64:[0.1,0.2,0.3]'::tensor)[2:3] AS f64
FROM (SELECT '[[0.5,0.25,0.125],[1.0,2.0,4.0]]'::tensor AS e) s;
SELECT err($$SELECT ('[[1,2],[3,4]]'::tensor)[1][1:2]$$);
SELECT err($$SELECT ('[1,2]'::tensor)[1][1]$$);
SELECT err($$SELECT ('5'::tensor)[1]$$);
SELECT err($$SELECT ('[1,2]'::tensor)[true]$$);
SELECT err($$SELECT ('[1]'::tensor)[1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1][1]$$);
CREATE TABLE sub (t tensor);
SELECT err($$UPDATE sub SET t[1] = '5'$$);
DROP TABLE sub;

-- pgvector, same inputs (results of pgvector 0.8 computed on this machine,
-- written here so that this test does not need pgvector installed):
--   '[1.5,2]'::vector || '[3,4.25]'        -> [1.5,2,3,4.25]
--   subvector('[1,2,3,4,5]', 1, 3)          -> [1,2,3]
--   subvector('[1,2,3,4,5]', 3, 2)          -> [3,4]
--   subvector('[1,2,3,4,5]', 0, 3)          -> [1,2]
--   subvector('[1,2,3,4,5]', 4, 9)          -> [4,5]
--   subvector('[1,2,3,4,5]', -1, 3)         -> [1]
--   subvector('[1,2,3]', 1, 0)              -> ERROR 22000 (dotext: shape (0))
--   subvector('[1,2,3]', 4, 1)              -> ERROR 22000 (dotext: shape (0))
--   subvector('[1,2,3]', 1, -1)             -> ERROR 22000 (dotext: 22023, a bad parameter)
--   l2_normalize('[3,4]')                   -> [0.6,0.8]
--   l2_normalize('[0,0]')                   -> [0,0]
--   l2_normalize('[1,1,1]')                 -> [0.57735026,0.57735026,0.57735026]
--   ('[1,2,3]'::vector)[1]                  -> ERROR 42804, vector has no subscripts
SELECT '[1.5,2]'::tensor || '[3.0,4.25]' = '[1.5,2,3,4.25]' AS cat,
       subvector('[1.0,2,3,4,5]'::tensor, 1, 3) = '[1.0,2,3]' AS s13,
       subvector('[1.0,2,3,4,5]'::tensor, 3, 2) = '[3.0,4]' AS s32,
       subvector('[1.0,2,3,4,5]'::tensor, 0, 3) = '[1.0,2]' AS s03,
       subvector('[1.0,2,3,4,5]'::tensor, 4, 9) = '[4.0,5]' AS s49,
       subvector('[1.0,2,3,4,5]'::tensor, -1, 3) = '[1.0]' AS sm13,
       l2_normalize('[3.0,4]'::tensor) = '[0.6,0.8]' AS n34,
       l2_normalize('[0.0,0]'::tensor) = '[0.0,0]' AS n00,
       l2_normalize('[1.0,1,1]'::tensor) = '[0.57735026,0.57735026,0.57735026]' AS n111;
