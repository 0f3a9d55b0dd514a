\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- the ranking operators <#>, <=>, <->, <+> and dot, cosine_similarity,
-- l2_distance, l1_distance, compared with pgvector 0.8 on fixed inputs.
-- The pgv_* columns are pgvector's results for the same literals as
-- ::vector, computed once on the same server and written here as
-- constants; the inputs are exact in float32 so both sums are exact.
SET extra_float_digits = 3;
CREATE TABLE pairs (k int, a tensor, b tensor,
	pgv_dot float8, pgv_cos float8, pgv_l2 float8, pgv_l1 float8);
INSERT INTO pairs VALUES
	(1, '[1.0,2,3]', '[4,-5,6]', -12, 0.6345130576760964, 8.18535277187245, 13),
	(2, '[1.0,1,1]', '[1,1,1]', -3, 0, 0, 0),
	(3, '[1.0,2,3]', '[-1,-2,-3]', 14, 2, 7.483314773547883, 12),
	(4, '[0.5,-1.5,2.25,3]', '[2,0,-1,0.5]', -0.25, 0.9731899631244445, 4.616546328154847, 8.75);
-- b is an int64 literal here, as JSON.stringify and people write it: it
-- takes a's float32 dtype, so every value equals pgvector's
SELECT k, dtype(a) AS da, dtype(b) AS db,
       a <#> b = pgv_dot AS dot_ok, a <=> b = pgv_cos AS cos_ok,
       a <-> b = pgv_l2 AS l2_ok, a <+> b = pgv_l1 AS l1_ok,
       b <#> a = pgv_dot AND b <=> a = pgv_cos AND b <-> a = pgv_l2 AND b <+> a = pgv_l1 AS commutes
FROM pairs ORDER BY k;
-- the same as functions, and on float64
SELECT k, l2_distance(a, b) = pgv_l2 AS l2_fn, l1_distance(a, b) = pgv_l1 AS l1_fn,
       a::tensor(float64) <#> b::tensor(float64) = pgv_dot AND a::tensor(float64) <=> b::tensor(float64) = pgv_cos
       AND a::tensor(float64) <-> b::tensor(float64) = pgv_l2 AND a::tensor(float64) <+> b::tensor(float64) = pgv_l1 AS f64_ok
FROM pairs ORDER BY k;
-- a zero vector: pgvector's <=> is NaN; dotext follows PyTorch's
-- cosine_similarity (norms at least 1e-8), so the similarity is 0 and <=> is 1
SELECT '[3.0,4]'::tensor <=> '[0,0]' AS zero_cos, cosine_similarity('[3.0,4]', '[0.0,0]') AS zero_sim,
       '[3.0,4]'::tensor <-> '[0,0]' AS l2, '[3.0,4]'::tensor <+> '[0,0]' AS l1;
-- where float32 sums are not exact, dotext sums in double and pgvector in
-- float (pgvector: 0.285714316124816, 0.28284273565538476, 0.40000003576278687)
SELECT '[0.1,0.2,0.3]'::tensor <=> '[0.3,0.2,0.1]' AS cos, '[0.1,0.2,0.3]'::tensor <-> '[0.3,0.2,0.1]' AS l2,
       '[0.1,0.2,0.3]'::tensor <+> '[0.3,0.2,0.1]' AS l1;
-- the similarity is clamped: a vector and itself are at distance exactly 0,
-- opposite vectors at exactly 2, for any values
SELECT count(*) FILTER (WHERE v <=> v <> 0) AS self_not_0,
       count(*) FILTER (WHERE cosine_similarity(v, v) <> 1) AS sim_not_1,
       count(*) FILTER (WHERE v <=> rowdot(reshape(v, ARRAY[-1, 1]), '[-1.0]') <> 2) AS opposite_not_2,
       count(*) FILTER (WHERE rowcosine(v, v)::text <> '1.0') AS rowcos_not_1
FROM (SELECT ('[' || string_agg((sin(i * 7 + j) * 10 ^ (j % 5))::real::text, ',') || ']')::tensor AS v
      FROM generate_series(1, 200) i, generate_series(1, 37) j GROUP BY i) s;
SELECT '[1.0,1,1]'::tensor <=> '[1,1,1]' AS self_distance,
       'float64:[1,2,3]'::tensor <=> 'float64:[-1,-2,-3]' AS opposite;
