-- ALTER EXTENSION dotext UPDATE from 0.1.0 gives the same operators
-- (merge- and hash-joinable =), operator classes, aggregates and casts as
-- a fresh install of 0.2.0
-- a function, not a view: its body names the type only when it runs
CREATE FUNCTION pg_temp.tensor_objects() RETURNS SETOF text LANGUAGE sql AS $$
SELECT 'operator ' || oprname || '(' || format_type(oprleft, NULL) || ',' || format_type(oprright, NULL) || ') '
       || oprcode::text || CASE WHEN oprcanhash THEN ' hashes' ELSE '' END
       || CASE WHEN oprcanmerge THEN ' merges' ELSE '' END AS obj
FROM pg_operator WHERE 'tensor'::regtype IN (oprleft, oprright)
UNION ALL
SELECT 'opclass ' || opcname || ' ' || amname || CASE WHEN opcdefault THEN ' default' ELSE '' END
FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod WHERE opcintype = 'tensor'::regtype
UNION ALL
SELECT 'aggregate ' || aggfnoid::regprocedure::text || ' ' || aggtransfn::text || ' ' || aggcombinefn::text
       || ' ' || aggserialfn::text || ' ' || aggdeserialfn::text || ' ' || proparallel::text
FROM pg_aggregate JOIN pg_proc p ON p.oid = aggfnoid WHERE 'tensor'::regtype = ANY (p.proargtypes)
UNION ALL
SELECT 'cast ' || format_type(castsource, NULL) || ' -> ' || format_type(casttarget, NULL) || ' ' || castcontext::text
FROM pg_cast WHERE 'tensor'::regtype IN (castsource, casttarget)
UNION ALL
SELECT 'type tensor subscript ' || typsubscript::text FROM pg_type WHERE oid = 'tensor'::regtype
$$;
CREATE TEMP TABLE fresh AS SELECT obj FROM pg_temp.tensor_objects() obj;
SELECT count(*) >= 30 AS many FROM fresh;
SELECT obj FROM fresh WHERE obj LIKE 'operator =%' OR obj LIKE 'opclass%' OR obj ~ '^aggregate (sum|avg)' OR obj LIKE 'type%' ORDER BY obj;

DROP EXTENSION dotext;
CREATE EXTENSION dotext VERSION '0.1.0';
ALTER EXTENSION dotext UPDATE TO '0.2.0';
-- nothing missing, nothing extra
(SELECT 'only fresh: ' || obj FROM fresh EXCEPT ALL SELECT 'only fresh: ' || obj FROM pg_temp.tensor_objects() obj)
UNION ALL
(SELECT 'only updated: ' || obj FROM pg_temp.tensor_objects() obj EXCEPT ALL SELECT 'only updated: ' || obj FROM fresh);
DROP TABLE fresh;
-- and they work after the update
SELECT DISTINCT t FROM (VALUES ('[1,2]'::tensor * 2), ('[2,4]')) v(t);
