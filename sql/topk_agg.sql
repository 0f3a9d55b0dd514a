\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- the aggregates topk, topk_scores and stack: NULLs, empty input, argument
-- checks, id range
CREATE TABLE ta (id bigint, emb tensor(float32));
INSERT INTO ta VALUES (1, '[1,0]'), (2, '[0,1]'), (3, '[1,1]'), (4, '[-1,2]'), (5, NULL), (NULL, '[9,9]');

-- no rows, or only NULLs: NULL, never a crash
SELECT stack(t) IS NULL AS stack_of_null FROM (VALUES (NULL::tensor)) v(t);
SELECT stack(t) IS NULL AS stack_of_nulls FROM (VALUES (NULL::tensor), (NULL)) v(t);
SELECT stack(t) IS NULL AS stack_of_nothing FROM (VALUES ('[1]'::tensor)) v(t) WHERE false;
SELECT stack(t) AS nulls_skipped FROM (VALUES (NULL::tensor), ('[1,2]'), (NULL), ('[3,4]')) v(t);
SELECT topk(emb, id, '[1.0,0]', 2) IS NULL AS topk_of_null_rows,
       topk_scores(emb, id, '[1.0,0]', 2) IS NULL AS scores_of_null_rows
FROM ta WHERE emb IS NULL OR id IS NULL;
SELECT topk(emb, id, '[1.0,0]', 2) IS NULL AS topk_of_nothing,
       topk_scores(emb, id, '[1.0,0]', 2) IS NULL AS scores_of_nothing
FROM ta WHERE false;
SELECT topk(t, 1, '[1.0,0]', 2) IS NULL AS topk_of_empty_batch
FROM (VALUES ('float32(0,2):[]'::tensor)) v(t);
-- rows with a NULL id or embedding are skipped
SELECT topk(emb, id, '[1.0,1]', 10) AS ids, topk_scores(emb, id, '[1.0,1]', 10) AS scores FROM ta;