-- integers against integers: dot exact, the others in float64
SELECT '[1,2]'::tensor <#> '[4,6]' AS idot, '[1,2]'::tensor <-> '[4,6]' AS il2,
       '[1,2]'::tensor <+> '[4,6]' AS il1, 'int32:[1,0]'::tensor <=> 'int32:[0,1]' AS icos;
-- conversion is exact up to 2^24 for float32 and 2^53 for float64
SELECT '[1.0]'::tensor <#> '[16777216]' AS f32_max, 'float64:[1]'::tensor <#> '[9007199254740992]' AS f64_max,
       '[1.0]'::tensor <#> 'int32:[-16777216]' AS f32_min_i32;

-- ranking a float32 column with an integer query, through the per-row path
CREATE TABLE emb (id int, e tensor(float32));
INSERT INTO emb SELECT i, ('[' || i || ',' || (10 - i) || ',1]')::tensor(float32) FROM generate_series(1, 9) i;
SELECT id, e <=> '[1,0,0]' AS cos FROM emb ORDER BY e <=> '[1,0,0]', id LIMIT 3;
SELECT array_agg(id ORDER BY e <#> '[1,2,0]', id) AS by_dot,
       array_agg(id ORDER BY e <-> '[5,5,1]', id) AS by_l2,
       array_agg(id ORDER BY e <+> '[2,8,1]', id) AS by_l1,
       array_agg(id ORDER BY '[1,2,0]' <#> e, id) = array_agg(id ORDER BY e <#> '[1,2,0]', id) AS query_left
FROM emb;
-- a row of another dtype or length in the middle of a scan (a column
-- without type modifier): converted, or the error names the operator
CREATE TABLE mixed (id int, e tensor);
INSERT INTO mixed VALUES (1, '[1.0,0]'), (2, '[3,4]'), (3, 'float64:[0,1]');
SELECT id, e <-> '[0.0,0]' AS l2 FROM mixed WHERE id < 3 ORDER BY id;
SELECT err($$SELECT id, e <-> '[0.0,0]' FROM mixed ORDER BY id$$);
INSERT INTO mixed VALUES (4, '[1.0,2,3]');
SELECT err($$SELECT id, e <#> '[1.0,0]' FROM mixed WHERE id <> 3 ORDER BY id$$);
-- a query that is not a constant is checked per row
SELECT m.id, m.e <#> q.e AS d FROM mixed m, (VALUES ('[2,1]'::tensor)) q(e) WHERE m.id < 3 ORDER BY m.id;

-- errors: each names what the user wrote
\set VERBOSITY sqlstate
SELECT err($$SELECT '[1.0,2]'::tensor <#> '[1,2,3]'$$);
SELECT err($$SELECT '[1.0,2]'::tensor <=> '[1,2,3]'$$);
SELECT err($$SELECT '[1.0,2]'::tensor <-> '[1,2,3]'$$);
SELECT err($$SELECT '[1.0,2]'::tensor <+> '[1,2,3]'$$);
SELECT err($$SELECT l2_distance('[1.0,2]', '[1,2,3]')$$);
SELECT err($$SELECT l1_distance('[1.0,2]', '[1,2,3]')$$);
SELECT err($$SELECT '[[1.0,2]]'::tensor <-> '[[1,2]]'$$);
SELECT err($$SELECT '[[1.0,2]]'::tensor <#> '[[1,2]]'$$);
SELECT err($$SELECT '[[1.0,2]]'::tensor <=> '[[1,2]]'$$);
-- beyond 2^24 (float32) or 2^53 (float64) an integer operand is not exact: 22003
SELECT err($$SELECT '[1.0,2]'::tensor <=> '[16777217,0]'$$);
SELECT err($$SELECT 'int32:[0,-16777217]'::tensor <+> '[1.0,2]'$$);
SELECT err($$SELECT 'float64:[1]'::tensor <-> '[9007199254740993]'$$);
SELECT err($$SELECT id FROM emb ORDER BY e <#> '[1,16777217,0]' LIMIT 1$$);
-- dot and cosine_similarity keep torch's rule: one dtype (42804)
SELECT err($$SELECT dot('[1.0,2]', '[1,2]')$$);
SELECT err($$SELECT cosine_similarity('[1.0,2]', '[1,2]')$$);
-- two float dtypes, or two integer dtypes, are not converted (42804)
SELECT err($$SELECT '[1.0,2]'::tensor <#> 'float64:[1,2]'$$);
SELECT err($$SELECT 'int32:[1,2]'::tensor <-> '[1,2]'$$);
RESET extra_float_digits;
DROP TABLE pairs, emb, mixed;
