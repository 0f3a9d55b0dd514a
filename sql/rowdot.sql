\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- rowdot: (a * b).sum(-1) with NumPy broadcasting
SELECT rowdot('[[1,2],[3,4],[5,6]]', '[10,1]') AS b_n_with_n;
SELECT rowdot('[10,1]', '[[1,2],[3,4],[5,6]]') AS n_with_b_n;
SELECT rowdot('[[1,2],[3,4]]', '[[5,6],[7,8]]') AS b_n_with_b_n;
SELECT rowdot('[1,2,3]', '[4,5,6]') AS rank0_result, shape(rowdot('[1,2,3]', '[4,5,6]'));
SELECT rowdot('[[[1,2]],[[3,4]]]', '[[1,0],[0,1],[1,1]]') AS b1n_with_cn,
       shape(rowdot('[[[1,2]],[[3,4]]]', '[[1,0],[0,1],[1,1]]'));
SELECT rowdot('float64:[[0.5,0.25]]', 'float64:[2,4]') AS f64, rowdot('int32:[[1,2]]', 'int32:[3,4]') AS i32,
       rowdot('[[1.5,2]]', '[2,0.25]') AS f32;
SELECT rowdot('float32(0,3):[]', '[1.0,2,3]') AS zero_rows, shape(rowdot('float32(0,3):[]', '[1.0,2,3]')),
       rowdot('[[],[]]', '[[],[]]') AS zero_len;

-- rowdot of two (32,64) tensors equals 32 separate dots
CREATE TEMP TABLE rows32 AS
SELECT i, ARRAY(SELECT ((i * 7 + j * 3) % 11 - 5)::real FROM generate_series(1, 64) j)::tensor AS x,
          ARRAY(SELECT ((i * 5 + j * 2) % 13 - 6)::real FROM generate_series(1, 64) j)::tensor AS y
FROM generate_series(1, 32) i;
WITH m AS (
  SELECT ('[' || string_agg(x::text, ',' ORDER BY i) || ']')::tensor AS x,
         ('[' || string_agg(y::text, ',' ORDER BY i) || ']')::tensor AS y FROM rows32)
SELECT shape(rowdot(m.x, m.y)) AS shape,
       rowdot(m.x, m.y)::float8[] = (SELECT array_agg(dot(x, y) ORDER BY i) FROM rows32) AS equals_32_dots
FROM m;

-- integer results keep the dtype; overflow is 22003
SELECT err($$SELECT rowdot('int32:[[65536,1]]', 'int32:[32768,1]')$$);
SELECT err($$SELECT rowdot('[[9223372036854775807,1]]', '[1,1]')$$);
SELECT err($$SELECT rowdot('[[1,2],[3,4]]', '[1,2,3]')$$);
SELECT err($$SELECT rowdot('[[1,2],[3,4],[5,6]]', '[[1,2],[3,4]]')$$);
SELECT err($$SELECT rowdot('5', '[5]')$$);
SELECT err($$SELECT rowdot('[1,2]', '[1.0,2]')$$);
