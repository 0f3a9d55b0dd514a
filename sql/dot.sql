\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- dot, norm and the <#> operator
SELECT dot('[1,2,3]', '[11,21,19]') AS torch_example;
-- the seeds' linear-regression prediction (float32 data, double accumulation)
SELECT round(dot('[0.5,-0.2,1.3]', '[2,3.5,1]')::numeric, 6) AS prediction,
       dot('float64:[0.5,-0.25,1.5]', 'float64:[2,4,1]') AS exact_f64;
SELECT dot('int32:[1,2]', 'int32:[3,4]') AS i32, dot('[]', '[]') AS empty,
       dot('[3037000499]', '[3037000499]') AS near_int64_max;
SELECT dot('[1.5,2]', '[2,0.25]') AS f32, '[1.5,2]'::tensor <#> '[2,0.25]' AS neg;
SELECT norm('[3,4]') AS n34, norm('float64:[[1,2],[2,4]]') AS n2d, norm('int32:[-3,4]') AS ni,
       norm('[]') AS nempty, norm('2.5') AS rank0;
-- float32 accumulates in double: 2^24 + 1 + 1 keeps its ones
SELECT dot('[16777216,1,1]'::tensor(float32), '[1,1,1]'::tensor(float32)) AS double_accum;

-- errors
SELECT err($$SELECT dot('[[1,2],[3,4]]', '[[1,2],[3,4]]')$$);
SELECT err($$SELECT dot('[1,2,3]', '[1,2]')$$);
SELECT err($$SELECT dot('5', '5')$$);
SELECT err($$SELECT dot('[1,2]', '[1.5,2]')$$);
SELECT err($$SELECT dot('[9223372036854775807,1]', '[1,1]')$$);
SELECT err($$SELECT dot('[4294967296]', '[4294967296]')$$);
SELECT err($$SELECT '[1,2]'::tensor <#> '[1,2,3]'$$);
