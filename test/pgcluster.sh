# Sourced by the test and demo scripts: a throwaway PostgreSQL cluster in a
# temporary folder, with its own port and socket, stopped on exit.
#   pg_start   sets PGHOST, PGPORT, PGUSER, PGDATABASE and PGDATA
PG_BIN=${PG_BIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
[ -x "$PG_BIN/initdb" ] || PG_BIN=/usr/lib/postgresql/15/bin

# initdb refuses to run as root: run the server as the postgres user then
as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_stop() {
	if [ -n "${PGDATA:-}" ] && [ -f "$PGDATA/postmaster.pid" ]; then
		as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
	fi
	[ -n "${PG_TMP:-}" ] && rm -rf "$PG_TMP"
}

pg_start() {
	PG_TMP=$(mktemp -d /tmp/dotext-pg.XXXXXX)
	chmod 755 "$PG_TMP"
	[ "$(id -u)" = 0 ] && chown postgres "$PG_TMP"
	export PGDATA="$PG_TMP/data" PGHOST="$PG_TMP" PGUSER=${PG_SUPERUSER:-$(id -un)}
	[ "$(id -u)" = 0 ] && PGUSER=postgres
	export PGPORT=${PGPORT_WANTED:-$((50000 + RANDOM % 10000))} PGDATABASE=postgres
	as_owner "$PG_BIN/initdb" -D "$PGDATA" -U "$PGUSER" -A trust --no-sync >"$PG_TMP/initdb.log" 2>&1 \
		|| { cat "$PG_TMP/initdb.log"; return 1; }
	cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PG_TMP'
port = $PGPORT
fsync = off
shared_buffers = ${PG_SHARED_BUFFERS:-512MB}
max_wal_size = 4GB
jit = off
CONF
	as_owner "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_TMP/server.log" -w start >/dev/null \
		|| { cat "$PG_TMP/server.log"; return 1; }
	trap pg_stop EXIT
}
