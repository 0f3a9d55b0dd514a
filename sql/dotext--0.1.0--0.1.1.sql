-- dotext 0.1.0 -> 0.1.1: no catalog change.  Shipped so that the
-- ALTER EXTENSION dotext UPDATE path is tested from the first release on.
\echo Use "ALTER EXTENSION dotext UPDATE TO '0.1.1'" to load this file. \quit
