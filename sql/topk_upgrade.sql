-- ALTER EXTENSION dotext UPDATE gives topk and stack their combine functions
-- in place: a view that uses them survives and stays usable
DROP EXTENSION dotext;
CREATE EXTENSION dotext VERSION '0.1.0';
CREATE TABLE tu (id bigint, emb tensor(float32));
INSERT INTO tu VALUES (1, '[1,0]'), (2, '[0,1]'), (3, '[1,1]');
CREATE VIEW tu_best AS SELECT topk(emb, id, '[1.0,0]', 2) AS ids, stack(emb ORDER BY id) AS embs FROM tu;
ALTER EXTENSION dotext UPDATE TO '0.2.0';
SELECT aggfnoid, aggcombinefn, aggserialfn, aggdeserialfn, aggfinalmodify
FROM pg_aggregate WHERE aggfnoid IN ('topk'::regproc, 'topk_scores'::regproc, 'stack'::regproc)
ORDER BY aggfnoid::text;
SELECT * FROM tu_best;
SELECT topk(emb, id, '[1.0,0]', 2) AS ids, topk_scores(emb, id, '[1.0,0]', 2) AS scores FROM tu;
DROP VIEW tu_best;
DROP TABLE tu;
