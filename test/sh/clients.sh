#!/usr/bin/env bash
# The client adapters of test/clients/ (psycopg 3 and psycopg2 with numpy)
# against the running server: TAP lines from test/clients/test_clients.py.
# Expects the environment of test/pgcluster.sh; Debian's python3-psycopg,
# python3-psycopg2 and python3-numpy (test/deps.sh).
set -uo pipefail
cd "$(dirname "$0")/../.."
py=${PYTHON:-/usr/bin/python3}
if ! "$py" -c "import numpy, psycopg, psycopg2" 2>/dev/null; then
	echo "not ok 1 - $py lacks numpy, psycopg or psycopg2 (test/deps.sh installs them)"
	exit 0
fi
psql -qX -c "DROP DATABASE IF EXISTS clients" -c "CREATE DATABASE clients" 2>/dev/null
PGDATABASE=clients "$py" test/clients/test_clients.py
psql -qX -c "DROP DATABASE clients"
