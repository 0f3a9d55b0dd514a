\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- axis_dot: tf.keras.layers.Dot
-- the Keras reference example: x = np.arange(10).reshape(1,5,2), y = np.arange(10,20).reshape(1,2,5)
SELECT axis_dot(reshape('[0,1,2,3,4,5,6,7,8,9]', '{1,5,2}'),
                reshape('[10,11,12,13,14,15,16,17,18,19]', '{1,2,5}'), '{1,2}') AS keras,
       shape(axis_dot(reshape('[0,1,2,3,4,5,6,7,8,9]', '{1,5,2}'),
                      reshape('[10,11,12,13,14,15,16,17,18,19]', '{1,2,5}'), '{1,2}'));
-- all three overloads, and the axes spellings
SELECT axis_dot(reshape('[0,1,2,3,4,5,6,7,8,9]', '{1,5,2}'), reshape('[10,11,12,13,14,15,16,17,18,19]', '{1,2,5}'), ARRAY[1,2]) AS arr,
       axis_dot(reshape('[0,1,2,3,4,5,6,7,8,9]', '{1,5,2}'), reshape('[10,11,12,13,14,15,16,17,18,19]', '{1,2,5}'), '(1, 2)') AS paren,
       axis_dot(reshape('[0,1,2,3,4,5,6,7,8,9]', '{1,5,2}'), reshape('[10,11,12,13,14,15,16,17,18,19]', '{1,2,5}'), '{-2,-1}') AS negative;
-- two (B,N) inputs give (B,1)
SELECT axis_dot('[[1,2],[3,4],[5,6]]', '[[1,1],[2,2],[0,1]]', axis => 1) AS bn,
       shape(axis_dot('[[1,2],[3,4],[5,6]]', '[[1,1],[2,2],[0,1]]', axis => 1)),
       axis_dot('[[1,2],[3,4]]', '[[1,1],[2,2]]', 1) AS positional,
       axis_dot('[[1,2],[3,4]]', '[[1,1],[2,2]]', '1') AS text_one,
       axis_dot('[[1,2],[3,4]]', '[[1,1],[2,2]]', -1) AS negative;
-- (B,M,K) with (B,K,P) along (2,1) is a batched matrix product
SELECT axis_dot('[[[1,2],[3,4]]]', '[[[5,6],[7,8]]]', '{2,1}') AS bmm,
       axis_dot('float64:[[[1,2],[3,4]]]', 'float64:[[[5,6],[7,8]]]', ARRAY[2,1]) AS bmm_f64,
       axis_dot('int32:[[[1,2],[3,4]]]', 'int32:[[[5,6],[7,8]]]', ARRAY[2,1]) AS bmm_i32;
SELECT shape(axis_dot(reshape('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24]', '{2,3,4}'),
                      reshape('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24]', '{2,4,3}'), '{2,1}')) AS b33;
-- normalize: each sample L2-normalized along its axis; for (B,N) equals rowcosine shaped (B,1)
SET extra_float_digits = 0;
SELECT axis_dot('[[3.0,4],[1,0]]', '[[4.0,3],[0,0]]', 1, true) AS normalized,
       rowcosine('[[3.0,4],[1,0]]', '[[4.0,3],[0,0]]') AS rowcosine,
       axis_dot('[[3,4]]', '[[4,3]]', 1, "normalize" => true) AS ints_give_f64;
RESET extra_float_digits;
SELECT axis_dot('float32(0,3):[]', 'float32(0,3):[]', 1) AS empty_batch;

-- errors
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', 0)$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', 2)$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', -3)$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2,3]]', 1)$$);
SELECT err($$SELECT axis_dot('[[1,2],[3,4]]', '[[1,2]]', 1)$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1.0,2]]', 1)$$);
SELECT err($$SELECT axis_dot('[1,2]', '[1,2]', 1)$$);
-- rank 0 has no axis at all: a wrong rank (22000)
SELECT err($$SELECT axis_dot('1', '[[1,2]]', 1)$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', '{1,2,3}')$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', 'x')$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', '{1,2')$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', ARRAY[1,NULL])$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', ARRAY[]::int[])$$);
-- an axes array has one axis per input, as Keras; one integer serves both
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', '{1}'::integer[])$$);
SELECT err($$SELECT axis_dot('[[1,2]]', '[[1,2]]', ARRAY[1,1,1])$$);
SELECT axis_dot('[[1,2]]', '[[1,2]]', 1) AS one_axis, axis_dot('[[1,2]]', '[[1,2]]', '{1}') AS text_one_axis;
SELECT err($$SELECT axis_dot('[[9223372036854775807,1]]', '[[1,1]]', 1)$$);
