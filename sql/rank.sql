\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- ranking: the <#> and <=> operators in ORDER BY, topk, stack, maxsim
CREATE TABLE items (id bigint, emb tensor(float32));
INSERT INTO items VALUES
  (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0,0,1]'), (4, '[1,1,0]'), (5, '[2,2,2]'),
  (6, '[-1,0,0]'), (7, '[0.5,0.5,0.5]'), (8, '[0,0,0]');
SELECT id, emb <#> '[1.0,2,3]' AS neg_dot FROM items ORDER BY emb <#> '[1.0,2,3]', id LIMIT 4;
SELECT id, round((emb <=> '[1.0,1,1]')::numeric, 6) AS cos_dist FROM items ORDER BY emb <=> '[1.0,1,1]', id LIMIT 4;

-- topk: the same ranking for several queries in one scan
SELECT topk(emb, id, '[[1.0,2,3],[1,0,0],[-1,-1,-1]]', 3) AS per_query FROM items;
SELECT topk(emb, id, '[1.0,2,3]', 3) AS one_query FROM items;
SELECT topk(emb, id, '[1.0,2,3]', 100) AS k_above_rows FROM items;
SELECT topk(emb, id, '[1.0,2,3]', 3) AS no_rows FROM items WHERE false;
-- ties go to the smaller id
SELECT topk(emb, id, '[0.0,0,1]', 2) AS ties FROM (VALUES (9, '[0.0,0,1]'::tensor), (3, '[0.0,0,1]'), (5, '[0.0,0,1]')) v(id, emb);
-- the same ids as ORDER BY, on more rows than one chunk holds
CREATE TABLE many AS
SELECT i::bigint AS id, ARRAY(SELECT sin(i * 0.37 + j * 1.3)::real FROM generate_series(1, 16) j)::tensor AS emb
FROM generate_series(1, 70000) i;
SELECT (SELECT array_agg(id ORDER BY r) FROM (SELECT id, row_number() OVER (ORDER BY emb <#> q, id) r
         FROM many ORDER BY emb <#> q, id LIMIT 10) s) = ARRAY(SELECT unnest(topk(emb, id, q, 10)) FROM many)
       AS topk_equals_order_by
FROM (SELECT ARRAY(SELECT cos(j)::real FROM generate_series(1, 16) j)::tensor AS q) q;
-- and for 12 queries at once (sgemm filters, exact dots decide)
CREATE TABLE qs AS SELECT g AS qi, ARRAY(SELECT cos(j * g)::real FROM generate_series(1, 16) j)::tensor AS q
FROM generate_series(1, 12) g;
WITH t AS (SELECT topk(emb, id, (SELECT stack(q ORDER BY qi) FROM qs), 10) AS ids FROM many)
SELECT count(*) FILTER (WHERE (SELECT array_agg(id) FROM (SELECT id FROM many ORDER BY emb <#> qs.q, id LIMIT 10) s)
                              = (SELECT array_agg(x) FROM unnest(t.ids[qs.qi:qs.qi][1:10]) x)) AS queries_equal
FROM qs, t;

-- rows of 1 kB, seven to a page, some deleted and some moved by UPDATE:
-- the scan prefetches the row it hands over next (src/heap_prefetch.c) and
-- must still score every live row once; plain SQL in double is the reference
CREATE TABLE wide AS
SELECT i::bigint AS id, ARRAY(SELECT sin(i * 0.61 + j * 0.7)::real FROM generate_series(1, 256) j)::tensor AS emb
FROM generate_series(1, 3000) i;
DELETE FROM wide WHERE id % 7 = 0;
UPDATE wide SET emb = ARRAY(SELECT cos(id * 0.3 + j)::real FROM generate_series(1, 256) j)::tensor WHERE id % 11 = 0;
CREATE TABLE wide_ref AS
SELECT id, (SELECT sum(x::float8 * y::float8) FROM unnest(tensor_to_float4(emb), q) u(x, y)) AS s,
       (SELECT sum(x::float8 * y::float8) / sqrt(sum(x::float8 * x)) / sqrt(sum(y::float8 * y))
        FROM unnest(tensor_to_float4(emb), q) u(x, y)) AS c
FROM wide, (SELECT ARRAY(SELECT cos(j * 0.5)::real FROM generate_series(1, 256) j) AS q) q;
WITH q AS (SELECT ARRAY(SELECT cos(j * 0.5)::real FROM generate_series(1, 256) j)::tensor AS q)
SELECT (SELECT array_agg(id) FROM (SELECT id FROM wide, q ORDER BY emb <#> q, id LIMIT 10) s)
         = (SELECT array_agg(id) FROM (SELECT id FROM wide_ref ORDER BY s DESC, id LIMIT 10) s) AS dot_order_equals_sql,
       (SELECT array_agg(id) FROM (SELECT id FROM wide, q ORDER BY emb <=> q, id LIMIT 10) s)
         = (SELECT array_agg(id) FROM (SELECT id FROM wide_ref ORDER BY c DESC, id LIMIT 10) s) AS cosine_order_equals_sql,
       (SELECT array_to_string(topk(emb, id, q, 10), ',') FROM wide)
         = (SELECT string_agg(id::text, ',') FROM (SELECT id FROM wide_ref ORDER BY s DESC, id LIMIT 10) s) AS topk_equals_sql,
       (SELECT count(*) FROM wide WHERE emb <#> q IS NOT NULL) AS rows_scored,
       (SELECT abs(sum(-(emb <#> q)) / (SELECT sum(s) FROM wide_ref) - 1) < 1e-9 FROM wide) AS sum_equals_sql
FROM q;

-- stack and stored batches: a (B,D) row stands for ids id .. id+B-1
SELECT stack(emb ORDER BY id) AS stacked, shape(stack(emb)) FROM items WHERE id <= 3;
CREATE TABLE batches AS SELECT min(id) AS first_id, stack(emb ORDER BY id) AS embs FROM items GROUP BY (id - 1) / 3;
SELECT first_id, shape(embs), rowdot(embs, '[1,2,3]'::tensor(float32)) FROM batches ORDER BY first_id;
SELECT topk(embs, first_id, '[1.0,2,3]', 3) AS from_batches FROM batches;
SELECT stack(t) AS scalars FROM (VALUES ('1'::tensor), ('2'), ('3')) v(t);

-- maxsim: sum over query rows of the best document row
SELECT maxsim('[[1,0],[0,1],[1,1]]', '[[1,0],[2,2]]') AS maxsim_i64,
       maxsim('[[1.0,0],[0,1]]', '[[0.5,0.5]]') AS maxsim_f32,
       maxsim('[[1,2]]', 'int64(0,2):[]') AS no_query_rows;

-- errors
SELECT err($$SELECT topk(emb, id, '[1.0,2]', 3) FROM items$$);
SELECT err($$SELECT topk(emb, id, '[1,2,3]', 3) FROM items$$);
SELECT err($$SELECT id FROM items ORDER BY emb <#> 'float64:[1,2,3]' LIMIT 1$$);
SELECT err($$SELECT topk(emb, id, '[1.0,2,3]', 0) FROM items$$);
SELECT err($$SELECT topk(emb, id, 'float64:[1,2,3]', 3) FROM items$$);
SELECT err($$SELECT topk(t, 1, '[1.0,2]', 3) FROM (VALUES ('int32:[1,2]'::tensor)) v(t)$$);
SELECT err($$SELECT topk(emb, id, '[[[1.0]]]', 3) FROM items$$);
SELECT err($$SELECT topk(emb, id, NULL, 3) FROM items$$);
SELECT err($$SELECT topk(emb, id, '[1.0,2,3]', 1073741824) FROM items$$);
SELECT err($$SELECT stack(t) FROM (VALUES ('[1,2]'::tensor), ('[1.0,2,3]')) v(t)$$);
SELECT err($$SELECT stack(t) FROM (VALUES ('[1,2]'::tensor), ('int32:[1,2]')) v(t)$$);
SELECT err($$SELECT stack(t) FROM (VALUES ('[1,2]'::tensor), ('[1,2,3]')) v(t)$$);
SELECT err($$SELECT stack(t) FROM (VALUES ('[[1,2]]'::tensor), ('[1,2]')) v(t)$$);
SELECT err($$SELECT maxsim('[1,2]', '[1,2]')$$);
SELECT err($$SELECT maxsim('[[1,2]]', '[[1,2,3]]')$$);
SELECT err($$SELECT maxsim('int64(0,2):[]', '[[1,2]]')$$);
SELECT err($$SELECT maxsim('[[1,2]]', '[[1.0,2]]')$$);
SELECT err($$SELECT maxsim('[[9223372036854775807]]', '[[2]]')$$);
DROP TABLE items, many, qs, batches, wide, wide_ref;
