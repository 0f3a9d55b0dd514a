\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- float16 and bfloat16 through every operation: computed in float32 or
-- wider, results as PyTorch gives them (a float dtype kept, float16 in
-- float16 out), and each half result equal to the float32 result of the
-- widened inputs, narrowed.  h(dt, literal) tags a literal with a dtype.
SET extra_float_digits = 3;
CREATE FUNCTION h(dt text, lit text) RETURNS tensor
	LANGUAGE sql IMMUTABLE AS $$ SELECT (dt || ':' || lit)::tensor $$;
CREATE TABLE half_dts (dt text);
INSERT INTO half_dts VALUES ('float16'), ('bfloat16');
-- values exact in both dtypes: the results are exact too
SELECT dt, dot(h(dt, '[1,2,3,0.5]'), h(dt, '[4,-5,6,2]')) AS dot,
       cosine_similarity(h(dt, '[1,2,3,0.5]'), h(dt, '[4,-5,6,2]')) AS cos,
       norm(h(dt, '[3,4]')) AS norm,
       h(dt, '[1,2,3,0.5]') <#> h(dt, '[4,-5,6,2]') AS neg_dot,
       h(dt, '[1,2,3,0.5]') <=> h(dt, '[4,-5,6,2]') AS cos_dist,
       h(dt, '[1,2,3,0.5]') <-> h(dt, '[4,-5,6,2]') AS l2,
       h(dt, '[1,2,3,0.5]') <+> h(dt, '[4,-5,6,2]') AS l1
FROM half_dts ORDER BY dt;
-- the same bits as float32 on the widened values, for inexact values too
CREATE TABLE half_vals AS
SELECT i, ('[' || string_agg(((sin(i * 7 + j) * 3)::numeric(10, 4))::text, ',' ORDER BY j) || ']') AS a,
          ('[' || string_agg(((cos(i * 5 + j) * 2)::numeric(10, 4))::text, ',' ORDER BY j) || ']') AS b
FROM generate_series(1, 20) i, generate_series(1, 37) j GROUP BY i;
SELECT dt, count(*) AS pairs,
       bool_and(dot(ha, hb) = dot(ha::tensor(float32), hb::tensor(float32))) AS dot_same,
       bool_and(cosine_similarity(ha, hb) = cosine_similarity(ha::tensor(float32), hb::tensor(float32))) AS cos_same,
       bool_and(ha <#> hb = ha::tensor(float32) <#> hb::tensor(float32)
            AND ha <=> hb = ha::tensor(float32) <=> hb::tensor(float32)
            AND ha <-> hb = ha::tensor(float32) <-> hb::tensor(float32)
            AND ha <+> hb = ha::tensor(float32) <+> hb::tensor(float32)) AS ops_same,
       bool_and(norm(ha) = norm(ha::tensor(float32))) AS norm_same,
       bool_and(rowdot(ha, hb) = CASE dt WHEN 'float16' THEN rowdot(ha::tensor(float32), hb::tensor(float32))::tensor(float16)
                                 ELSE rowdot(ha::tensor(float32), hb::tensor(float32))::tensor(bfloat16) END) AS rowdot_narrowed,
       bool_and(dtype(rowdot(ha, hb)) = dt) AS rowdot_dtype_kept,
       bool_and(rowcosine(ha, hb) = rowcosine(ha::tensor(float64), hb::tensor(float64))) AS rowcosine_float64
FROM (SELECT dt, h(dt, a) AS ha, h(dt, b) AS hb FROM half_vals, half_dts) s
GROUP BY dt ORDER BY dt;
-- mixed dtypes in the ranking operators: an integer query converts to
-- float32, a float32 query ranks a half column with the half side
-- widened, float16 against bfloat16 widens both
SELECT dt, h(dt, '[1,2,3,0.5]') <#> '[4,-5,6,2]' AS int_query,
       h(dt, '[1,2,3,0.5]') <#> '[4.0,-5,6,2]' AS f32_query,
       '[4.0,-5,6,2]' <=> h(dt, '[1,2,3,0.5]') AS f32_first,
       h(dt, '[1,2,3,0.5]') <-> h(CASE dt WHEN 'float16' THEN 'bfloat16' ELSE 'float16' END, '[4,-5,6,2]') AS other_half,
       h(dt, '[0.1,0.2]') <#> '[0.3,0.7]' = h(dt, '[0.1,0.2]')::tensor(float32) <#> '[0.3,0.7]' AS f32_query_exact
