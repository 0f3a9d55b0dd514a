"""The client adapters against a real server: psycopg 3 (binary and text)
and psycopg2 round-trip numpy arrays of every dtype and shape, COPY binary
through psycopg 3, and wrong input gets a message that says what was
expected.  Prints TAP lines; connection settings from the PG* environment.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dotext_numpy  # noqa: E402

n = 0


def ok(cond, what):
    global n
    n += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, what), flush=True)
    return cond


def same(a, b):
    return (isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


rng = np.random.default_rng(7)
SAMPLES = {
    "float32 (768)": rng.standard_normal(768).astype(np.float32),
    "float64 (3,4)": rng.standard_normal((3, 4)),
    "int32 (2,2,2)": np.arange(8, dtype=np.int32).reshape(2, 2, 2),
    "int64 extremes": np.array([np.iinfo(np.int64).min, 0, np.iinfo(np.int64).max]),
    "float32 specials": np.array([np.nan, np.inf, -np.inf, -0.0, 1e-45, 3.4028235e38], dtype=np.float32),
    "float64 0.1 and 17 digits": np.array([0.1, 0.12345678901234568, 1e300]),
    "rank 0": np.array(2.5, dtype=np.float32),
    "empty (0)": np.zeros(0, dtype=np.float32),
    "empty (2,0)": np.zeros((2, 0), dtype=np.float64),
    "empty (0,5) int64": np.zeros((0, 5), dtype=np.int64),
    "float16 (2,3) with extremes": np.array([[0.1, -65504, 6e-08], [np.inf, np.nan, -0.0]], dtype=np.float16),
}

# the conversions alone, no server
for name, a in SAMPLES.items():
    ok(same(a, dotext_numpy.from_binary(dotext_numpy.to_binary(a))) and
       same(a, dotext_numpy.from_text(dotext_numpy.to_text(a))), "numpy round trip, no server: " + name)

import psycopg  # noqa: E402
import dotext_psycopg  # noqa: E402

conn = psycopg.connect(autocommit=True)
conn.execute("CREATE EXTENSION IF NOT EXISTS dotext")
conn.execute("DROP TABLE IF EXISTS client_t")
conn.execute("CREATE TABLE client_t (id int, t tensor, f32 tensor(float32))")
for binary in (True, False):
    dotext_psycopg.register(conn, binary=binary)
    form = "binary" if binary else "text"
    for name, a in SAMPLES.items():
        conn.execute("TRUNCATE client_t")
        conn.execute("INSERT INTO client_t (id, t) VALUES (1, %s)", [a])
        for cur_binary in (False, True):
            with conn.cursor(binary=cur_binary) as cur:
                back = cur.execute("SELECT t FROM client_t").fetchone()[0]
                # the server's own view of the value: dtype and shape
                srv = cur.execute("SELECT dtype(t), shape(t) FROM client_t").fetchone()
            ok(same(a, back) and srv[0] == str(a.dtype) and list(srv[1]) == list(a.shape),
               "psycopg 3, %s parameter, %s result: %s" % (form, "binary" if cur_binary else "text", name))
# the server reads the same bits whichever way they came
dotext_psycopg.register(conn, binary=True)
a = SAMPLES["float32 (768)"]
conn.execute("TRUNCATE client_t")
conn.execute("INSERT INTO client_t (id, t) VALUES (1, %b), (2, %t)", [a, a])
ok(conn.execute("SELECT count(DISTINCT tensor_send(t)) FROM client_t").fetchone()[0] == 1,
   "psycopg 3: a float32 array sent as binary and as text is the same tensor")
# a float64 array into a tensor(float32) column converts there
conn.execute("INSERT INTO client_t (id, f32) VALUES (3, %s)", [np.array([0.1, 2.0])])
ok(same(np.float32([0.1, 2.0]), conn.execute("SELECT f32 FROM client_t WHERE id = 3").fetchone()[0]),
   "psycopg 3: float64 array into a tensor(float32) column")

# COPY binary with psycopg 3
rows = rng.standard_normal((1000, 64)).astype(np.float32)
conn.execute("TRUNCATE client_t")
with conn.cursor() as cur:
    with cur.copy("COPY client_t (id, t) FROM STDIN (FORMAT binary)") as cp:
        cp.set_types(["int4", "tensor"])
        for i, r in enumerate(rows):
            cp.write_row([i, r])
    back = cur.execute("SELECT t FROM client_t ORDER BY id").fetchall()
ok(len(back) == 1000 and all(same(rows[i], back[i][0]) for i in range(1000)),
   "psycopg 3: COPY binary of 1000 x 64 float32 rows reads back bit for bit")

# wrong input: messages that say what was expected
def raises(fn, words):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return words in str(e), str(e).splitlines()[0]
    return False, "no error"


good, msg = raises(lambda: conn.execute("SELECT %s::tensor", [np.array([[1.0, 2.0], [3.0]], dtype=object)]),
                   "rectangular")
ok(good, "a ragged array is refused by the adapter: " + msg)
good, msg = raises(lambda: conn.execute("SELECT %s::tensor", [np.float128([1, 2])]), "float32, float64, int32, int64 or float16")
ok(good, "float128 is refused with the dtypes to use: " + msg)
# bfloat16 (no numpy dtype) reads as the float32 it widens to, both wire forms

for cur_binary in (False, True):
    with conn.cursor(binary=cur_binary) as cur:
        back = cur.execute("SELECT 'bfloat16:[0.1,-3e38,1.0]'::tensor").fetchone()[0]
    ok(same(dotext_numpy.bfloat16_round([0.1, -3e38, 1.0]), back),
       "psycopg 3: a bfloat16 tensor reads as float32 (%s result)" % ("binary" if cur_binary else "text"))
good, msg = raises(lambda: conn.execute("SELECT %s::tensor", [np.zeros([1] * 17, dtype=np.float32)]),
                   "at most 16 dimensions")
ok(good, "rank 17 is refused: " + msg)
# what a client that sends raw little-endian floats as binary gets from the server
with conn.cursor() as cur:
    class RawDumper(psycopg.adapt.Dumper):
        format = psycopg.pq.Format.BINARY
        oid = psycopg.types.TypeInfo.fetch(conn, "tensor").oid

        def dump(self, obj):
            return obj.tobytes()  # little-endian floats, no header
    cur.adapters.register_dumper(np.ndarray, RawDumper)
    good, msg = raises(lambda: cur.execute("SELECT %b", [np.float32([0.1, 1.0])]), "not a dotext tensor")
ok(good, "raw float32 bytes sent as a binary tensor: " + msg)
good, msg = raises(lambda: conn.execute("SELECT %s::tensor", ["[[1,2],[3]]"]), "Sub-arrays at depth 2 have lengths 2 and 1")
ok(good, "a ragged text literal: the server names the lengths")

# psycopg2
import psycopg2  # noqa: E402
import dotext_psycopg2  # noqa: E402

c2 = psycopg2.connect("")
c2.autocommit = True
dotext_psycopg2.register(c2)
cur2 = c2.cursor()
for name, a in SAMPLES.items():
    cur2.execute("TRUNCATE client_t")
    cur2.execute("INSERT INTO client_t (id, t) VALUES (1, %s)", [a])
    cur2.execute("SELECT t, dtype(t) FROM client_t")
    back, dt = cur2.fetchone()
    ok(same(a, back) and dt == str(a.dtype), "psycopg2 round trip: " + name)
cur2.execute("INSERT INTO client_t (id, f32) VALUES (4, %s)", [np.array([0.1, 0.25])])
cur2.execute("SELECT f32 FROM client_t WHERE id = 4")
ok(same(np.float32([0.1, 0.25]), cur2.fetchone()[0]), "psycopg2: float64 array into a tensor(float32) column")
try:
    cur2.execute("SELECT %s", [np.float128([1])])
    ok(False, "psycopg2: float128 is refused")
except TypeError as e:
    ok("float32, float64, int32, int64 or float16" in str(e), "psycopg2: float128 is refused: " + str(e))
conn.execute("DROP TABLE client_t")
print("1..%d" % n)
