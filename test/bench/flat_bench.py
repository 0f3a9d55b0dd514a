#!/usr/bin/env python3
"""FAISS IndexFlatIP on the very floats flat_bench.sh loads into PostgreSQL.

    flat_bench.py ROWS DIM NQ RUNS THREADS GEN_DATA

Reads rows (seed 1) and queries (seed 2) from test/bench/gen_data's binary
COPY stream, times index.search(queries, 10) RUNS times after one warm-up,
and prints "faiss_ms <wall median> <CPU median>" and one "ids q: id,id,..." line per query
(ids from 1, as the table's).  Prints "faiss skipped" without python3-faiss.
"""
import statistics
import subprocess
import sys
import time

import numpy as np

try:
    import faiss
except ImportError:
    print("faiss skipped")
    sys.exit(0)


def load(gen, rows, dim, seed):
    # gen_data's "query" format: one (rows, dim) float32 tensor; the floats
    # start after the COPY header (19 bytes), the field count and length
    # (6) and the tensor header with its two dims (12)
    raw = subprocess.run([gen, str(rows), str(dim), str(seed), "query"],
                         check=True, capture_output=True).stdout
    data = np.frombuffer(raw, dtype=">f4", count=rows * dim, offset=37)
    return np.ascontiguousarray(data.astype(np.float32).reshape(rows, dim))


def main():
    rows, dim, nq, runs, threads = (int(x) for x in sys.argv[1:6])
    gen = sys.argv[6]
    faiss.omp_set_num_threads(threads)
    xb = load(gen, rows, dim, 1)
    xq = load(gen, nq, dim, 2)
    index = faiss.IndexFlatIP(dim)
    index.add(xb)
    index.search(xq, 10)
    ms, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        _, ids = index.search(xq, 10)
        ms.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print("faiss_ms %.1f %.1f" % (statistics.median(ms), statistics.median(cpu)))
    for q in range(nq):
        print("ids %d: %s" % (q + 1, ",".join(str(i + 1) for i in ids[q])))


main()
