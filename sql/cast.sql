\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- casts between tensor and arrays

SELECT ARRAY[1.5,2,3]::real[]::tensor AS f32, dtype(ARRAY[1.5]::real[]::tensor);
SELECT ARRAY[0.1,2]::float8[]::tensor AS f64, dtype(ARRAY[0.1]::float8[]::tensor);
SELECT ARRAY[1,2]::int[]::tensor AS i32, ARRAY[1,2]::bigint[]::tensor AS i64;
SELECT '{{1,2,3},{4,5,6}}'::int[]::tensor AS md, shape('{{1,2,3},{4,5,6}}'::int[]::tensor);
SELECT shape('{{{1},{2}},{{3},{4}}}'::float8[]::tensor) AS rank3;
SELECT '{}'::real[]::tensor AS empty, shape('{}'::real[]::tensor), dtype('{}'::int[]::tensor);
-- lower bounds are dropped
SELECT '[5:6]={7,8}'::int[]::tensor AS lbound;
-- with a modifier the array converts
SELECT ARRAY[1.9,-1.9]::float8[]::tensor(int32) AS truncated;
SELECT ARRAY[1,2]::int[]::tensor(float64) AS widened;

-- tensor to arrays
SELECT '[[1,2],[3,4]]'::tensor::int[] AS i4, '[[1,2],[3,4]]'::tensor::bigint[] AS i8;
SELECT '[1.5,-2.5]'::tensor::real[] AS f4, '[1.5,-2.5]'::tensor::float8[] AS f8;
SELECT '[1.9,-1.9]'::tensor::int[] AS trunc_toward_zero;
SELECT '7'::tensor::int[] AS rank0, '[]'::tensor::int[] AS empty, '[[],[]]'::tensor::real[] AS empty2;
SELECT '[[[1,2]],[[3,4]]]'::tensor::float8[] AS rank3;
-- round trip through arrays
SELECT ('{{1.25,2},{3,4}}'::real[]::tensor)::real[] = '{{1.25,2},{3,4}}'::real[] AS same;

-- assignment casts into columns
CREATE TABLE ct (t tensor, a real[]);
INSERT INTO ct (t) VALUES (ARRAY[1,2,3]::real[]);
INSERT INTO ct (a) VALUES ('[4.5,5]'::tensor);
SELECT t, a FROM ct ORDER BY t IS NULL;
DROP TABLE ct;

-- errors
SELECT err($$SELECT ARRAY[1,NULL]::int[]::tensor$$);
SELECT err($$SELECT '[3e9]'::tensor::int[]$$);
SELECT err($$SELECT '[nan]'::tensor::bigint[]$$);
SELECT err($$SELECT 'float64:[1e300]'::tensor::real[]$$);
SELECT err($$SELECT '[[[[[[[1]]]]]]]'::tensor::int[]$$);
SELECT err($$SELECT ARRAY['a']::text[]::tensor$$);
