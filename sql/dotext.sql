-- dotext: tensor dot products in PostgreSQL
\echo Use "CREATE EXTENSION dotext" to load this file. \quit

-- the type

CREATE TYPE tensor;

CREATE FUNCTION tensor_in(cstring, oid, integer) RETURNS tensor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_out(tensor) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_recv(internal, oid, integer) RETURNS tensor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_send(tensor) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_typmod_in(cstring[]) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_typmod_out(integer) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE tensor (
	INPUT = tensor_in,
	OUTPUT = tensor_out,
	RECEIVE = tensor_recv,
	SEND = tensor_send,
	TYPMOD_IN = tensor_typmod_in,
	TYPMOD_OUT = tensor_typmod_out,
	ALIGNMENT = double,
	STORAGE = main
);
COMMENT ON TYPE tensor IS 'n-dimensional array with a dtype (float32, float64, int32, int64)';

COMMENT ON FUNCTION tensor_in(cstring, oid, integer) IS 'text input of tensor';
COMMENT ON FUNCTION tensor_out(tensor) IS 'text output of tensor';
COMMENT ON FUNCTION tensor_recv(internal, oid, integer) IS 'binary input of tensor';
COMMENT ON FUNCTION tensor_send(tensor) IS 'binary output of tensor';
COMMENT ON FUNCTION tensor_typmod_in(cstring[]) IS 'dtype type modifier of tensor';
COMMENT ON FUNCTION tensor_typmod_out(integer) IS 'dtype type modifier of tensor';

-- the dtype modifier: tensor(float64) converts on assignment, like Tensor.to()
CREATE FUNCTION tensor(tensor, integer, boolean) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_coerce' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor(tensor, integer, boolean) IS 'convert a tensor to the dtype of a type modifier';
CREATE CAST (tensor AS tensor) WITH FUNCTION tensor(tensor, integer, boolean) AS IMPLICIT;

-- casts with arrays

CREATE FUNCTION tensor(real[], integer, boolean) RETURNS tensor
	AS 'MODULE_PATHNAME', 'array_to_tensor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor(double precision[], integer, boolean) RETURNS tensor
	AS 'MODULE_PATHNAME', 'array_to_tensor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor(integer[], integer, boolean) RETURNS tensor
	AS 'MODULE_PATHNAME', 'array_to_tensor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor(bigint[], integer, boolean) RETURNS tensor
	AS 'MODULE_PATHNAME', 'array_to_tensor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor(real[], integer, boolean) IS 'real[] to a float32 tensor of the same shape';
COMMENT ON FUNCTION tensor(double precision[], integer, boolean) IS 'double precision[] to a float64 tensor of the same shape';
COMMENT ON FUNCTION tensor(integer[], integer, boolean) IS 'integer[] to an int32 tensor of the same shape';
COMMENT ON FUNCTION tensor(bigint[], integer, boolean) IS 'bigint[] to an int64 tensor of the same shape';

CREATE FUNCTION tensor_to_float4(tensor) RETURNS real[]
	AS 'MODULE_PATHNAME', 'tensor_to_float4_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_to_float8(tensor) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'tensor_to_float8_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_to_int4(tensor) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'tensor_to_int4_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_to_int8(tensor) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'tensor_to_int8_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_to_float4(tensor) IS 'tensor to real[] of the same shape';
COMMENT ON FUNCTION tensor_to_float8(tensor) IS 'tensor to double precision[] of the same shape';
COMMENT ON FUNCTION tensor_to_int4(tensor) IS 'tensor to integer[] of the same shape (floats truncate toward zero)';
COMMENT ON FUNCTION tensor_to_int8(tensor) IS 'tensor to bigint[] of the same shape (floats truncate toward zero)';

CREATE CAST (real[] AS tensor) WITH FUNCTION tensor(real[], integer, boolean) AS ASSIGNMENT;
CREATE CAST (double precision[] AS tensor) WITH FUNCTION tensor(double precision[], integer, boolean) AS ASSIGNMENT;
CREATE CAST (integer[] AS tensor) WITH FUNCTION tensor(integer[], integer, boolean) AS ASSIGNMENT;
CREATE CAST (bigint[] AS tensor) WITH FUNCTION tensor(bigint[], integer, boolean) AS ASSIGNMENT;
CREATE CAST (tensor AS real[]) WITH FUNCTION tensor_to_float4(tensor) AS ASSIGNMENT;
CREATE CAST (tensor AS double precision[]) WITH FUNCTION tensor_to_float8(tensor) AS ASSIGNMENT;
CREATE CAST (tensor AS integer[]) WITH FUNCTION tensor_to_int4(tensor) AS ASSIGNMENT;
CREATE CAST (tensor AS bigint[]) WITH FUNCTION tensor_to_int8(tensor) AS ASSIGNMENT;

-- shape functions

CREATE FUNCTION shape(t tensor) RETURNS integer[]
	AS 'MODULE_PATHNAME', 'tensor_shape' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ndim(t tensor) RETURNS integer
	AS 'MODULE_PATHNAME', 'tensor_ndim' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION numel(t tensor) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tensor_numel' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dtype(t tensor) RETURNS text
	AS 'MODULE_PATHNAME', 'tensor_dtype' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION reshape(t tensor, shape integer[]) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_reshape' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION flatten(t tensor) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_flatten' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION permute(t tensor, dims integer[]) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_permute' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION shape(tensor) IS 'dimensions of a tensor (torch: t.shape)';
