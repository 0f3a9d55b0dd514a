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
