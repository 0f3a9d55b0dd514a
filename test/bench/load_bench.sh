#!/usr/bin/env bash
# Load benchmark: text and binary COPY, multi-row INSERT batches, psycopg 3
# executemany and text output of 10,000 embeddings (128 and 768 dims), dotext against pgvector
# (when the server has the `vector` extension; "skipped" otherwise), and
# the storage choice (MAIN, PLAIN, EXTERNAL, and MAIN with the table option
# toast_tuple_target = 8160) for load and scan, in one run on one throwaway
# cluster.  Each figure is the median of --runs runs (default 5) of the
# backend's CPU time for the statement (/proc/PID/schedstat), which other
# load on a shared machine disturbs less than wall time; the wall-time
# medians are printed as comments.  dotext and pgvector runs alternate
# (which goes first alternates too), so both see the same outside load;
# the load average is printed before and after.
#
#   bash test/bench/load_bench.sh [--runs N] [--rows N]
#
# Data: float32 text as dotext prints it (shortest digits, up to 9), and
# float64 text with 17 significant digits (as Python's repr of a double
# prints), both with the same values (seeded), and binary COPY files in
# each extension's format (test/bench/gen_data.c).  Needs dotext installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=5 rows=10000
while [ $# -gt 0 ]; do
	case "$1" in
		--runs) runs=$2; shift 2 ;;
		--rows) rows=$2; shift 2 ;;
		*) echo "unknown argument $1" >&2; exit 2 ;;
	esac
done
make -s -C test/bench build/gen_data
. test/pgcluster.sh
pg_start
cat >>"$PGDATA/postgresql.conf" <<CONF
shared_buffers = 2GB
max_parallel_workers_per_gather = 0
jit = off
CONF
as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w restart >/dev/null
chmod 755 "$PG_TMP"
${PYTHON:-/usr/bin/python3} - "$PG_TMP" "$runs" "$rows" test/bench/build/gen_data <<'PY'
import os, statistics, subprocess, sys, time
import numpy as np
import psycopg

tmp, runs, rows, gen = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
conn = psycopg.connect(autocommit=True)
X = lambda q: conn.execute(q)
X("CREATE EXTENSION dotext")
has_vector = conn.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'").fetchone()[0] == 1
if has_vector:
    X("CREATE EXTENSION vector")
    vver = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()[0]

pid = conn.info.backend_pid
load_before = os.getloadavg()


def cpu_ms():
    return int(open(f"/proc/{pid}/schedstat").read().split()[0]) / 1e6


walls = {}


def timed_pair(dsetup, dq, vsetup, vq):
    """Median CPU ms of dq and of vq (None without vq), run alternately."""
    res = {dq: ([], [])}
    if vq:
        res[vq] = ([], [])
    for r in range(runs):
        order = [(dsetup, dq), (vsetup, vq)] if vq else [(dsetup, dq)]
        if r % 2:
            order.reverse()
        for setup, q in order:
            for s in setup:
                X(s)
            t0, c0 = time.perf_counter(), cpu_ms()
            q() if callable(q) else X(q)
            res[q][0].append(cpu_ms() - c0)
            res[q][1].append((time.perf_counter() - t0) * 1000)
    for q, (ms, wall) in res.items():
        walls[q] = statistics.median(wall)
    return statistics.median(res[dq][0]), (statistics.median(res[vq][0]) if vq else None)

def tables(dim):
    X(f"DROP TABLE IF EXISTS d32, d64, dany, v, s_main, s_plain, s_ext, s_target, v_plain")
    X(f"CREATE TABLE d32 (id bigint, emb tensor(float32))")
    X(f"CREATE TABLE d64 (id bigint, emb tensor(float64))")
    X(f"CREATE TABLE dany (id bigint, emb tensor)")
    for st in ("main", "plain", "external"):
        t = {"main": "s_main", "plain": "s_plain", "external": "s_ext"}[st]
        X(f"CREATE TABLE {t} (id bigint, emb tensor)")
        X(f"ALTER TABLE {t} ALTER COLUMN emb SET STORAGE {st}")
    X(f"CREATE TABLE s_target (id bigint, emb tensor) WITH (toast_tuple_target = 8160)")
    if has_vector:
        X(f"CREATE TABLE v (id bigint, emb vector({dim}))")
        X(f"CREATE TABLE v_plain (id bigint, emb vector({dim}))")
        X(f"ALTER TABLE v_plain ALTER COLUMN emb SET STORAGE PLAIN")

