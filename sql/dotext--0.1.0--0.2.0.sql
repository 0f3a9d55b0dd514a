-- dotext 0.1.0 -> 0.2.0.  Every object added in 0.2.0 is created here as
-- in dotext.sql; changed objects are replaced.
\echo Use "ALTER EXTENSION dotext UPDATE TO '0.2.0'" to load this file. \quit

-- issue 9: safety

-- issue 11: dtypes

-- issue 12: I/O

-- issue 13: per-row ranking

-- issue 14: pgvector parity

-- issue 15: flat index

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

-- issue 16: parallel and sharding
