"""psycopg2 adapter for dotext's `tensor` type: numpy arrays in (as tagged
text literals, so the dtype survives) and out (parsed from text).

    import psycopg2, dotext_psycopg2
    conn = psycopg2.connect(...)
    dotext_psycopg2.register(conn)
    cur.execute("INSERT INTO items (emb) VALUES (%s)", [np.float32([0.1, 0.2])])
    cur.execute("SELECT emb FROM items"); cur.fetchone()[0]   # -> numpy.ndarray

Copy this file and dotext_numpy.py into your project.
"""
import numpy as np
import psycopg2.extensions as ext

import dotext_numpy


class _TensorLiteral:
    def __init__(self, arr):
        self.text = dotext_numpy.to_text(arr)

    def getquoted(self):
        return ("'%s'::tensor" % self.text).encode()


def register(conn_or_cursor):
    """Adapt numpy.ndarray to tensor everywhere, and cast tensor results
    to numpy arrays on this connection."""
    cur = conn_or_cursor.cursor() if hasattr(conn_or_cursor, "cursor") else conn_or_cursor
    cur.execute("SELECT 'tensor'::regtype::oid")
    oid = cur.fetchone()[0]
    ext.register_adapter(np.ndarray, _TensorLiteral)
    tensor = ext.new_type((oid,), "TENSOR",
                          lambda value, cur: None if value is None else dotext_numpy.from_text(value))
    ext.register_type(tensor, conn_or_cursor)
    return oid
