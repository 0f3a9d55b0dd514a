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
