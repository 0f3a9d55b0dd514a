-- dotext 0.1.0 -> 0.2.0.  Every object added in 0.2.0 is created here as
-- in dotext.sql; changed objects are replaced.
\echo Use "ALTER EXTENSION dotext UPDATE TO '0.2.0'" to load this file. \quit

-- issue 9: safety

-- issue 11: dtypes

-- issue 12: I/O

-- issue 13: per-row ranking

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

-- issue 14: pgvector parity

-- issue 15: flat index

-- issue 16: parallel and sharding
