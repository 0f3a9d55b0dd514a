-- dotext 0.1.0 -> 0.2.0.  Every object added in 0.2.0 is created here as
-- in dotext.sql; changed objects are replaced.
\echo Use "ALTER EXTENSION dotext UPDATE TO '0.2.0'" to load this file. \quit

-- issue 9: safety

-- issue 11: dtypes

-- issue 12: I/O

-- issue 13: per-row ranking

-- issue 14: pgvector parity

-- issue 15: flat index

-- issue 16: parallel and sharding
-- topk and stack gain combine/serialize/deserialize functions and topk
-- shares its state with the new topk_scores: CREATE OR REPLACE keeps the
-- aggregates' OIDs, so views and functions that use them keep working

-- topk and topk_scores share a transition state (SHAREABLE final functions);
-- both aggregates have combine/serialize/deserialize functions for parallel
-- plans and partial aggregation
CREATE OR REPLACE FUNCTION tensor_topk_transfn(internal, tensor, bigint, tensor, integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION tensor_topk_finalfn(internal) RETURNS bigint[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_topk_scores_finalfn(internal) RETURNS double precision[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_topk_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_topk_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_topk_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_topk_transfn(internal, tensor, bigint, tensor, integer) IS 'transition function of topk and topk_scores';
COMMENT ON FUNCTION tensor_topk_finalfn(internal) IS 'final function of topk';
COMMENT ON FUNCTION tensor_topk_scores_finalfn(internal) IS 'final function of topk_scores';
COMMENT ON FUNCTION tensor_topk_combinefn(internal, internal) IS 'combine function of topk and topk_scores: merges two partial top k';
COMMENT ON FUNCTION tensor_topk_serialfn(internal) IS 'serialization function of topk and topk_scores';
COMMENT ON FUNCTION tensor_topk_deserialfn(bytea, internal) IS 'deserialization function of topk and topk_scores';
CREATE OR REPLACE AGGREGATE topk(emb tensor, id bigint, queries tensor, k integer) (
	SFUNC = tensor_topk_transfn,
	STYPE = internal,
	FINALFUNC = tensor_topk_finalfn,
	FINALFUNC_MODIFY = SHAREABLE,
	COMBINEFUNC = tensor_topk_combinefn,
	SERIALFUNC = tensor_topk_serialfn,
	DESERIALFUNC = tensor_topk_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE topk(tensor, bigint, tensor, integer) IS 'ids of the k rows with the largest dot product with each of Q queries, best first, as a (Q,k) bigint[]; a (B,D) row stands for ids id .. id+B-1';
CREATE AGGREGATE topk_scores(emb tensor, id bigint, queries tensor, k integer) (
	SFUNC = tensor_topk_transfn,
	STYPE = internal,
	FINALFUNC = tensor_topk_scores_finalfn,
	FINALFUNC_MODIFY = SHAREABLE,
	COMBINEFUNC = tensor_topk_combinefn,
	SERIALFUNC = tensor_topk_serialfn,
	DESERIALFUNC = tensor_topk_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE topk_scores(tensor, bigint, tensor, integer) IS 'the dot products of the rows topk returns, in the same (Q,k) order, as double precision[]';

CREATE OR REPLACE FUNCTION tensor_stack_transfn(internal, tensor) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION tensor_stack_finalfn(internal) RETURNS tensor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_stack_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_stack_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_stack_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_stack_transfn(internal, tensor) IS 'transition function of stack';
COMMENT ON FUNCTION tensor_stack_finalfn(internal) IS 'final function of stack';
COMMENT ON FUNCTION tensor_stack_combinefn(internal, internal) IS 'combine function of stack: appends one partial stack to another';
COMMENT ON FUNCTION tensor_stack_serialfn(internal) IS 'serialization function of stack';
COMMENT ON FUNCTION tensor_stack_deserialfn(bytea, internal) IS 'deserialization function of stack';
CREATE OR REPLACE AGGREGATE stack(t tensor) (
	SFUNC = tensor_stack_transfn,
	STYPE = internal,
	FINALFUNC = tensor_stack_finalfn,
	COMBINEFUNC = tensor_stack_combinefn,
	SERIALFUNC = tensor_stack_serialfn,
	DESERIALFUNC = tensor_stack_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE stack(tensor) IS 'torch.stack: same-shaped tensors as one tensor of rank k+1, in aggregate order (write stack(t ORDER BY ...); without ORDER BY, and in parallel plans, the order is undefined)';

-- exact top k of a partitioned table whose partitions may be foreign tables
-- (postgres_fdw shards).  PostgreSQL pushes ORDER BY ... LIMIT down to a
-- foreign table only when it is the whole query, never to the partitions of
-- a parent (a Merge Append fetches and sorts every row), and even then it
-- fetches the embeddings to compute the operator locally.  So this runs one
-- query per leaf partition that postgres_fdw ships whole and that returns
-- only ids and scores: topk and topk_scores for <#> (one row of k ids and k
-- scores), and GROUP BY id ... ORDER BY ... LIMIT k for other operators (k
-- rows); a MATERIALIZED CTE keeps the partitions under a plain Append, so
-- async_capable shards run at once; then it merges the k best of each
CREATE FUNCTION topk_partitions(tbl regclass, q tensor, k integer, op text DEFAULT '<#>',
                                emb_col name DEFAULT 'emb', id_col name DEFAULT 'id')
RETURNS TABLE (id bigint, score double precision)
LANGUAGE plpgsql STABLE STRICT PARALLEL RESTRICTED AS $$
DECLARE
	opr text;
	nsp text;
	parts text;
BEGIN
	IF k < 1 THEN
		RAISE EXCEPTION 'topk_partitions needs k >= 1, not %', k USING ERRCODE = '22023';
	END IF;
	-- dotext's schema, wherever it was installed, to name its objects
	SELECT n.nspname, format('OPERATOR(%I.%s)', n.nspname, o.oprname) INTO nsp, opr
	FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
	WHERE o.oprname = op AND o.oprleft = pg_typeof(q) AND o.oprright = pg_typeof(q)
	  AND o.oprresult = 'double precision'::regtype;
	IF opr IS NULL THEN
		RAISE EXCEPTION 'topk_partitions has no ranking operator %', op USING ERRCODE = '22023',
			HINT = 'Use one of the tensor distance operators, such as <#> or <=>.';
	END IF;
	SELECT string_agg(CASE WHEN op = '<#>'
		THEN format('SELECT %2$I.topk(%3$I, %4$I, $1, $2) AS ids, %2$I.topk_scores(%3$I, %4$I, $1, $2) AS scores FROM %1$s',
		            relid, nsp, emb_col, id_col)
		ELSE format('(SELECT %I AS id, min(%I %s $1) AS score FROM %s GROUP BY 1 ORDER BY 2, 1 LIMIT $2)',
		            id_col, emb_col, opr, relid) END,
		' UNION ALL ' ORDER BY relid)
	INTO parts FROM pg_partition_tree(tbl) WHERE isleaf;
	IF parts IS NULL THEN
		RAISE EXCEPTION 'topk_partitions found no partition of "%"', tbl USING ERRCODE = '22023';
	END IF;
	IF op = '<#>' THEN
		-- topk_scores are dot products: <#> is their negation
		RETURN QUERY EXECUTE format('WITH parts AS MATERIALIZED (%s) SELECT u.id::bigint, -u.s
			FROM parts, unnest(parts.ids, parts.scores) u(id, s) ORDER BY 2, 1 LIMIT $2', parts) USING q, k;
	ELSE
		RETURN QUERY EXECUTE format('WITH parts AS MATERIALIZED (%s) SELECT id::bigint, score
			FROM parts ORDER BY 2, 1 LIMIT $2', parts) USING q, k;
	END IF;
END $$;
COMMENT ON FUNCTION topk_partitions(regclass, tensor, integer, text, name, name) IS 'exact top k of a partitioned table (postgres_fdw partitions included), as ORDER BY emb <op> q, id LIMIT k: each leaf partition returns only its k best ids and scores, merged here';
