\set ECHO none
\i test/regress/err.psql
\set ECHO all
-- dotext.device: auto falls back to the CPU, gpu without a GPU is 55000
LOAD 'dotext';                      -- the GUCs exist once the library is loaded
SHOW dotext.device;
SHOW dotext.gpu_min_elements;
SELECT dotext_gpu_info() LIKE 'dotext.device = auto; %' AS info_says_auto;
SET dotext.gpu_min_elements = 1;
SELECT dot('[1,2,3]', '[11,21,19]') AS auto_falls_back;
SET dotext.device = 'cpu';
SELECT rowdot('[[1,2],[3,4]]', '[1,1]') AS cpu;
SET dotext.device = 'gpu';          -- the SET itself succeeds
SELECT dotext_gpu_info() LIKE 'dotext.device = gpu; %' AS info_says_gpu;
SELECT err($$SELECT dot('[1.0,2,3]', '[11.0,21,19]')$$) ~ '^55000: no usable GPU' AS dot_raises_55000;
SELECT err($$SELECT rowdot('float64:[[1,2],[3,4]]', 'float64:[1,1]')$$) ~ '^55000: no usable GPU' AS rowdot_raises_55000;
SELECT err($$SELECT rowcosine('[[1.0,2]]', '[1.0,1]')$$) ~ '^55000: no usable GPU' AS rowcosine_raises_55000;
SELECT err($$SELECT axis_dot('[[1.0,2]]', '[[1.0,2]]', 1)$$) ~ '^55000: no usable GPU' AS axis_dot_raises_55000;
SELECT regexp_replace(err($$SELECT dot('[1.0]', '[1.0]')$$), 'DETAIL: [^\n]*', 'DETAIL: (reason)') AS message;
-- integer dtypes always run on the CPU (exact checked loops), so they need no GPU
SELECT dot('[1,2,3]', '[11,21,19]') AS int_on_cpu;
RESET dotext.device;
RESET dotext.gpu_min_elements;
SELECT err($$SET dotext.device = 'tpu'$$);
SELECT err($$SET dotext.gpu_min_elements = 0$$);
SELECT err($$SET dotext.nosuch = 1$$);
-- dotext.blas_threads: OpenBLAS threads for one matrix product, same answers
SHOW dotext.blas_threads;
CREATE TEMP TABLE bt AS SELECT i::bigint AS id,
  ARRAY(SELECT sin(i * 0.37 + j * 1.3)::real FROM generate_series(1, 64) j)::tensor AS emb
FROM generate_series(1, 5000) i;
CREATE TEMP TABLE bq AS SELECT stack(ARRAY(SELECT cos(j * g)::real FROM generate_series(1, 64) j)::tensor ORDER BY g) AS q
FROM generate_series(1, 16) g;
CREATE TEMP TABLE r1 AS SELECT (SELECT topk(emb, id, q, 5) FROM bt) AS ids,
  tensor_to_float8(axis_dot(reshape(q, '{1,16,64}'), (SELECT reshape(stack(emb ORDER BY id), '{1,100,64}') FROM bt WHERE id <= 100), 2)::tensor(float64)) AS gram
FROM bq;   -- 16 queries: sgemm filters topk; 16x64x100: axis_dot runs sgemm
SET dotext.blas_threads = 2;
SELECT (SELECT topk(emb, id, q, 5) FROM bt) = r1.ids AS topk_same,
       (SELECT max(abs(x - y) / abs(y)) < 1e-6 FROM unnest(tensor_to_float8(axis_dot(reshape(q, '{1,16,64}'),
          (SELECT reshape(stack(emb ORDER BY id), '{1,100,64}') FROM bt WHERE id <= 100), 2)::tensor(float64)), r1.gram) u(x, y)) AS gram_same,
       cardinality(r1.gram) AS gram_elements
FROM bq, r1;
RESET dotext.blas_threads;
-- the maximum is the machine's core count, so an ordinary role cannot start more threads
SELECT regexp_replace(err($$SET dotext.blas_threads = 0$$), '\(1 \.\. \d+\)', '(1 .. cores)');
SELECT regexp_replace(err($$SET dotext.blas_threads = 65$$), '\(1 \.\. \d+\)', '(1 .. cores)');
SELECT min_val, max_val::int BETWEEN 1 AND 64 AS max_is_cores, context FROM pg_settings WHERE name = 'dotext.blas_threads';
