\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- shape functions

SELECT shape(t), ndim(t), numel(t), dtype(t)
FROM (VALUES ('[[1,2,3],[4,5,6]]'::tensor), ('5'), ('[]'), ('[[],[]]'),
             ('float64:[[[1]],[[2]]]')) v(t);

SELECT reshape('[1,2,3,4,5,6]'::tensor, '{2,3}') AS r23,
       reshape('[1,2,3,4,5,6]'::tensor, '{3,-1}') AS r3m1,
       reshape('[1,2,3,4,5,6]'::tensor, '{-1}') AS flat,
       reshape('[5]'::tensor, '{}') AS rank0,
       reshape('[[],[]]'::tensor, '{0,5}') AS zero;
SELECT flatten('[[1,2],[3,4]]'::tensor) AS f, flatten('3.5'::tensor) AS f0,
       dtype(flatten('int32:[[1]]'::tensor));
SELECT permute('[[1,2,3],[4,5,6]]'::tensor, '{1,0}') AS transposed,
       shape(permute(reshape('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24]'::tensor, '{2,3,4}'), '{2,0,1}')) AS p201,
       permute(reshape('[1,2,3,4,5,6,7,8,9,10,11,12]'::tensor, '{2,3,2}'), '{-1,0,1}') AS neg;
SELECT permute('7'::tensor, '{}') AS rank0;

-- equality: dtype, shape and values; floats as PostgreSQL compares them
SELECT '[1,2]'::tensor = '[1,2]'::tensor AS eq,
       '[1,2]'::tensor = '[[1,2]]'::tensor AS shape_differs,
       '[1,2]'::tensor <> '[1,3]'::tensor AS ne,
       '[0.0]'::tensor = '[-0.0]'::tensor AS zeros,
       '[nan]'::tensor = '[nan]'::tensor AS nans,
       '[1,2]'::tensor = 'int32:[1,2]'::tensor AS dtype_differs;

-- errors
SELECT err($$SELECT reshape('[1,2,3]'::tensor, '{2,2}')$$);
SELECT err($$SELECT reshape('[1,2,3,4]'::tensor, '{-1,-1}')$$);
SELECT err($$SELECT reshape('[1,2,3,4]'::tensor, '{-2,-2}')$$);
SELECT err($$SELECT reshape('[1,2]'::tensor, '{1,NULL}')$$);
SELECT err($$SELECT reshape('[1]'::tensor, '{1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1}')$$);
SELECT err($$SELECT reshape('[1,2]'::tensor, '{{1,2}}')$$);
SELECT err($$SELECT permute('[[1,2]]'::tensor, '{0,0}')$$);
SELECT err($$SELECT permute('[[1,2]]'::tensor, '{0}')$$);
SELECT err($$SELECT permute('[[1,2]]'::tensor, '{0,2}')$$);
