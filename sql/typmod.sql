\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- the dtype type modifier: tensor(float64) and its aliases

SELECT '[1,2]'::tensor(float64) AS t, dtype('[1,2]'::tensor(float64));
SELECT '[1.5,2]'::tensor(float8), '[1.5,2]'::tensor(double), '[1,2]'::tensor(real),
       '[1,2]'::tensor(float4), '[1,2]'::tensor(int4), '[1,2]'::tensor(int8);

-- an untagged literal is read as float32 first (PostgreSQL applies the
-- modifier afterwards); float32 -> float64 goes through each value's
-- shortest decimal, so '[0.1]' still reaches float64 as the double 0.1
SELECT '[0.1]'::tensor(float64) AS cast_literal;
SELECT tensor_to_float8('[0.1]'::tensor(float64))
       = ARRAY[0.1::float8] AS nearest_double;
-- digits beyond float32 need the tag (or COPY, binary, double precision[])
SELECT '[0.123456789012345678]'::tensor(float64) AS untagged_long_digits,
       'float64:[0.123456789012345678]'::tensor(float64) AS tagged,
       '[16777217, 0.5]'::tensor(float64) AS beyond_float32,
       '[16777217.0]'::tensor(int64) AS int_via_float32;
SELECT ARRAY[0.123456789012345678]::float8[]::tensor(float64) AS from_float8_array;
-- beyond float32's range: 22003, and the HINT names the tag
SELECT err($$SELECT '[1e300]'::tensor(float64)$$);
SELECT 'float64:[1e300]'::tensor(float64) AS tagged_1e300;

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
-- a value from a typmod-less column converts the same way
CREATE TABLE tm2 AS SELECT '[0.1,0.25]'::tensor AS t;
SELECT t, t::tensor(float64) AS widened FROM tm2;
-- and computed float32 values too: every value alike
SELECT reshape('[0.1]'::tensor, '{1}')::tensor(float64) AS computed_widening,
       tensor_to_float8(reshape('[0.1]'::tensor, '{1}')) = ARRAY[0.1::float8] AS same_double;
-- a float32 value is its 32 bits: the size never depends on the digits
SELECT pg_column_size('[0.1,0.25]'::tensor) AS digits_0_1,
       pg_column_size('[0.5,0.25]'::tensor) AS exact_digits,
       pg_column_size('[0.100000001490116119384765625,0.25]'::tensor) AS long_digits,
       pg_column_size('[0.1,0.25]'::tensor(float32)) AS with_modifier;
SELECT pg_column_size(t) AS stored FROM tm2;
-- ALTER COLUMN TYPE converts the same way
ALTER TABLE tm2 ALTER COLUMN t TYPE tensor(float64);
SELECT t, tensor_to_float8(t) = ARRAY[0.1::float8, 0.25] AS nearest FROM tm2;

-- errors: bad modifiers (22023), values out of the target's range (22003)
SELECT err($$SELECT '[1]'::tensor(uint8)$$);
SELECT err($$SELECT '[1]'::tensor(bogus)$$);
SELECT err($$CREATE TABLE bad (t tensor(float32, int32))$$);
SELECT err($$INSERT INTO tm (id, i32) VALUES (9, '[3e9]')$$);
SELECT err($$INSERT INTO tm (id, i32) VALUES (9, '[nan]')$$);
SELECT err($$INSERT INTO tm (id, i64) VALUES (9, '[inf]')$$);
SELECT err($$INSERT INTO tm (id, f32) VALUES (9, 'float64:[1e300]')$$);
SELECT err($$INSERT INTO tm (id, i32) VALUES (9, '[2147483648]')$$);
-- the length-coercion functions called directly with a modifier that
-- tensor_typmod_in could not have made: 22023
SELECT err($$SELECT tensor('[1.5]'::tensor, 99, false)$$);
SELECT err($$SELECT tensor('[1.5]'::tensor, 0, true)$$);
SELECT err($$SELECT tensor_in('[1.5]', 'tensor'::regtype, 7)$$);
SELECT err($$SELECT tensor(ARRAY[1.5]::real[], 99, false)$$);
SELECT err($$SELECT tensor(ARRAY[1.5]::float8[], 7, false)$$);
SELECT err($$SELECT tensor(ARRAY[1]::integer[], 1000000, true)$$);
SELECT err($$SELECT tensor(ARRAY[1]::bigint[], 0, false)$$);
SELECT tensor(ARRAY[1]::bigint[], -7, false) AS negative_is_no_modifier;
DROP TABLE tm, tm2;

-- values stored by 0.1.x may carry flag bit 0 and a float64 trailer of the
-- literal's digits; they read as the float32 tensor they printed as, and
-- any conversion drops the trailer.  Built here byte by byte: ndim 1,
-- dtype 1, flags 0x0001, dims {1}, padding, 0.1f, padding, 0.1 (byteasend
-- returns its argument's bytes as they are).
CREATE FUNCTION legacy_tensor(bytea) RETURNS tensor LANGUAGE internal STRICT AS 'byteasend';
CREATE TABLE legacy AS
SELECT legacy_tensor('\x010101000100000000000000cdcccc3d000000009a9999999999b93f') AS t;
SELECT t, dtype(t), shape(t), pg_column_size(t) AS old_size, t = '[0.1]'::tensor AS equal,
       dot(t, '[10.0]') AS dot FROM legacy;
SELECT t::tensor(float64) AS to_float64, pg_column_size(t::tensor(float32)) AS to_float32_size,
       encode(tensor_send(t), 'hex') AS sent, t::text::tensor = t AS text_round_trip
FROM legacy;
DROP TABLE legacy;
DROP FUNCTION legacy_tensor(bytea);