-- topk_scores: the dot products of topk's ids, same (Q,k) order, equal to -(<#>)
SELECT topk(emb, id, q, 2) AS ids, topk_scores(emb, id, q, 2) AS scores
FROM ta, (VALUES ('[[1.0,0],[0,1],[-1,0]]'::tensor)) v(q);
SELECT bool_and(s = -(emb <#> '[0.5,0.25]')) AS scores_equal_neg_op
FROM (SELECT unnest(topk(emb, id, '[0.5,0.25]', 3)) AS i,
             unnest(topk_scores(emb, id, '[0.5,0.25]', 3)) AS s FROM ta) r
JOIN ta ON ta.id = r.i;
-- per group, with queries that are constant within each group
SELECT g, topk(emb, id, q, 1) AS best, topk_scores(emb, id, q, 1) AS score
FROM (SELECT id % 2 AS g, emb, id, CASE WHEN id % 2 = 0 THEN '[1.0,0]'::tensor ELSE '[0.0,1]' END AS q
      FROM ta WHERE id IS NOT NULL) s
GROUP BY g ORDER BY g;
-- queries given per row, equal in every row: allowed
SELECT topk(emb, id, q, 2) AS same_per_row
FROM ta, LATERAL (SELECT ('[' || 1 || '.0,0]')::tensor AS q) l WHERE emb IS NOT NULL;

-- queries or k that change within a group: 22023, not the first row's
SELECT err($$SELECT topk(emb, id, CASE WHEN id < 3 THEN '[1.0,0]'::tensor ELSE '[0.0,1]' END, 2) FROM ta$$);
SELECT err($$SELECT topk(emb, id, '[1.0,0]', id::int) FROM ta WHERE id IS NOT NULL$$);
SELECT err($$SELECT topk(emb, id, CASE WHEN id < 3 THEN '[1.0,0]'::tensor ELSE '[[1.0,0],[0,1]]' END, 2) FROM ta$$);
SELECT err($$SELECT topk(emb, id, CASE WHEN id < 3 THEN '[1.0,0]'::tensor END, 2) FROM ta$$);
SELECT err($$SELECT topk(emb, id, '[1.0,0]', CASE WHEN id < 3 THEN 2 END) FROM ta$$);
-- arguments with no column but something volatile are checked row by row too
CREATE SEQUENCE ta_seq;
SELECT err($$SELECT topk(emb, id, '[1.0,0]', (nextval('ta_seq') % 2 + 1)::int) FROM ta$$);
SELECT err($$SELECT topk(emb, id, ('[' || nextval('ta_seq') || '.0,0]')::tensor, 2) FROM ta$$);
DROP SEQUENCE ta_seq;

-- a (B,D) batch stands for ids id .. id+B-1: all must fit in bigint
SELECT topk(t, 9223372036854775806, '[1.0]', 2) AS last_ids,
       topk_scores(t, 9223372036854775806, '[1.0]', 2) AS scores
FROM (VALUES ('[[1.0],[2.0]]'::tensor)) v(t);
SELECT err($$SELECT topk(t, 9223372036854775807, '[1.0]', 2) FROM (VALUES ('[[1.0],[2.0]]'::tensor)) v(t)$$);
SELECT err($$SELECT topk(array_fill(1::real, ARRAY[1000,1])::tensor, 9223372036854775000, '[1.0]', 2)$$);
SELECT topk(t, -9223372036854775808, '[1.0]', 1) AS smallest_id FROM (VALUES ('[[1.0],[2.0]]'::tensor)) v(t);

-- sizes checked before allocation
SELECT err($$SELECT topk(emb, id, '[1.0,0]', 2147483647) FROM ta$$);
SELECT err($$SELECT topk(emb, id, reshape('float32:[]', '{1000000,0}'), 1) FROM ta$$);
SELECT err($$SELECT stack(reshape('[1.0]', '{1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1}')) FROM ta$$);

-- stack keeps aggregate order; empty tensors stack too
SELECT stack(emb ORDER BY id DESC) AS reversed FROM ta WHERE id IS NOT NULL AND emb IS NOT NULL;
SELECT stack(t) AS empties, shape(stack(t)) FROM (VALUES ('float32(0,3):[]'::tensor), ('float32(0,3):[]')) v(t);
-- as window functions: stack keeps its state between rows (its final
-- function only reads it); topk's final function sorts its heaps, so
-- PostgreSQL refuses it there
SELECT id, stack(emb) OVER (ORDER BY id) AS running FROM ta WHERE id <= 3 ORDER BY id;
SELECT err($$SELECT topk(emb, id, '[1.0,0]', 2) OVER (ORDER BY id) FROM ta$$);
DROP TABLE ta;

-- topk_partitions on local partitions (test/sh/shards_fdw.sh runs it on
-- postgres_fdw shards): equal to ORDER BY ... LIMIT on the parent
CREATE TABLE tp (id bigint, emb tensor(float32)) PARTITION BY HASH (id);
CREATE TABLE tp0 PARTITION OF tp FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE tp1 PARTITION OF tp FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE tp2 PARTITION OF tp FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO tp SELECT i, ARRAY[sin(i), cos(i * 0.5), 0.25]::real[]::tensor FROM generate_series(1, 300) i;
INSERT INTO tp SELECT i + 1000, '[1,1,1]' FROM generate_series(1, 5) i;  -- ties
SELECT (SELECT array_agg(id ORDER BY score, id) FROM topk_partitions('tp', '[1.0,1,1]', 7))
         = (SELECT array_agg(id) FROM (SELECT id FROM tp ORDER BY emb <#> '[1.0,1,1]', id LIMIT 7) s) AS dot_equal,
       (SELECT array_agg(score ORDER BY score, id) FROM topk_partitions('tp', '[1.0,1,1]', 7))
         = (SELECT array_agg(emb <#> '[1.0,1,1]' ORDER BY emb <#> '[1.0,1,1]', id) FROM (SELECT * FROM tp ORDER BY emb <#> '[1.0,1,1]', id LIMIT 7) s) AS scores_equal,
       (SELECT array_agg(id ORDER BY score, id) FROM topk_partitions('tp', '[1.0,-1,0]', 7, '<=>'))
         = (SELECT array_agg(id) FROM (SELECT id FROM tp ORDER BY emb <=> '[1.0,-1,0]', id LIMIT 7) s) AS cosine_equal;
SELECT * FROM topk_partitions('tp', '[1.0,1,1]', 3) ORDER BY score, id;
-- a table that is not partitioned is its own only partition
SELECT array_agg(id ORDER BY score, id) AS plain_table FROM topk_partitions('tp1', '[1.0,1,1]', 2);
SELECT err($$SELECT * FROM topk_partitions('tp', '[1.0,1,1]', 0)$$);
SELECT err($$SELECT * FROM topk_partitions('tp', '[1.0,1,1]', 3, '+')$$);
SELECT err($$SELECT * FROM topk_partitions('tp', '[1.0,1,1]', 3, '<#>', 'nope')$$);
CREATE TABLE tpe (id bigint, emb tensor) PARTITION BY HASH (id);
SELECT err($$SELECT * FROM topk_partitions('tpe', '[1.0,1,1]', 3)$$);
DROP TABLE tp, tpe;
