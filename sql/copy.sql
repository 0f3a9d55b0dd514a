-- COPY in text and binary form, with and without a type modifier
\set VERBOSITY default

CREATE TABLE cp (id int, t tensor, f64 tensor(float64));
INSERT INTO cp VALUES
  (1, '[1.5,-2.25]', '[0.1]'), (2, 'float64:[0.1,1e300]', '[1,2]'),
  (3, 'int32:[[1,2],[3,4]]', '[[0.5]]'), (4, '[9223372036854775807]', '[]'),
  (5, '42', '3'), (6, 'int64:[]', 'float64:[[],[]]'), (7, '[nan,-inf,-0.0]', '[nan]');

\copy cp TO 'results/cp.txt'
\copy cp TO 'results/cp.bin' WITH (FORMAT binary)
CREATE TABLE cp_txt (LIKE cp);
CREATE TABLE cp_bin (LIKE cp);
\copy cp_txt FROM 'results/cp.txt'
\copy cp_bin FROM 'results/cp.bin' WITH (FORMAT binary)
-- every value and dtype survives both, bit for bit
SELECT a.id,
       tensor_send(a.t) = tensor_send(b.t) AND tensor_send(a.f64) = tensor_send(b.f64) AS text_same,
       tensor_send(a.t) = tensor_send(c.t) AND tensor_send(a.f64) = tensor_send(c.f64) AS binary_same
FROM cp a JOIN cp_txt b USING (id) JOIN cp_bin c USING (id) ORDER BY a.id;

-- COPY hands the input function the column's modifier: digits go straight to float64
COPY cp (id, f64) FROM stdin;
10	[0.1, 0.2]
11	int32:[7]
\.
SELECT id, f64, dtype(f64) FROM cp WHERE id >= 10 ORDER BY id;
-- binary COPY into a modified column converts too
\copy (SELECT id, t FROM cp WHERE id <> 2 AND id < 7) TO 'results/cp2.bin' WITH (FORMAT binary)
CREATE TABLE cp_i (id int, t tensor(int64));
\copy cp_i FROM 'results/cp2.bin' WITH (FORMAT binary)
SELECT id, t, dtype(t) FROM cp_i ORDER BY id;
DROP TABLE cp, cp_txt, cp_bin, cp_i;
