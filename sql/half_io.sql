\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- float16 and bfloat16 as storage dtypes: input, output, modifier,
-- conversions, casts with arrays, binary form, COPY, and their errors

-- input: dtype tags (any case), the alias half, the type modifier
SELECT 'float16:[1,2.5,-3]'::tensor AS f16, 'FLOAT16:[1]'::tensor AS upper_tag,
       'half:[0.5]'::tensor AS alias, 'bfloat16:[[1,2],[3,4]]'::tensor AS bf16;
SELECT '[1,2.5]'::tensor(float16) AS f16, '[1,2.5]'::tensor(half) AS half,
       '[1,2.5]'::tensor(bfloat16) AS bf16;
SELECT dtype('float16:[1]'), dtype('half:[1]'), dtype('[1]'::tensor(bfloat16)),
       shape('bfloat16:[[1,2,3]]'), numel('float16:[1,2]');
-- empty and rank-0 values; the tag (and shape) keeps the dtype in text
SELECT 'float16:[]'::tensor AS e16, '[]'::tensor(bfloat16) AS ebf16,
       'float16(2,0):[]'::tensor AS e2d, 'half:7'::tensor AS r0,
       ndim('bfloat16:-2.5'), shape('bfloat16(3,0,2):[]');

-- a column with the modifier, and the modifier's text
CREATE TABLE h (id int, a tensor(float16), b tensor(bfloat16), c tensor(half));
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'h'::regclass AND attnum > 0 ORDER BY attnum;

-- rounding to nearest, ties to even, once from the digits
SELECT 'float16:[2049, 2051, 2050.0001, 2049.0000000000000000001]'::tensor AS f16_ties,
       'half:[1.00048828125, 1.00146484375]'::tensor AS f16_ties_near_1;
-- halfway between subnormals: 2^-25 (0 or 2^-24) and 3 * 2^-25 (2^-24 or 2^-23)
SELECT 'float16:[2.98023223876953125e-8, 8.94069671630859375e-8, 2.9802322387695313e-8]'::tensor AS f16_subnormal_ties;
SELECT 'bfloat16:[1.00390625, 1.01171875, 1.0039062500000000001]'::tensor AS bf16_ties;
-- an untagged literal cast with ::tensor(float16) is read as float32 first
-- (as for float64), so digits beyond float32 are lost before the second
-- rounding; the tag, COPY and binary input read them
SELECT '[2049.0000000000000000001]'::tensor(float16) AS via_float32,
       'float16:[2049.0000000000000000001]'::tensor AS tagged;
-- extremes: largest, smallest normal, smallest subnormal, underflow to
-- signed zero, and the largest values that still round to the largest
SELECT 'float16:[65504, -65504, 6.103515625e-5, 5.9604644775390625e-8, 1e-9, -1e-9, 65519.99]'::tensor AS f16_extremes;
SELECT 'bfloat16:[3.3895313892515355e38, 1.1754943508222875e-38, 9.183549615799121e-41, 1e-46, 3.39e38]'::tensor AS bf16_extremes;
SELECT 'float16:[nan, inf, -inf, -0.0, 0]'::tensor AS f16_special,
       'bfloat16:[NaN, Infinity, -Infinity, -0.0]'::tensor AS bf16_special;

-- text output round-trips: every float16 and bfloat16 bit pattern
-- whose value SQL can write (all but the NaN payloads), built from its
-- exact float64 value, printed, read back and compared bit for bit
CREATE TABLE pat AS
SELECT s, e, m,
       (CASE WHEN s = 1 THEN -1 ELSE 1 END) *
       CASE WHEN e = 0 THEN m * 2.0::float8 ^ -24
            ELSE (1024 + m) * 2.0::float8 ^ (e - 25) END AS v16
FROM generate_series(0, 1) s, generate_series(0, 30) e, generate_series(0, 1023) m;
WITH t AS (SELECT array_agg(v16 ORDER BY s, e, m)::tensor(float16) AS x FROM pat)
SELECT numel(x) AS f16_patterns, tensor_send(x::text::tensor) = tensor_send(x) AS f16_round_trip,
       (SELECT count(DISTINCT v16) FROM pat) AS distinct_values FROM t;
-- bfloat16: exponents 0 to 254 of both signs, every 7-bit fraction
WITH t AS (
  SELECT array_agg((CASE WHEN s = 1 THEN -1 ELSE 1 END) *
                   CASE WHEN e = 0 THEN m * 2.0::float8 ^ -133
                        ELSE (128 + m) * 2.0::float8 ^ (e - 134) END
                   ORDER BY s, e, m)::tensor(bfloat16) AS x
  FROM generate_series(0, 1) s, generate_series(0, 254) e, generate_series(0, 127) m)
SELECT numel(x) AS bf16_patterns, tensor_send(x::text::tensor) = tensor_send(x) AS bf16_round_trip FROM t;
-- and the specials survive text
SELECT tensor_send(t::text::tensor) = tensor_send(t) AS specials_round_trip
FROM (VALUES ('float16:[nan,inf,-inf,-0.0]'::tensor), ('bfloat16:[nan,inf,-inf,-0.0]'::tensor)) v(t);

-- conversions (Tensor.to()): half widens exactly to float32 and float64;
-- float32 narrows with one rounding; float64 to half rounds once
SELECT 'float16:[0.1, 65504]'::tensor::tensor(float64) AS f16_to_f64,
       'float16:[0.1]'::tensor::tensor(float32) AS f16_to_f32,
       'bfloat16:[0.1]'::tensor::tensor(float64) AS bf16_to_f64;
