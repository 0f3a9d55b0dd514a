\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- text input and output, dtype inference, round trips, errors

-- inference as torch.tensor: integers give int64, a point or exponent float32
SELECT '[1,2,3]'::tensor AS t, dtype('[1,2,3]'::tensor);
SELECT '[1.5,2]'::tensor AS t, dtype('[1.5,2]'::tensor);
SELECT '[1e2,2]'::tensor AS t, dtype('[1e2,2]'::tensor);
SELECT '[[1,2],[3,4]]'::tensor AS t, shape('[[1,2],[3,4]]'::tensor);
SELECT '7'::tensor AS t, ndim('7'::tensor), shape('7'::tensor);
SELECT '2.5'::tensor AS t, ndim('2.5'::tensor);
SELECT '[]'::tensor AS t, dtype('[]'::tensor), shape('[]'::tensor);
SELECT '[[],[]]'::tensor AS t, shape('[[],[]]'::tensor);
SELECT '[[[1],[2]],[[3],[4]]]'::tensor AS t, shape('[[[1],[2]],[[3],[4]]]'::tensor);
SELECT ' [ [ 1 , 2 ] ,
  [ 3 ,	4 ] ] '::tensor AS whitespace;

-- output marks the dtype whenever inference would not recover it
SELECT 'float64:[0.1,2]'::tensor AS f64, 'int32:[1,-2]'::tensor AS i32,
       'int64:[]'::tensor AS empty_i64, '[1.0,2.0]'::tensor AS f32;
SELECT 'double:[1]'::tensor AS alias_double, 'float:[1]'::tensor AS alias_float,
       'int4:[1]'::tensor AS alias_int4, 'int8:[1]'::tensor AS alias_int8;

-- special and extreme values
SELECT '[-0.0,inf,-Infinity,NaN]'::tensor AS special;
SELECT '[3.4028235e38,-3.4028235e38,1e-45,1.17549435e-38]'::tensor AS f32_extremes;
SELECT 'float64:[1.7976931348623157e308,5e-324,-0.0]'::tensor AS f64_extremes;
SELECT '[9223372036854775807,-9223372036854775808]'::tensor AS i64_extremes;
SELECT 'int32:[2147483647,-2147483648]'::tensor AS i32_extremes;
SELECT '[0.1,0.2,0.3]'::tensor AS shortest, '[1e20,1e-7,123456.7]'::tensor AS exponents;

-- round trips of value and dtype through text
CREATE TABLE rt (id int, t tensor);
INSERT INTO rt VALUES
  (1, '[1.5,-2.25,3]'), (2, 'float64:[0.1,1e300,-0.0]'), (3, 'int32:[[1,2],[3,4]]'),
  (4, '[9223372036854775807]'), (5, '[]'), (6, 'int64:[]'), (7, '42'), (8, '[nan,inf]'),
  (9, 'float64:[[],[]]'), (10, '[0.3333333432674408]'),
  (11, 'float32(0,5):[]'), (12, 'int64(3,0,2):[[],[],[]]');
SELECT id, t, dtype(t), shape(t), t::text::tensor = t AS same, dtype(t::text::tensor) = dtype(t) AS same_dtype
FROM rt ORDER BY id;
DROP TABLE rt;

-- malformed literals: 22P02 with the position
SELECT err($$SELECT '[1,2,]'::tensor$$);
SELECT err($$SELECT '[1 2]'::tensor$$);
SELECT err($$SELECT '{1,2}'::tensor$$);
SELECT err($$SELECT '(1,2)'::tensor$$);
SELECT err($$SELECT '[0x10]'::tensor$$);
SELECT err($$SELECT '[[1,2],[3]]'::tensor$$);
SELECT err($$SELECT '[1,[2]]'::tensor$$);
SELECT err($$SELECT '[1,2'::tensor$$);
SELECT err($$SELECT ''::tensor$$);
SELECT err($$SELECT 'abc'::tensor$$);
SELECT err($$SELECT 'bogus:[1]'::tensor$$);
SELECT err($$SELECT 'float32(0,5):[1]'::tensor$$);
SELECT err($$SELECT 'float32(2,5):[]'::tensor$$);
SELECT err($$SELECT '[1,2] x'::tensor$$);
-- out of range: 22003
SELECT err($$SELECT '[1e39]'::tensor$$);
SELECT err($$SELECT '[9223372036854775808]'::tensor$$);
SELECT err($$SELECT 'int32:[2147483648]'::tensor$$);
SELECT err($$SELECT 'float64:[1e309]'::tensor$$);
-- rank above 16: 54000
SELECT err($$SELECT '[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]'::tensor$$);
SELECT ndim('[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]'::tensor) AS rank16;

-- integers too wide for int64 are floats inside a float tensor
SELECT '[1.5,99999999999999999999]'::tensor AS wide_in_float32,
       'float64:[99999999999999999999]'::tensor AS wide_in_float64,
       '[99999999999999999999.0]'::tensor(float64) AS via_float32;
-- an all-integer literal is int64 (the modifier applies after): 22003
SELECT err($$SELECT '[99999999999999999999]'::tensor(float64)$$) AS all_integers_are_int64;

-- an empty tensor with huge other dims prints its shape in the tag and
-- round-trips; its text never needs more than a few bytes
SELECT reshape('float64:[]', '{1518500250,0}') AS huge_empty,
       permute(reshape('float64:[]', '{1518500250,0}'), '{1,0}') AS permuted,
       reshape('int32:[]', '{2147483647,0,2147483647}') AS three_dims;
SELECT reshape('float64:[]', '{1518500250,0}')::text::tensor = reshape('float64:[]', '{1518500250,0}') AS round_trip,
       shape(reshape('float64:[]', '{1518500250,0}')::text::tensor),
       shape('int32(2147483647,0,2147483647):[]'::tensor) AS from_text;
SELECT '[[],[]]'::tensor AS brackets_accepted, 'int64(3,0,2):[[],[],[]]'::tensor AS with_brackets;
SELECT err($$SELECT 'float32(2,0):[[]]'::tensor$$) AS brackets_disagree;
