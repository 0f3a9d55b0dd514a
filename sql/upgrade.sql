-- ALTER EXTENSION dotext UPDATE keeps data and functions working
DROP EXTENSION dotext;
CREATE EXTENSION dotext VERSION '0.1.0';
SELECT extversion FROM pg_extension WHERE extname = 'dotext';
CREATE TABLE up (id int, t tensor(float64), e tensor);
INSERT INTO up VALUES (1, '[0.1,0.2]', '[1.5,2]'), (2, 'int32:[3]', 'int32:[[1,2]]');
ALTER EXTENSION dotext UPDATE TO '0.2.0';
SELECT extversion FROM pg_extension WHERE extname = 'dotext';
SELECT id, t, e, dtype(t), norm(e) FROM up ORDER BY id;
SELECT dot('[1,2,3]', '[11,21,19]') AS still_works;
DROP TABLE up;
