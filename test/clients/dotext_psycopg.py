"""psycopg 3 adapter for dotext's `tensor` type: numpy arrays in and out,
in binary (the default here) or text.

    import psycopg, dotext_psycopg
    conn = psycopg.connect(...)
    dotext_psycopg.register(conn)            # binary; binary=False for text
    conn.execute("INSERT INTO items (emb) VALUES (%s)", [np.float32([0.1, 0.2])])
    conn.execute("SELECT emb FROM items").fetchone()[0]   # -> numpy.ndarray
    with conn.cursor(binary=True) as cur: ...             # binary results
    with cur.copy("COPY items (id, emb) FROM STDIN (FORMAT binary)") as cp:
        cp.set_types(["bigint", "tensor"]); cp.write_row([1, arr])

Copy this file and dotext_numpy.py into your project.
"""
import numpy as np
from psycopg.adapt import Dumper, Loader
from psycopg.pq import Format
from psycopg.types import TypeInfo

import dotext_numpy


def register(context, binary=True):
    """Register the tensor dumpers (numpy.ndarray) and loaders on a
    connection or cursor; binary chooses what %s sends."""
    conn = context.connection if hasattr(context, "connection") else context
    info = TypeInfo.fetch(conn, "tensor")
    if info is None:
        raise LookupError("type tensor not found: run CREATE EXTENSION dotext")
    info.register(context)

    class TensorBinaryDumper(Dumper):
        format = Format.BINARY
        oid = info.oid

        def dump(self, obj):
            return dotext_numpy.to_binary(obj)

    class TensorTextDumper(Dumper):
        format = Format.TEXT
        oid = info.oid

        def dump(self, obj):
            return dotext_numpy.to_text(obj).encode()

    class TensorBinaryLoader(Loader):
        format = Format.BINARY

        def load(self, data):
            return dotext_numpy.from_binary(data)

    class TensorTextLoader(Loader):
        format = Format.TEXT

        def load(self, data):
            return dotext_numpy.from_text(data)

    adapters = context.adapters
    # the one registered last is what %s picks
    for d in ((TensorTextDumper, TensorBinaryDumper) if binary else (TensorBinaryDumper, TensorTextDumper)):
        adapters.register_dumper(np.ndarray, d)
    adapters.register_loader(info.oid, TensorTextLoader)
    adapters.register_loader(info.oid, TensorBinaryLoader)
    return info