SELECT '[0.1, 3.14159]'::tensor::tensor(float16) AS f32_to_f16,
       'float64:[0.1, 3.14159]'::tensor::tensor(bfloat16) AS f64_to_bf16,
       'float16:[65504, 0.1]'::tensor::tensor(bfloat16) AS f16_to_bf16,
       'bfloat16:[0.1, 1e-7]'::tensor::tensor(float16) AS bf16_to_f16;
-- to integers truncates toward zero; int64 rounds once (2^60 + 2^52 + 1
-- lies just above a bfloat16 tie that its nearest double sits on)
SELECT 'float16:[-2.75, 2.75, 65504]'::tensor::tensor(int32) AS f16_to_i32,
       'bfloat16:[-1.5e9]'::tensor::tensor(int64) AS bf16_to_i64,
       'int64:[1157425104234217473]'::tensor::tensor(bfloat16) AS i64_to_bf16,
       'int32:[2049, -2051]'::tensor::tensor(float16) AS i32_to_f16;

-- casts with arrays, both ways
SELECT 'float16:[[1.5,2],[3,4]]'::tensor::real[] AS to_real,
       'float16:[0.1]'::tensor::float8[] AS to_float8,
       'bfloat16:[-2.5,3.9]'::tensor::int[] AS to_int,
       'bfloat16:[1e10]'::tensor::bigint[] AS to_bigint,
       'half:3'::tensor::real[] AS rank0, 'float16:[]'::tensor::real[] AS empty;
SELECT ARRAY[0.1, 2049]::real[]::tensor(float16) AS from_real,
       ARRAY[[0.1], [1e30]]::float8[]::tensor(bfloat16) AS from_float8,
       ARRAY[1, 2051]::int[]::tensor(float16) AS from_int,
       ARRAY[5]::bigint[]::tensor(half) AS from_bigint,
       '{}'::real[]::tensor(float16) AS from_empty;

-- binary form: 2-byte elements in network order after the header
SELECT tensor_send('float16:[1, -2, 65504]'::tensor) AS f16_bytes,
       tensor_send('bfloat16:[[1], [-2]]'::tensor) AS bf16_bytes,
       tensor_send('half:0.5'::tensor) AS rank0_bytes;

-- COPY in text and binary form, and into modified columns
INSERT INTO h VALUES
  (1, '[0.1, -2049, 65504]', '[0.1, 1e38, -1e-40]', '[1]'),
  (2, 'float16:[[nan, inf], [-inf, -0.0]]', 'bfloat16:[]', 'float16(0,3):[]'),
  (3, 'half:6e-8', 'bfloat16:1', '[2.5]');
\copy h TO 'results/half.txt'
\copy h TO 'results/half.bin' WITH (FORMAT binary)
CREATE TABLE h_txt (LIKE h);
CREATE TABLE h_bin (LIKE h);
\copy h_txt FROM 'results/half.txt'
\copy h_bin FROM 'results/half.bin' WITH (FORMAT binary)
SELECT a.id, a.a, a.b, a.c,
       tensor_send(a.a) = tensor_send(b.a) AND tensor_send(a.b) = tensor_send(b.b)
         AND tensor_send(a.c) = tensor_send(b.c) AS text_same,
       tensor_send(a.a) = tensor_send(c.a) AND tensor_send(a.b) = tensor_send(c.b)
         AND tensor_send(a.c) = tensor_send(c.c) AS binary_same
FROM h a JOIN h_txt b USING (id) JOIN h_bin c USING (id) ORDER BY a.id;
-- COPY passes the modifier: the digits round once, straight to float16
COPY h (id, a) FROM stdin;
10	[2049.0000000000000000001, 0.1]
11	float64:[0.1]
\.
SELECT id, a, dtype(a) FROM h WHERE id >= 10 ORDER BY id;
-- binary COPY of float16 values into a float64 column widens exactly
\copy (SELECT id, a FROM h WHERE id IN (1, 3)) TO 'results/half2.bin' WITH (FORMAT binary)
CREATE TABLE h64 (id int, t tensor(float64));
\copy h64 FROM 'results/half2.bin' WITH (FORMAT binary)
SELECT id, t FROM h64 ORDER BY id;

-- errors: beyond the range (22003, with the range in the hint), through
-- every path; NaN to an integer (22003); bad tags and modifiers (22P02,
-- 22023); dtypes that differ (42804)
SELECT err($$SELECT 'float16:[70000]'::tensor$$);
SELECT err($$SELECT 'float16:[65520]'::tensor$$);
SELECT err($$SELECT '[1, 70000]'::tensor(float16)$$);
SELECT err($$SELECT '[1.0, 70000]'::tensor(float16)$$);
SELECT err($$SELECT 'bfloat16:[1e39]'::tensor$$);
SELECT err($$SELECT 'float64:[1e39]'::tensor::tensor(bfloat16)$$);
SELECT err($$SELECT 'bfloat16:[1e5]'::tensor::tensor(float16)$$);
SELECT err($$SELECT ARRAY[1e5]::real[]::tensor(float16)$$);
SELECT err($$INSERT INTO h (id, a) VALUES (9, '[1e5]')$$);
SELECT err($$SELECT 'float16:[nan]'::tensor::int[]$$);
SELECT err($$SELECT 'bfloat16:[inf]'::tensor::tensor(int64)$$);
SELECT err($$SELECT 'float17:[1]'::tensor$$);
SELECT err($$SELECT 'float16:[1,]'::tensor$$);
SELECT err($$SELECT 'float16(2,1):[]'::tensor$$);
SELECT err($$SELECT '[1]'::tensor(float8_e4m3)$$);
SELECT err($$SELECT tensor_concat('float16:[1]', 'bfloat16:[1]')$$);
DROP TABLE h, h_txt, h_bin, h64, pat;
