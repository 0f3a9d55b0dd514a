\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- parallel plans: topk, topk_scores and stack split the scan between
-- workers and merge partial states (combine/serialize/deserialize);
-- per-row ORDER BY ... LIMIT runs under Gather Merge.  Results equal the
-- serial ones.
CREATE TABLE pr (id bigint, emb tensor(float32));
INSERT INTO pr SELECT i, ARRAY(SELECT sin(i * 0.37 + j * 1.3)::real FROM generate_series(1, 16) j)::tensor
FROM generate_series(1, 30000) i;
-- ties: 50 copies of one vector, so the smaller id must win across workers
UPDATE pr SET emb = ARRAY(SELECT 1::real FROM generate_series(1, 16))::tensor WHERE id % 600 = 7;
ANALYZE pr;
CREATE TABLE prq AS SELECT g AS qi, ARRAY(SELECT cos(j * g)::real FROM generate_series(1, 16) j)::tensor AS q
FROM generate_series(1, 12) g;
CREATE TABLE serial AS
SELECT topk(emb, id, (SELECT stack(q ORDER BY qi) FROM prq), 10) AS ids12,
       topk_scores(emb, id, (SELECT stack(q ORDER BY qi) FROM prq), 10) AS scores12,
       topk(emb, id, ARRAY(SELECT 1::real FROM generate_series(1, 16))::tensor, 5) AS ties,
       topk(emb, id, (SELECT q FROM prq WHERE qi = 3), 10) AS one
FROM pr;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- only workers scan, so every row goes through a serialized partial state
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT topk(emb, id, (SELECT stack(q ORDER BY qi) FROM prq), 10) FROM pr;
-- two workers ran, one partial state each
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT topk(emb, id, '[1.0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]', 10) FROM pr;
SELECT s.ids12 = p.ids12 AS ids_equal, s.scores12 = p.scores12 AS scores_equal,
       s.ties = p.ties AS ties_equal, p.ties, s.one = p.one AS one_query_equal
FROM serial s,
     (SELECT topk(emb, id, (SELECT stack(q ORDER BY qi) FROM prq), 10) AS ids12,
             topk_scores(emb, id, (SELECT stack(q ORDER BY qi) FROM prq), 10) AS scores12,
             topk(emb, id, ARRAY(SELECT 1::real FROM generate_series(1, 16))::tensor, 5) AS ties,
             topk(emb, id, (SELECT q FROM prq WHERE qi = 3), 10) AS one
      FROM pr) p;
-- and each query's ids equal a per-row ORDER BY (run in parallel too)
SELECT count(*) FILTER (WHERE (SELECT array_agg(id) FROM (SELECT id FROM pr ORDER BY emb <#> prq.q, id LIMIT 10) s)
                              = (SELECT array_agg(x) FROM unnest(serial.ids12[prq.qi:prq.qi][1:10]) x)) AS queries_equal
FROM prq, serial;

-- per-row ranking: Gather Merge of sorted worker streams
EXPLAIN (COSTS OFF)
SELECT id FROM pr ORDER BY emb <#> '[1.0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]', id LIMIT 10;
CREATE TABLE par_rows AS
SELECT array_agg(id) AS dot_ids FROM (SELECT id FROM pr ORDER BY emb <#> '[1.0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]', id LIMIT 10) s;
ALTER TABLE par_rows ADD cos_ids bigint[];
UPDATE par_rows SET cos_ids = (SELECT array_agg(id) FROM (SELECT id FROM pr ORDER BY emb <=> '[1.0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]', id LIMIT 10) s);

-- stack in parallel: the same rows, in an order the plan chooses
EXPLAIN (COSTS OFF) SELECT stack(emb) FROM pr;
CREATE TABLE par_stack AS SELECT stack(emb) AS s FROM pr;
-- stack(t ORDER BY ...) keeps its order: PostgreSQL does not split an
-- aggregate with ORDER BY, so there is no Partial Aggregate
EXPLAIN (COSTS OFF) SELECT stack(emb ORDER BY id) FROM pr;

RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
SELECT dot_ids = (SELECT array_agg(id) FROM (SELECT id FROM pr ORDER BY emb <#> '[1.0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]', id LIMIT 10) s) AS dot_rows_equal,
       cos_ids = (SELECT array_agg(id) FROM (SELECT id FROM pr ORDER BY emb <=> '[1.0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]', id LIMIT 10) s) AS cos_rows_equal,
       dot_ids[1:3] = ARRAY(SELECT unnest(topk(emb, id, '[1.0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]', 3)) FROM pr) AS topk_equal
FROM par_rows;
-- sorted rows of the parallel stack equal the serial ordered one
SELECT shape(s), (SELECT array_agg(x ORDER BY x) FROM unnest(rowdot(s, q)::float8[]) x)
       = (SELECT array_agg(x ORDER BY x) FROM unnest(rowdot((SELECT stack(emb ORDER BY id) FROM pr), q)::float8[]) x)
       AS same_rows
FROM par_stack, (SELECT ARRAY(SELECT j::real FROM generate_series(1, 16) j)::tensor AS q) q;

-- partitionwise aggregation combines per-partition partial states too;
-- partitions ranked by different queries cannot be merged: 22023
CREATE TABLE pp (id bigint, q tensor(float32), emb tensor(float32)) PARTITION BY RANGE (id);
CREATE TABLE pp1 PARTITION OF pp FOR VALUES FROM (0) TO (100);
CREATE TABLE pp2 PARTITION OF pp FOR VALUES FROM (100) TO (200);
INSERT INTO pp SELECT i, '[1.0,0]', ARRAY[sin(i), cos(i)]::real[]::tensor FROM generate_series(0, 199) i;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT topk(emb, id, q, 3) FROM pp;
SELECT topk(emb, id, q, 3) AS partitionwise,
       (SELECT array_agg(id) FROM (SELECT id FROM pp ORDER BY emb <#> '[1.0,0]', id LIMIT 3) s) AS order_by
FROM pp;
UPDATE pp SET q = '[0.0,1]' WHERE id >= 100;
SELECT err($$SELECT topk(emb, id, q, 3) FROM pp$$);
SELECT err($$SELECT topk(emb, id, '[1.0,0]', CASE WHEN id < 100 THEN 3 ELSE 4 END) FROM pp$$);
RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE pr, prq, serial, par_rows, par_stack, pp;
