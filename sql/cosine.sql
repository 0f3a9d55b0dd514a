\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- cosine_similarity, rowcosine and the <=> operator
SET extra_float_digits = 0;
SELECT cosine_similarity('[1,2,3]', '[4,5,6]') AS seed_example;
SELECT cosine_similarity('int32:[1,2,3]', 'int32:[4,5,6]') AS ints,
       cosine_similarity('float64:[1,0]', 'float64:[0,1]') AS orthogonal,
       cosine_similarity('[1,1]', '[-2,-2]') AS opposite;
-- a zero vector gives 0, never NaN (norms clamp at 1e-8)
SELECT cosine_similarity('[0,0]', '[1,2]') AS zero, cosine_similarity('[0.0,0.0]', '[0.0,0.0]') AS zeros;
-- integers are computed in float64: no overflow
SELECT cosine_similarity('[3037000499,3037000499]', '[3037000499,3037000499]') AS big_ints;
SELECT '[1,2,3]'::tensor <=> '[4,5,6]' AS distance, '[1,0]'::tensor <=> '[1,0]' AS same;
SELECT rowcosine('[[1,0],[0,1],[1,1],[0,0]]'::tensor(float32), '[1,0]'::tensor(float32)) AS rc,
       dtype(rowcosine('[[1.0]]', '[1.0]')) AS f32, dtype(rowcosine('[[1]]', '[1]')) AS i64_gives_f64;
SELECT rowcosine('[[3,4]]', '[[4,3],[3,4]]') AS broadcast;
RESET extra_float_digits;

-- errors
SELECT err($$SELECT cosine_similarity('[[1,2]]', '[[1,2]]')$$);
SELECT err($$SELECT cosine_similarity('[1,2]', '[1,2,3]')$$);
SELECT err($$SELECT cosine_similarity('[1,2]', 'float64:[1,2]')$$);
SELECT err($$SELECT rowcosine('[[1,2]]', '[1,2,3]')$$);
SELECT err($$SELECT rowcosine('5', '5')$$);
SELECT err($$SELECT rowcosine('[1,2]', 'int32:[1,2]')$$);
