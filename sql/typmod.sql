-- the dtype type modifier: tensor(float64) and its aliases

SELECT '[1,2]'::tensor(float64) AS t, dtype('[1,2]'::tensor(float64));
SELECT '[1.5,2]'::tensor(float8), '[1.5,2]'::tensor(double), '[1,2]'::tensor(real),
       '[1,2]'::tensor(float4), '[1,2]'::tensor(int4), '[1,2]'::tensor(int8);

-- no digit is lost to inference: '[0.1]' reaches float64 as the double 0.1
SELECT '[0.1]'::tensor(float64) AS cast_literal;
SELECT tensor_to_float8('[0.1]'::tensor(float64))
       = ARRAY[0.1::float8] AS nearest_double;
SELECT '[0.123456789012345678]'::tensor(float64) AS long_digits,
       '[16777217, 0.5]'::tensor(float64) AS beyond_float32,
       '[16777217.0]'::tensor(int64) AS int_from_digits;

CREATE TABLE tm (id int, f64 tensor(float64), f32 tensor(float32), i32 tensor(int32), i64 tensor(int64));
\d tm
-- INSERT of quoted literals (the input function gets no modifier)
INSERT INTO tm VALUES (1, '[0.1, 0.7]', '[0.1, 0.7]', '[1.9, -1.9]', '[2.5e9]');
-- a text parameter bound to the column
PREPARE ins(int, text) AS INSERT INTO tm (id, f64) VALUES ($1, $2::tensor);
EXECUTE ins(2, '[0.1]');
PREPARE ins2(int, unknown) AS INSERT INTO tm (id, f64) VALUES ($1, $2);
EXECUTE ins2(3, '[0.3]');
-- assignment from other dtypes converts like Tensor.to()
INSERT INTO tm (id, f64, f32, i32, i64) VALUES
  (4, 'int32:[1,2]', 'float64:[0.1]', 'float64:[-3.99]', '[1,2]'::tensor(int32));
SELECT id, f64, f32, i32, i64, dtype(f64), dtype(f32), dtype(i32), dtype(i64) FROM tm ORDER BY id;
SELECT id, tensor_to_float8(f64) FROM tm WHERE id IN (1, 2, 3) ORDER BY id;
-- a value from a typmod-less column converts exactly too
CREATE TABLE tm2 AS SELECT '[0.1,0.25]'::tensor AS t;
SELECT t, t::tensor(float64) AS widened FROM tm2;
SELECT pg_column_size(t) AS with_digits FROM tm2;
-- computed float32 values widen exactly, as Tensor.to(torch.float64)
SELECT reshape('[0.1]'::tensor, '{1}')::tensor(float64) AS computed_widening;

-- errors: bad modifiers (22023), values out of the target's range (22003)
SELECT err($$SELECT '[1]'::tensor(float16)$$);
SELECT err($$SELECT '[1]'::tensor(bogus)$$);
SELECT err($$CREATE TABLE bad (t tensor(float32, int32))$$);
SELECT err($$INSERT INTO tm (id, i32) VALUES (9, '[3e9]')$$);
SELECT err($$INSERT INTO tm (id, i32) VALUES (9, '[nan]')$$);
SELECT err($$INSERT INTO tm (id, i64) VALUES (9, '[inf]')$$);
SELECT err($$INSERT INTO tm (id, f32) VALUES (9, 'float64:[1e300]')$$);
SELECT err($$INSERT INTO tm (id, i32) VALUES (9, '[2147483648]')$$);
DROP TABLE tm, tm2;
