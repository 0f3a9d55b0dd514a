\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- Extreme shapes from user input: zero dims beside dims near 2^31, rank 16
-- inputs, results above 1 GB.  Each gives a value or an error naming the
-- shapes, with its SQLSTATE; nothing is allocated for what cannot exist.
-- maxsim of empty huge inputs: width 0 answers 0, no query x document matrix
SELECT maxsim(reshape('float64:[]', '{1518500250,0}'), reshape('float64:[]', '{1518500250,0}'));
SELECT maxsim(reshape('int32:[]', '{12000,0}'), reshape('int32:[]', '{12000,0}'));
-- int32 dot whose partial sums pass int64: the 128-bit sum decides on the final value
SELECT dot('int32:[2147483647,2147483647,2147483647,-2147483648,-2147483648,-2147483648]',
           'int32:[2147483647,2147483647,2147483647,2147483647,2147483647,2147483647]');
-- an empty result does no work, however large the dims beside the zero
SELECT axis_dot(reshape('float32:[]', '{0,2147483647,2147483647,2147483647,5}'),
                reshape('float32:[]', '{0,5,2147483647,2147483647,2147483647}'), '{4,1}');
SELECT shape(permute(reshape('float32:[]', '{2147483647,2147483647,0}'), '{2,1,0}'));
SELECT shape(reshape(reshape('int64:[]', '{0}'), '{2147483647,2147483647,2147483647,0}'));
SELECT shape(reshape(reshape('int64:[]', '{0}'), '{-1,2147483647,2147483647,2147483647}'));
SELECT shape(rowdot(reshape('float32:[]', '{5,0}'), 'float32:[]'));
-- results that cannot exist: 54000 naming the shapes, checked before any write
SELECT err($$SELECT axis_dot(reshape('[1.0,2.0]', array_fill(1, ARRAY[15]) || 2),
                             reshape('[1.0,2.0]', array_fill(1, ARRAY[15]) || 2), 1)$$);
SELECT err($$SELECT rowdot(reshape('float32:[]', '{2147483647,2147483647,0}'), 'float32:[]')$$);
SELECT err($$SELECT reshape('[1,2,3,4,5,6]', '{-1,2147483647,2147483647,2147483647}')$$);
-- a normalized axis_dot is clamped to [-1, 1]
SELECT axis_dot('[[[1,2],[3,4]]]'::tensor(float32), '[[[1,2],[3,4]]]'::tensor(float32), 1, true);