FROM half_dts ORDER BY dt;
-- rowdot and axis_dot keep the dtype (bfloat16 rounds 445 to 444); rowcosine and
-- normalized axis_dot give float64, as the SQL interface says for every non-float32 input
SELECT dt, rowdot(h(dt, '[[1,2],[3,4],[5,6]]'), h(dt, '[1,-1]')) AS rowdot,
       rowcosine(h(dt, '[[1,0],[3,4]]'), h(dt, '[0,1]')) AS rowcosine,
       axis_dot(h(dt, '[[[0,1],[2,3],[4,5],[6,7],[8,9]]]'),
                h(dt, '[[[10,11,12,13,14],[15,16,17,18,19]]]'), '{1,2}') AS keras,
       axis_dot(h(dt, '[[3,4],[1,0]]'), h(dt, '[[3,4],[0,2]]'), 1) AS axis1,
       axis_dot(h(dt, '[[3,4],[1,0]]'), h(dt, '[[3,4],[0,2]]'), 1, true) AS normalized
FROM half_dts ORDER BY dt;
SELECT dt, dtype(axis_dot(h(dt, '[[3,4]]'), h(dt, '[[3,4]]'), 1, true)) AS normalized_dtype,
       shape(axis_dot(h(dt, '[[3,4]]'), h(dt, '[[3,4]]'), 1, true)) AS normalized_shape,
       l2_normalize(h(dt, '[3,4]')) AS l2_normalize
