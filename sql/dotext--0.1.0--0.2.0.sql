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