COMMENT ON FUNCTION ndim(tensor) IS 'rank of a tensor (torch: t.ndim)';
COMMENT ON FUNCTION numel(tensor) IS 'number of elements (torch: t.numel())';
COMMENT ON FUNCTION dtype(tensor) IS 'element type: float32, float64, int32 or int64';
COMMENT ON FUNCTION reshape(tensor, integer[]) IS 'same elements in another shape; one dimension may be -1 (torch.reshape)';
COMMENT ON FUNCTION flatten(tensor) IS 'the elements as a rank-1 tensor (torch.flatten)';
COMMENT ON FUNCTION permute(tensor, integer[]) IS 'reorder the dimensions (torch.permute)';

-- comparison

CREATE FUNCTION tensor_eq(a tensor, b tensor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_ne(a tensor, b tensor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_eq(tensor, tensor) IS 'same dtype, shape and elements';
COMMENT ON FUNCTION tensor_ne(tensor, tensor) IS 'not tensor_eq';
CREATE OPERATOR = (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR <> (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);

-- dot products

CREATE FUNCTION dot(a tensor, b tensor) RETURNS double precision
	AS 'MODULE_PATHNAME', 'tensor_dot' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dot(tensor, tensor) IS 'torch.dot: inner product of two 1-D tensors of one length and dtype';

CREATE FUNCTION rowdot(a tensor, b tensor) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_rowdot' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rowdot(tensor, tensor) IS '(a * b).sum(-1) with NumPy broadcasting of the leading dimensions; dtype kept';

CREATE FUNCTION axis_dot(a tensor, b tensor, axes integer[], "normalize" boolean DEFAULT false) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_axis_dot_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION axis_dot(a tensor, b tensor, axis integer, "normalize" boolean DEFAULT false) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_axis_dot_int' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION axis_dot(a tensor, b tensor, axes text, "normalize" boolean DEFAULT false) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_axis_dot_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION axis_dot(tensor, tensor, integer[], boolean) IS 'tf.keras.layers.Dot(axes=(axes[1], axes[2]), normalize): dim 0 is the batch';
COMMENT ON FUNCTION axis_dot(tensor, tensor, integer, boolean) IS 'tf.keras.layers.Dot(axes=axis, normalize): dim 0 is the batch';
COMMENT ON FUNCTION axis_dot(tensor, tensor, text, boolean) IS 'tf.keras.layers.Dot with axes written ''1'', ''{1,2}'' or ''(1,2)''';

CREATE FUNCTION cosine_similarity(a tensor, b tensor) RETURNS double precision
	AS 'MODULE_PATHNAME', 'tensor_cosine_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cosine_similarity(tensor, tensor) IS 'dot(a,b) / (max(|a|,1e-8) * max(|b|,1e-8)) of two 1-D tensors, as torch';

CREATE FUNCTION rowcosine(a tensor, b tensor) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_rowcosine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rowcosine(tensor, tensor) IS 'row-wise cosine similarity, broadcasting as rowdot; float32 for float32 inputs, float64 otherwise';

CREATE FUNCTION norm(t tensor) RETURNS double precision
	AS 'MODULE_PATHNAME', 'tensor_norm' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION norm(tensor) IS 'L2 norm over all elements';

-- ranking operators, spelt as pgvector's

CREATE FUNCTION tensor_negative_dot(a tensor, b tensor) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_cosine_distance(a tensor, b tensor) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_negative_dot(tensor, tensor) IS '-dot(a, b), the <#> operator';
COMMENT ON FUNCTION tensor_cosine_distance(tensor, tensor) IS '1 - cosine_similarity(a, b), the <=> operator';
CREATE OPERATOR <#> (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_negative_dot, COMMUTATOR = <#>);
CREATE OPERATOR <=> (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_cosine_distance, COMMUTATOR = <=>);
COMMENT ON OPERATOR <#> (tensor, tensor) IS 'negative dot product, for ORDER BY ... LIMIT k';
COMMENT ON OPERATOR <=> (tensor, tensor) IS 'cosine distance, for ORDER BY ... LIMIT k';

-- ranking many rows at once

-- topk, topk_scores and stack are defined in the issue 16 section below

CREATE FUNCTION maxsim(doc tensor, query tensor) RETURNS double precision
	AS 'MODULE_PATHNAME', 'tensor_maxsim' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION maxsim(tensor, tensor) IS 'ColBERT late interaction: sum over query rows of the max over document rows of their dot';

-- device

CREATE FUNCTION dotext_gpu_info() RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dotext_gpu_info() IS 'the GPU dotext uses, or why it uses none';

-- issue 9: safety (0.2.0)

-- issue 11: dtypes (0.2.0)

-- issue 12: I/O (0.2.0)

-- issue 13: per-row ranking (0.2.0)

-- issue 14: pgvector parity (0.2.0)

-- issue 15: flat index (0.2.0)

-- issue 16: parallel and sharding (0.2.0)

-- topk and topk_scores share a transition state (SHAREABLE final functions);
-- both aggregates have combine/serialize/deserialize functions for parallel
-- plans and partial aggregation
CREATE FUNCTION tensor_topk_transfn(internal, tensor, bigint, tensor, integer) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_topk_finalfn(internal) RETURNS bigint[]
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
CREATE AGGREGATE topk(emb tensor, id bigint, queries tensor, k integer) (
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

CREATE FUNCTION tensor_stack_transfn(internal, tensor) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_stack_finalfn(internal) RETURNS tensor
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
CREATE AGGREGATE stack(t tensor) (
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
