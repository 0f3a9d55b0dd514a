"""One statement through psql under a statement_timeout; prints "ms sqlstate":
psql's \\timing of it, and 57014 when it was cancelled ("none" otherwise).
Shared by the shell tests that measure cancel latency.

    python3 test/timed_cancel.py DATABASE TIMEOUT_MS SQL [SETUP_SQL]
"""
import re
import subprocess
import sys

db, timeout_ms, sql = sys.argv[1:4]
setup = sys.argv[4] + "\n" if len(sys.argv) > 4 else ""
script = (f"SET statement_timeout = '{timeout_ms}ms';\n{setup}"
          "\\set VERBOSITY verbose\n\\timing on\n" + sql)
p = subprocess.run(["psql", "-qX", "-d", db], input=script, capture_output=True, text=True)
t = re.findall(r"Time: ([0-9.]+) ms", p.stdout)
state = "57014" if "57014" in p.stderr else "none"
print(f"{float(t[-1]):.0f} {state}" if t else f"99999 {state}")