FROM half_dts ORDER BY dt;
-- ranking a float16 column: the order and distances of its float32 copy
CREATE TABLE half_items (id bigint, emb tensor(float16), emb32 tensor(float32));
INSERT INTO half_items
SELECT i, h('float16', a), h('float16', a)::tensor(float32) FROM half_vals v(i, a, b);
SELECT id, emb <#> '[1.0,0,2,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3]' AS score
FROM half_items ORDER BY emb <#> '[1.0,0,2,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3]', id LIMIT 3;
SELECT array_agg(id ORDER BY emb <=> q, id) = array_agg(id ORDER BY emb32 <=> q, id) AS cos_order_same,
       array_agg(id ORDER BY emb <-> q, id) = array_agg(id ORDER BY emb32 <-> q, id) AS l2_order_same,
       bool_and(emb <#> q = emb32 <#> q AND emb <=> q = emb32 <=> q AND emb <+> q = emb32 <+> q) AS values_same
FROM half_items, (SELECT b::tensor AS q FROM half_vals WHERE i = 3) s;
-- topk and topk_scores over the float16 column, float16 or float32 queries
SELECT topk(emb, id, q16, 3) = topk(emb32, id, q16::tensor(float32), 3) AS topk_same,
       topk_scores(emb, id, q16, 3) = topk_scores(emb32, id, q16::tensor(float32), 3) AS scores_same,
       topk(emb, id, q16::tensor(float32), 3) = topk(emb32, id, q16::tensor(float32), 3) AS f32_query_same
FROM half_items, (SELECT h('float16', b) AS q16 FROM half_vals WHERE i = 3) s;
-- maxsim: the float32 copies' value
SELECT dt, maxsim(h(dt, '[[1,2],[3,4],[0.5,-1]]'), h(dt, '[[1,0],[0,1]]')) AS maxsim,
       maxsim(h(dt, '[[1,2],[3,4],[0.5,-1]]'), h(dt, '[[1,0],[0,1]]')) =
       maxsim('[[1.0,2],[3,4],[0.5,-1]]', '[[1.0,0],[0,1]]') AS same_as_f32
FROM half_dts ORDER BY dt;
-- element-wise arithmetic in float32, rounded back: 2048 + 1 is 2048 in
-- float16, 256 + 1 is 256 in bfloat16 (ties to even)
SELECT dt, h(dt, '[1,2,3]') + h(dt, '[0.5]') AS add, h(dt, '[1,2,3]') - h(dt, '[[1],[2]]') AS sub,
       h(dt, '[1.5,2,3]') * h(dt, '[2,2,2]') AS mul, h(dt, '[2048,256]') + h(dt, '[1,1]') AS ties,
       h(dt, '[1,2,3]') * 3 AS times_int, h(dt, '[1,2,3]') * 0.5 AS times_float,
       h(dt, '[1,2,3]') / 4 AS divided, dtype(h(dt, '[1]') * 0.5) AS scalar_dtype
FROM half_dts ORDER BY dt;
-- sum and avg accumulate in double and keep the dtype
SELECT dt, sum(t) AS sum, avg(t) AS avg, dtype(sum(t)) AS sum_dtype, dtype(avg(t)) AS avg_dtype
FROM half_dts, LATERAL (VALUES (h(dt, '[1,2]')), (h(dt, '[0.5,4]')), (h(dt, '[2048,0.25]'))) v(t)
GROUP BY dt ORDER BY dt;
-- comparisons and hashing: by value, -0 equals 0, NaN equals NaN
SELECT dt, h(dt, '[1,2]') = h(dt, '[1.0,2.0]') AS eq, h(dt, '[1,2]') < h(dt, '[1,3]') AS lt,
       h(dt, '[-0.0]') = h(dt, '[0.0]') AS zeros, h(dt, '[nan]') = h(dt, '[nan]') AS nans,
       h(dt, '[nan]') > h(dt, '[inf]') AS nan_last, h(dt, '[-1]') < h(dt, '[0.5]') AS signed
FROM half_dts ORDER BY dt;
SELECT dt, count(DISTINCT t) AS distinct_values
FROM half_dts, LATERAL (VALUES (h(dt, '[0.0]')), (h(dt, '[-0.0]')), (h(dt, '[nan]')), (h(dt, '[1]'))) v(t)
GROUP BY dt ORDER BY dt;
-- shape functions and slicing keep the dtype
SELECT dt, reshape(h(dt, '[1,2,3,4]'), '{2,2}') AS reshaped, (reshape(h(dt, '[1,2,3,4]'), '{2,2}'))[2] AS row2,
       flatten(h(dt, '[[1,2],[3,4]]')) AS flat, permute(h(dt, '[[1,2],[3,4]]'), '{1,0}') AS transposed,
       subvector(h(dt, '[1,2,3,4]'), 2, 2) AS sub, h(dt, '[1,2]') || h(dt, '[3]') AS cat,
       dtype(subvector(h(dt, '[1,2,3,4]'), 2, 2)) AS sub_dtype
FROM half_dts ORDER BY dt;
-- errors: dtypes differ (42804), shapes (22000), the flat index (0A000)
SELECT err('SELECT dot(h(''float16'', ''[1,2]''), ''[1.0,2]'')');
SELECT err('SELECT rowdot(h(''float16'', ''[1,2]''), h(''bfloat16'', ''[1,2]''))');
SELECT err('SELECT h(''float16'', ''[1,2]'') + ''[1.0,2]''');
SELECT err('SELECT h(''bfloat16'', ''[1,2]'') <#> ''float64:[1,2]''');
SELECT err('SELECT axis_dot(h(''float16'', ''[[1,2]]''), ''[[1.0,2]]'', 1)');
SELECT err('SELECT maxsim(h(''float16'', ''[[1,2]]''), h(''bfloat16'', ''[[1,2]]''))');
SELECT err('SELECT dot(h(''float16'', ''[[1,2]]''), h(''float16'', ''[[1,2]]''))');
SELECT err('SELECT h(''bfloat16'', ''[1,2,3]'') <=> ''[1.0,2]''');
SELECT err('SELECT rowdot(h(''float16'', ''[[1,2]]''), h(''float16'', ''[1,2,3]''))');
SELECT err('SELECT h(''float16'', ''[1,2,3]'') + h(''float16'', ''[1,2]'')');
SELECT err('SELECT topk(emb, id, ''float64:[1,2]'', 3) FROM half_items');
SELECT err('SELECT h(''float16'', ''[1,2]'') <#> ''[16777217,0]''');
SELECT err('CREATE INDEX ON half_items USING flat (emb)');
SELECT err('CREATE INDEX ON half_items USING flat ((emb::tensor(bfloat16)))');
-- a half query against a float32 flat index widens, as the operators do:
-- the index scan and flat_search give the sequential scan's rows
CREATE TABLE half_flat AS SELECT id, emb32 AS emb FROM half_items;
CREATE INDEX half_flat_ip ON half_flat USING flat (emb);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM half_flat ORDER BY emb <#> 'float16:[1,2]' LIMIT 3;
SELECT array_agg(id) AS index_ids FROM (SELECT id FROM half_flat
  ORDER BY emb <#> (SELECT emb FROM half_items WHERE id = 3) LIMIT 3) s;
SELECT array_agg(f.id ORDER BY s.rank) AS flat_search_ids
FROM flat_search('half_flat_ip', (SELECT emb FROM half_items WHERE id = 3), 3) s
JOIN half_flat f ON f.ctid = s.ctid;
RESET enable_seqscan;
SELECT array_agg(id) AS seqscan_ids FROM (SELECT id FROM half_flat
  ORDER BY emb <#> (SELECT emb FROM half_items WHERE id = 3), id LIMIT 3) s;
DROP TABLE half_flat;
DROP TABLE half_items, half_vals, half_dts;
DROP FUNCTION h(text, text);