out = []
for dim in (128, 768):
    rng = np.random.default_rng(dim)
    a64 = rng.standard_normal((rows, dim)) * 0.05
    a32 = a64.astype(np.float32)
    f32, f64 = f"{tmp}/f32_{dim}.txt", f"{tmp}/f64_{dim}.txt"
    s32, s64 = a32.astype(str), np.char.mod("%.17g", a64)   # numpy prints float32 shortest
    with open(f32, "w") as f:
        for i, r in enumerate(s32):
            f.write(f"{i}\t[" + ",".join(r) + "]\n")
    with open(f64, "w") as f:
        for i, r in enumerate(s64):
            f.write(f"{i}\t[" + ",".join(r) + "]\n")
    btensor, bvector = f"{tmp}/t_{dim}.bin", f"{tmp}/v_{dim}.bin"
    subprocess.run(f"{gen} {rows} {dim} 1 tensor > {btensor}", shell=True, check=True)
    subprocess.run(f"{gen} {rows} {dim} 1 vector > {bvector}", shell=True, check=True)
    tables(dim)
    mb32, mb64 = os.path.getsize(f32) / 1e6, os.path.getsize(f64) / 1e6

    def row(name, dq, vq, dsetup, vsetup):
        d, v = timed_pair(dsetup, dq, vsetup, vq if has_vector else None)
        out.append((dim, name, d, v))
        print(f"# {dim} {name}: dotext {d:.1f} ms CPU ({walls[dq]:.0f} wall), pgvector "
              f"{'-' if v is None else '%.1f ms CPU (%.0f wall)' % (v, walls[vq])}", file=sys.stderr)

    T = lambda t: [f"TRUNCATE {t}"]
    row(f"COPY text, float32 shortest digits ({mb32:.0f} MB) -> tensor(float32) / vector",
        f"COPY d32 FROM '{f32}'", f"COPY v FROM '{f32}'", T("d32"), T("v"))
    row(f"COPY text, float32 shortest digits -> tensor (no modifier)",
        f"COPY dany FROM '{f32}'", None, T("dany"), None)
    row(f"COPY text, float32 shortest digits, STORAGE PLAIN (tensor / vector)",
        f"COPY s_plain FROM '{f32}'", f"COPY v_plain FROM '{f32}'", T("s_plain"), T("v_plain"))
    row(f"COPY text, float32 shortest digits, dotext MAIN, toast_tuple_target = 8160",
        f"COPY s_target FROM '{f32}'", None, T("s_target"), None)
    row(f"COPY text, 17 digits ({mb64:.0f} MB) -> tensor(float64) / vector",
        f"COPY d64 FROM '{f64}'", f"COPY v FROM '{f64}'", T("d64"), T("v"))
    row(f"COPY text, 17 digits -> tensor(float32) / vector",
        f"COPY d32 FROM '{f64}'", f"COPY v FROM '{f64}'", T("d32"), T("v"))
    row("COPY binary, default storage (dotext MAIN, pgvector EXTERNAL)",
        f"COPY s_main FROM '{btensor}' (FORMAT binary)", f"COPY v FROM '{bvector}' (FORMAT binary)", T("s_main"), T("v"))
    row("COPY binary, STORAGE PLAIN",
        f"COPY s_plain FROM '{btensor}' (FORMAT binary)", f"COPY v_plain FROM '{bvector}' (FORMAT binary)", T("s_plain"), T("v_plain"))
    row("COPY binary, dotext STORAGE EXTERNAL",
        f"COPY s_ext FROM '{btensor}' (FORMAT binary)", None, T("s_ext"), None)
    row("COPY binary, dotext MAIN, table WITH (toast_tuple_target = 8160)",
        f"COPY s_target FROM '{btensor}' (FORMAT binary)", None, T("s_target"), None)
    # multi-row INSERT statements of 100 literals each, the SQL scanner included
    lines = open(f32).read().splitlines()
    batches = []
    for b in range(0, len(lines), 100):
        vals = ",".join("(%s,'%s')" % tuple(l.split("\t")) for l in lines[b:b + 100])
        batches.append(vals)
    def insert_all(t):
        for vals in batches:
            X(f"INSERT INTO {t} VALUES {vals}")
    ins_d, ins_v = (lambda: insert_all("d32")), (lambda: insert_all("v"))
    row("INSERT, 100 rows a statement, float32 shortest digits", ins_d, ins_v, T("d32"), T("v"))
    # psycopg 3 executemany (pipelined), one row a statement, the literal as a text parameter
    params = [(int(i), l) for i, l in (x.split("\t") for x in lines)]
    def many(t):
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {t} VALUES (%s, %s)", params)
    many_d, many_v = (lambda: many("d32")), (lambda: many("v"))
    row("psycopg 3 executemany, text parameters, float32 shortest digits", many_d, many_v, T("d32"), T("v"))
    # text output and scans over the loaded tables
    X("TRUNCATE d32, v"); X(f"COPY d32 FROM '{f32}'")
    if has_vector:
        X(f"COPY v FROM '{f32}'")
    row("COPY TO text (output)", f"COPY d32 TO '/dev/null'", f"COPY v TO '/dev/null'", [], [])
    for t in ("s_main", "s_plain", "s_ext", "s_target"):
        X(f"TRUNCATE {t}"); X(f"COPY {t} FROM '{btensor}' (FORMAT binary)")
    if has_vector:
        X("TRUNCATE v, v_plain"); X(f"COPY v FROM '{bvector}' (FORMAT binary)"); X(f"COPY v_plain FROM '{bvector}' (FORMAT binary)")
    X("VACUUM ANALYZE")
    q = conn.execute("SELECT emb::text FROM s_main LIMIT 1").fetchone()[0]
    row("scan, ORDER BY <#> LIMIT 10, default storage",
        f"SELECT id FROM s_main ORDER BY emb <#> '{q}' LIMIT 10", f"SELECT id FROM v ORDER BY emb <#> '{q}' LIMIT 10", [], [])
    row("scan, ORDER BY <#> LIMIT 10, STORAGE PLAIN",
        f"SELECT id FROM s_plain ORDER BY emb <#> '{q}' LIMIT 10", f"SELECT id FROM v_plain ORDER BY emb <#> '{q}' LIMIT 10", [], [])
    row("scan, ORDER BY <#> LIMIT 10, dotext STORAGE EXTERNAL",
        f"SELECT id FROM s_ext ORDER BY emb <#> '{q}' LIMIT 10", None, [], None)
    row("scan, ORDER BY <#> LIMIT 10, dotext MAIN, toast_tuple_target = 8160",
        f"SELECT id FROM s_target ORDER BY emb <#> '{q}' LIMIT 10", None, [], None)
    for f in (f32, f64, btensor, bvector):
        os.unlink(f)

cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
fam = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("cpu family")][0]
mod = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model\t")][0]
pgv = conn.execute("SHOW server_version").fetchone()[0]
print(f"dotext load benchmark: {rows} rows, backend CPU time, median of {runs} runs (ms)")
print(f"machine: {os.cpu_count()} cores, {cpu} (family {fam} model {mod}), PostgreSQL {pgv}, "
      f"pgvector {vver if has_vector else 'not installed'}, load average (1/5/15 min) "
      f"{'/'.join('%.2f' % x for x in load_before)} before, {'/'.join('%.2f' % x for x in os.getloadavg())} after")
print()
print("| dims | what | dotext | pgvector | pgvector / dotext |")
print("| ---: | --- | ---: | ---: | ---: |")
for dim, name, d, v in out:
    vs = f"{v:.1f}" if v is not None else ("skipped" if not has_vector else "")
    ratio = f"{v / d:.2f}x" if v is not None and d > 0 else ""
    print(f"| {dim} | {name} | {d:.1f} | {vs} | {ratio} |")
PY
