#!/usr/bin/env bash
# Installs what dotext builds and tests with, from Debian 12's archive.
# Run as root (or through sudo).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
	postgresql-15 postgresql-server-dev-15 libopenblas-dev \
	gcc make pkg-config clang libclang-rt-14-dev ca-certificates \
	python3 python3-numpy python3-psycopg python3-psycopg2
# node-postgres client test (test/sh/node_client.sh): the machine's node
# and npm when it has them, else Debian's
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	apt-get install -y -q --no-install-recommends nodejs npm
fi
