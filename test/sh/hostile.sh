#!/usr/bin/env bash
# Hostile SQL as an ordinary role: every function, operator and aggregate
# against extreme shapes, and long cases under statement_timeout
# (test/hostile/hostile.py).  Expects the environment of test/pgcluster.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
# Debian's python3, which has python3-psycopg (a python3 earlier in PATH may not)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
exec "$py" test/hostile/hostile.py
