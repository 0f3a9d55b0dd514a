#!/usr/bin/env bash
# The node-postgres adapter of test/clients/node/ against the running
# server: TAP lines from test_node.js.  Expects the environment of
# test/pgcluster.sh, node and npm (the machine's, or Debian's nodejs and
# npm from test/deps.sh); installs the pinned `pg` package from the npm
# registry into test/clients/node/node_modules (ignored by git).
set -uo pipefail
cd "$(dirname "$0")/../clients/node"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "not ok 1 - node or npm missing (test/deps.sh installs Debian's nodejs and npm)"
	exit 0
fi
if [ ! -d node_modules/pg ] && ! timeout 300 npm ci --no-audit --no-fund >npm.log 2>&1; then
	echo "not ok 1 - npm ci of test/clients/node failed:"; sed 's/^/# /' npm.log | tail -20
	exit 0
fi
psql -qX -c "DROP DATABASE IF EXISTS node_client" -c "CREATE DATABASE node_client" 2>/dev/null
psql -qX -d node_client -c "CREATE EXTENSION dotext"
PGDATABASE=node_client timeout 120 node test_node.js || echo "not ok - test_node.js exited nonzero"
psql -qX -c "DROP DATABASE node_client"
