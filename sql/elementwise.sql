\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- element-wise + - * with NumPy broadcasting, and scalar * and /

-- same shapes, every dtype
SELECT '[1.5,2,3]'::tensor + '[1.0,2.0,3.0]' AS f32_add,
       'float64:[0.1,0.2]'::tensor + 'float64:[0.2,0.1]' AS f64_add,
       'int32:[1,2]'::tensor - 'int32:[5,5]' AS i32_sub,
       '[[1,2],[3,4]]'::tensor * '[[10,20],[30,40]]' AS i64_mul,
       dtype('int32:[1]'::tensor * 'int32:[2]') AS i32_dtype;
-- broadcasting: (2,3) with (3), (2,1) with (3), rank 0, empty
SELECT '[[1,2,3],[4,5,6]]'::tensor + '[10,20,30]' AS rows,
       '[[1],[2]]'::tensor * '[1,10,100]' AS outer_product,
       '[[1,2],[3,4]]'::tensor - '1' AS minus_rank0,
       '7'::tensor * '6' AS rank0,
       shape('[[]]'::tensor + '[]') AS empty_shape,
       shape(reshape('[]'::tensor, '{0,1}') + '[1.5,2.5]') AS zero_rows;
SELECT shape(reshape('[1,2,3,4,5,6]'::tensor, '{2,1,3}') + reshape('[1,2,3,4]'::tensor, '{4,1}')) AS b3d,
       reshape('[1,2,3,4,5,6]'::tensor, '{2,1,3}') + reshape('[0,10,20,30]'::tensor, '{4,1}') AS b3d_values;
-- floats follow IEEE, as PyTorch: inf and NaN are values
SELECT '[3e38]'::tensor + '[3e38]' AS overflow_to_inf, '[1e-30]'::tensor * '[1e-30]' AS underflow_to_zero,
       '[inf]'::tensor - '[inf]' AS nan;
-- integers are exact; overflow is an error
SELECT 'int32:[2147483646]'::tensor + 'int32:[1]' AS i32_max, '[9223372036854775807]'::tensor - '[1]' AS i64;

-- scalars: an integer keeps the dtype, a double gives float32 for integers
SELECT '[1,2,3]'::tensor * 2 AS i64_times_2, 3 * 'int32:[1,-2]'::tensor AS three_times_i32,
       '[1.5,2]'::tensor * 2::bigint AS f32_times_bigint, 2::bigint * 'float64:[0.25]'::tensor AS bigint_times_f64,
       '[1,2,3]'::tensor * 0.5 AS i64_times_half, dtype('[1,2,3]'::tensor * 0.5),
       0.5 * '[1.5,2]'::tensor AS half_times_f32, 'float64:[1,2]'::tensor * 0.1::float8 AS f64_times_tenth;
SELECT '[1,2,3]'::tensor / 2 AS i64_div, dtype('[1,2,3]'::tensor / 2),
       'float64:[1,2]'::tensor / 3 AS f64_div, '[1.5,-2]'::tensor / 0 AS div_zero,
       '[0.0]'::tensor / 0 AS zero_div_zero, 'int32:[[1],[2]]'::tensor / 4 AS keeps_shape;
SELECT '[]'::tensor * 2 AS empty, '5'::tensor * 2 AS rank0;

-- errors, each with its SQLSTATE
SELECT err($$SELECT '[1.5,2,3]'::tensor + '[1,2,3]'$$);
SELECT err($$SELECT '[1,2,3]'::tensor - '[1,2]'$$);
SELECT err($$SELECT '[[1,2],[3,4]]'::tensor * '[[1,2,3]]'$$);
SELECT err($$SELECT 'int32:[2147483647]'::tensor + 'int32:[1]'$$);
SELECT err($$SELECT '[-9223372036854775808]'::tensor - '[1]'$$);
SELECT err($$SELECT '[4294967296]'::tensor * '[4294967296]'$$);
SELECT err($$SELECT 'int32:[65536]'::tensor * 65536$$);
SELECT err($$SELECT 'int32:[1]'::tensor * 4294967296$$);
SELECT err($$SELECT '[9223372036854775807]'::tensor * 2$$);
-- broadcasting to more than 1 GB is refused before anything is allocated
SELECT err($$SELECT reshape(x, '{65536,1}') * x
             FROM (SELECT array_agg(i)::tensor AS x FROM generate_series(1, 65536) i) s$$);

-- pgvector, same inputs (results of pgvector 0.8 computed on this machine,
-- written here so that this test does not need pgvector installed):
--   '[1.5,2,3]'::vector + '[1,2,3]'   -> [2.5,4,6]
--   '[1.5,2,3]'::vector - '[1,2,3]'   -> [0.5,0,0]
--   '[1.5,2,3]'::vector * '[1,2,3]'   -> [1.5,4,9]
--   '[1,2,3]'::vector + '[1,2]'       -> ERROR 22000 (dotext broadcasts (3) with (2): also 22000)
--   '[3e38]'::vector + '[3e38]'       -> ERROR 22003 (dotext: inf, as PyTorch)
--   '[1e-30]'::vector * '[1e-30]'     -> ERROR 22003 (dotext: 0, as PyTorch)
--   '[1.5,2]'::vector * 2             -> ERROR 42883, no such operator
-- dotext gives the same values when the right side is float32 too:
SELECT '[1.5,2,3]'::tensor + '[1.0,2.0,3.0]' = '[2.5,4,6.0]' AS add_as_pgvector,
       '[1.5,2,3]'::tensor - '[1.0,2.0,3.0]' = '[0.5,0.0,0]' AS sub_as_pgvector,
       '[1.5,2,3]'::tensor * '[1.0,2.0,3.0]' = '[1.5,4,9.0]' AS mul_as_pgvector;
SELECT err($$SELECT '[1.5,2,3]'::tensor + '[1.0,2.0]'$$) AS like_pgvector_22000;
