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
