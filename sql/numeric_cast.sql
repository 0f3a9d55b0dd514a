\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- casts from numeric[] (ARRAY[1.5, 2], psycopg2's Python lists): the dtype
-- a tensor literal of the same numbers would have

SELECT ARRAY[1.0,2.0]::tensor AS issue_example, dtype(ARRAY[1.0,2.0]::tensor),
       ARRAY[1,2]::numeric[]::tensor AS integral, dtype(ARRAY[1,2]::numeric[]::tensor),
       ARRAY[[1.5,2],[3,4]]::tensor AS two_d, '{}'::numeric[]::tensor AS empty, dtype('{}'::numeric[]::tensor),
       ARRAY['NaN','Infinity',1]::numeric[]::tensor AS special;
-- each element rounded once from its decimal value, to the dtype asked for
SELECT ARRAY[0.1]::tensor AS f32, ARRAY[0.1]::tensor(float64) AS f64,
       ARRAY[16777217.5]::tensor(int64) AS truncated_not_rounded_via_float32,
       ARRAY[12345678901234567]::tensor AS exact_int64, ARRAY[1,2]::numeric[]::tensor(int32) AS i32;
-- assignment to a column, and the same value as the literal
CREATE TABLE nc (t tensor(float64));
INSERT INTO nc VALUES (ARRAY[0.1, 0.25]);
SELECT t, t = 'float64:[0.1,0.25]' AS same FROM nc;
DROP TABLE nc;
SELECT ARRAY[1.5,2]::tensor = '[1.5,2.0]'::tensor AS as_literal_f32, ARRAY[3,4]::numeric[]::tensor = '[3,4]'::tensor AS as_literal_i64;

SELECT err($$SELECT ARRAY[1,NULL]::numeric[]::tensor$$);
SELECT err($$SELECT ARRAY[0.5, 1e39 + 0.5]::tensor$$);
SELECT err($$SELECT ARRAY[1e20]::numeric[]::tensor$$);
SELECT err($$SELECT ARRAY[3000000000]::numeric[]::tensor(int32)$$);

-- pgvector, same inputs (results of pgvector 0.8 computed on this machine,
-- written here so that this test does not need pgvector installed):
--   ARRAY[1.5,2]::vector              -> [1.5,2]
--   ARRAY[1,2]::numeric[]::vector     -> [1,2]   (dotext: int64, as the literal '[1,2]')
--   '{0.1}'::numeric[]::vector::real[] -> {0.1}
--   ARRAY[1,NULL]::numeric[]::vector  -> ERROR 22004
--   ARRAY[[1,2],[3,4]]::numeric[]::vector -> ERROR 22000 (dotext keeps the shape (2,2))
--   casts from integer[], real[], double precision[] and to real[]: dotext
--   has these too (and bigint[], double precision[], integer[], bigint[] back)
SELECT ARRAY[1.5,2]::tensor = '[1.5,2.0]' AS num_as_pgvector,
       ARRAY[1,2]::numeric[]::tensor::real[] = '{1,2}' AS numint_values_as_pgvector,
       '{0.1}'::numeric[]::tensor::real[] = '{0.1}' AS tenth_as_pgvector,
       ARRAY[1,2]::tensor::real[] AS int4_to_real, ARRAY[1.5,2]::real[]::tensor AS f4,
       ARRAY[1.5,2]::float8[]::tensor AS f8;
