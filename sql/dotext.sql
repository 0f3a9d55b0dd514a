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
COMMENT ON TYPE tensor IS 'n-dimensional array with a dtype (float32, float64, int32, int64, float16, bfloat16)';

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
COMMENT ON FUNCTION dtype(tensor) IS 'element type: float32, float64, int32, int64, float16 or bfloat16';
COMMENT ON FUNCTION reshape(tensor, integer[]) IS 'same elements in another shape; one dimension may be -1 (torch.reshape)';
COMMENT ON FUNCTION flatten(tensor) IS 'the elements as a rank-1 tensor (torch.flatten)';
COMMENT ON FUNCTION permute(tensor, integer[]) IS 'reorder the dimensions (torch.permute)';

-- comparison

CREATE FUNCTION tensor_eq(a tensor, b tensor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_ne(a tensor, b tensor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_eq(tensor, tensor) IS 'same dtype, shape and elements (-0 = 0, NaN = NaN)';
COMMENT ON FUNCTION tensor_ne(tensor, tensor) IS 'not tensor_eq';
CREATE OPERATOR = (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
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

CREATE FUNCTION l2_distance(a tensor, b tensor) RETURNS double precision
	AS 'MODULE_PATHNAME', 'tensor_l2_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION l2_distance(tensor, tensor) IS 'Euclidean distance of two 1-D tensors, the <-> operator; an integer operand takes the other one''s float dtype';
CREATE FUNCTION l1_distance(a tensor, b tensor) RETURNS double precision
	AS 'MODULE_PATHNAME', 'tensor_l1_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION l1_distance(tensor, tensor) IS 'taxicab distance of two 1-D tensors, the <+> operator; an integer operand takes the other one''s float dtype';
-- the operators' own functions, so that errors name the operator
CREATE FUNCTION tensor_l2_operator(a tensor, b tensor) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_l1_operator(a tensor, b tensor) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_l2_operator(tensor, tensor) IS 'l2_distance(a, b), the <-> operator';
COMMENT ON FUNCTION tensor_l1_operator(tensor, tensor) IS 'l1_distance(a, b), the <+> operator';
CREATE OPERATOR <-> (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_l2_operator, COMMUTATOR = <->);
CREATE OPERATOR <+> (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_l1_operator, COMMUTATOR = <+>);
COMMENT ON OPERATOR <-> (tensor, tensor) IS 'Euclidean distance, for ORDER BY ... LIMIT k';
COMMENT ON OPERATOR <+> (tensor, tensor) IS 'taxicab distance, for ORDER BY ... LIMIT k';
CREATE FUNCTION dotext_simd_info() RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dotext_simd_info() IS 'the CPU loops this backend runs (avx512, avx2 or generic) and the DOTEXT_SIMD setting';

-- issue 14: pgvector parity (0.2.0)

-- element-wise arithmetic, NumPy broadcasting; integers exact (22003 on overflow)
CREATE FUNCTION tensor_add(a tensor, b tensor) RETURNS tensor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_sub(a tensor, b tensor) RETURNS tensor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_mul(a tensor, b tensor) RETURNS tensor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_mul(t tensor, s integer) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_mul_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_mul(t tensor, s bigint) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_mul_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_mul(t tensor, s double precision) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_mul_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_mul(s integer, t tensor) RETURNS tensor
	AS 'MODULE_PATHNAME', 'int4_mul_tensor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_mul(s bigint, t tensor) RETURNS tensor
	AS 'MODULE_PATHNAME', 'int8_mul_tensor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_mul(s double precision, t tensor) RETURNS tensor
	AS 'MODULE_PATHNAME', 'float8_mul_tensor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_div(t tensor, s double precision) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_div_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_add(tensor, tensor) IS 'a + b element-wise with NumPy broadcasting, one dtype';
COMMENT ON FUNCTION tensor_sub(tensor, tensor) IS 'a - b element-wise with NumPy broadcasting, one dtype';
COMMENT ON FUNCTION tensor_mul(tensor, tensor) IS 'a * b element-wise with NumPy broadcasting, one dtype';
COMMENT ON FUNCTION tensor_mul(tensor, integer) IS 'every element times an integer; dtype kept';
COMMENT ON FUNCTION tensor_mul(tensor, bigint) IS 'every element times an integer; dtype kept';
COMMENT ON FUNCTION tensor_mul(tensor, double precision) IS 'every element times a number; float dtypes kept, integers give float32 (as torch)';
COMMENT ON FUNCTION tensor_mul(integer, tensor) IS 'every element times an integer; dtype kept';
COMMENT ON FUNCTION tensor_mul(bigint, tensor) IS 'every element times an integer; dtype kept';
COMMENT ON FUNCTION tensor_mul(double precision, tensor) IS 'every element times a number; float dtypes kept, integers give float32 (as torch)';
COMMENT ON FUNCTION tensor_div(tensor, double precision) IS 'every element divided by a number; float dtypes kept, integers give float32 (as torch)';
CREATE OPERATOR + (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_add, COMMUTATOR = +);
CREATE OPERATOR - (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_sub);
CREATE OPERATOR * (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_mul, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = tensor, RIGHTARG = integer, PROCEDURE = tensor_mul, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = integer, RIGHTARG = tensor, PROCEDURE = tensor_mul, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = tensor, RIGHTARG = bigint, PROCEDURE = tensor_mul, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = bigint, RIGHTARG = tensor, PROCEDURE = tensor_mul, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = tensor, RIGHTARG = double precision, PROCEDURE = tensor_mul, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = double precision, RIGHTARG = tensor, PROCEDURE = tensor_mul, COMMUTATOR = *);
CREATE OPERATOR / (LEFTARG = tensor, RIGHTARG = double precision, PROCEDURE = tensor_div);
COMMENT ON OPERATOR + (tensor, tensor) IS 'element-wise sum, NumPy broadcasting';
COMMENT ON OPERATOR - (tensor, tensor) IS 'element-wise difference, NumPy broadcasting';
COMMENT ON OPERATOR * (tensor, tensor) IS 'element-wise product, NumPy broadcasting';
COMMENT ON OPERATOR * (tensor, integer) IS 'scale by an integer, dtype kept';
COMMENT ON OPERATOR * (integer, tensor) IS 'scale by an integer, dtype kept';
COMMENT ON OPERATOR * (tensor, bigint) IS 'scale by an integer, dtype kept';
COMMENT ON OPERATOR * (bigint, tensor) IS 'scale by an integer, dtype kept';
COMMENT ON OPERATOR * (tensor, double precision) IS 'scale by a number';
COMMENT ON OPERATOR * (double precision, tensor) IS 'scale by a number';
COMMENT ON OPERATOR / (tensor, double precision) IS 'divide by a number';

-- concatenation, slicing, normalization
CREATE FUNCTION tensor_concat(a tensor, b tensor) RETURNS tensor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_concat(tensor, tensor) IS 'torch.cat((a, b)): join along the first dimension';
CREATE OPERATOR || (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_concat);
COMMENT ON OPERATOR || (tensor, tensor) IS 'concatenate along the first dimension (torch.cat)';
CREATE FUNCTION subvector(t tensor, start integer, count integer) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_subvector' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subvector(tensor, integer, integer) IS 'elements start .. start+count-1 (from 1) of the last dimension, clamped as substring';
CREATE FUNCTION l2_normalize(t tensor) RETURNS tensor
	AS 'MODULE_PATHNAME', 'tensor_l2_normalize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION l2_normalize(tensor) IS 'each row of the last dimension divided by its L2 norm (zero rows stay zero); float32 kept, else float64';

-- sum and avg aggregates
CREATE FUNCTION tensor_sum_transfn(internal, tensor) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_avg_transfn(internal, tensor) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_accum_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_accum_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_accum_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_sum_finalfn(internal) RETURNS tensor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tensor_avg_finalfn(internal) RETURNS tensor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION tensor_sum_transfn(internal, tensor) IS 'transition function of sum(tensor)';
COMMENT ON FUNCTION tensor_avg_transfn(internal, tensor) IS 'transition function of avg(tensor)';
COMMENT ON FUNCTION tensor_accum_combine(internal, internal) IS 'combine function of sum(tensor) and avg(tensor)';
COMMENT ON FUNCTION tensor_accum_serialize(internal) IS 'serialize function of sum(tensor) and avg(tensor)';
COMMENT ON FUNCTION tensor_accum_deserialize(bytea, internal) IS 'deserialize function of sum(tensor) and avg(tensor)';
COMMENT ON FUNCTION tensor_sum_finalfn(internal) IS 'final function of sum(tensor)';
COMMENT ON FUNCTION tensor_avg_finalfn(internal) IS 'final function of avg(tensor)';
CREATE AGGREGATE sum(tensor) (
	SFUNC = tensor_sum_transfn,
	STYPE = internal,
	FINALFUNC = tensor_sum_finalfn,
	COMBINEFUNC = tensor_accum_combine,
	SERIALFUNC = tensor_accum_serialize,
	DESERIALFUNC = tensor_accum_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE avg(tensor) (
	SFUNC = tensor_avg_transfn,
	STYPE = internal,
	FINALFUNC = tensor_avg_finalfn,
	COMBINEFUNC = tensor_accum_combine,
	SERIALFUNC = tensor_accum_serialize,
	DESERIALFUNC = tensor_accum_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sum(tensor) IS 'element-wise sum of same-shaped tensors; float dtypes kept (summed in double), integers exact as int64';
COMMENT ON AGGREGATE avg(tensor) IS 'element-wise mean of same-shaped tensors, summed in double; float32 kept, else float64';

-- total order and hashing: DISTINCT, GROUP BY, UNION, ORDER BY, merge and hash joins, btree indexes
CREATE FUNCTION tensor_lt(a tensor, b tensor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_le(a tensor, b tensor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_gt(a tensor, b tensor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_ge(a tensor, b tensor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_cmp(a tensor, b tensor) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_hash(t tensor) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tensor_hash_extended(t tensor, seed bigint) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_lt(tensor, tensor) IS 'a sorts before b: dtype, then shape, then elements (NaN last, as float8)';
COMMENT ON FUNCTION tensor_le(tensor, tensor) IS 'a sorts before b or equals it';
COMMENT ON FUNCTION tensor_gt(tensor, tensor) IS 'a sorts after b';
COMMENT ON FUNCTION tensor_ge(tensor, tensor) IS 'a sorts after b or equals it';
COMMENT ON FUNCTION tensor_cmp(tensor, tensor) IS '-1, 0 or 1: the btree order of tensors';
COMMENT ON FUNCTION tensor_hash(tensor) IS 'hash consistent with = (-0 = 0, NaN = NaN)';
COMMENT ON FUNCTION tensor_hash_extended(tensor, bigint) IS 'seeded 64-bit hash consistent with =';
CREATE OPERATOR < (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = tensor, RIGHTARG = tensor, PROCEDURE = tensor_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
COMMENT ON OPERATOR < (tensor, tensor) IS 'sorts before (dtype, shape, elements)';
COMMENT ON OPERATOR <= (tensor, tensor) IS 'sorts before or equal';
COMMENT ON OPERATOR > (tensor, tensor) IS 'sorts after (dtype, shape, elements)';
COMMENT ON OPERATOR >= (tensor, tensor) IS 'sorts after or equal';
CREATE OPERATOR CLASS tensor_ops
	DEFAULT FOR TYPE tensor USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 tensor_cmp(tensor, tensor);
CREATE OPERATOR CLASS tensor_ops
	DEFAULT FOR TYPE tensor USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 tensor_hash(tensor),
	FUNCTION 2 tensor_hash_extended(tensor, bigint);

-- subscripts: t[i] indexes (from 1) and drops a dimension, t[lo:hi] slices
CREATE FUNCTION tensor_subscript_handler(internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor_subscript_handler(internal) IS 'subscripting of tensor: t[i] and t[lo:hi], one bracket per leading dimension';
ALTER TYPE tensor SET (SUBSCRIPT = tensor_subscript_handler);

-- casts from numeric[] (ARRAY[1.5, 2], psycopg2's lists): dtype as a literal's
CREATE FUNCTION tensor(numeric[], integer, boolean) RETURNS tensor
	AS 'MODULE_PATHNAME', 'numeric_array_to_tensor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tensor(numeric[], integer, boolean) IS 'numeric[] to a tensor of the same shape: int64 when no element has a fraction part, else float32';
CREATE CAST (numeric[] AS tensor) WITH FUNCTION tensor(numeric[], integer, boolean) AS ASSIGNMENT;

-- issue 15: flat index (0.2.0)

CREATE FUNCTION flathandler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION flathandler(internal) IS 'flat index access method handler';
CREATE ACCESS METHOD flat TYPE INDEX HANDLER flathandler;
COMMENT ON ACCESS METHOD flat IS 'exact ranking index: vectors packed in heap order, read in full by ORDER BY emb <#> q LIMIT k';
CREATE OPERATOR CLASS tensor_ip_ops DEFAULT FOR TYPE tensor USING flat AS
	OPERATOR 1 <#> (tensor, tensor) FOR ORDER BY float_ops,
	FUNCTION 1 tensor_negative_dot(tensor, tensor);
CREATE OPERATOR CLASS tensor_cosine_ops FOR TYPE tensor USING flat AS
	OPERATOR 1 <=> (tensor, tensor) FOR ORDER BY float_ops,
	FUNCTION 1 tensor_cosine_distance(tensor, tensor);
COMMENT ON OPERATOR CLASS tensor_ip_ops USING flat IS 'flat index for ORDER BY emb <#> q';
COMMENT ON OPERATOR CLASS tensor_cosine_ops USING flat IS 'flat index for ORDER BY emb <=> q';
CREATE FUNCTION flat_search(index regclass, queries tensor, k integer)
	RETURNS TABLE (query integer, rank integer, ctid tid, distance double precision)
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION flat_search(regclass, tensor, integer) IS 'the k rows nearest each of Q queries (a (Q,D) or (D) tensor) by a flat index''s operator, in one pass: query and rank from 1, the row''s ctid and its distance';

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
LANGUAGE plpgsql STABLE STRICT PARALLEL RESTRICTED
-- built-ins resolve in pg_catalog whatever the caller's search_path
SET search_path = pg_catalog, pg_temp AS $$
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
	  AND o.oprresult = 'double precision'::regtype
	  -- dotext's own operator, never one a user created elsewhere
	  AND EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	              WHERE d.classid = 'pg_operator'::regclass AND d.objid = o.oid
	                AND d.deptype = 'e' AND e.extname = 'dotext');
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
