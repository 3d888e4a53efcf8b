#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster on a loopback port, for the PostGIS tests and benchmarks.
# Idempotent: installs the Debian packages when missing, creates the cluster once, starts it when stopped,
# creates the test database with PostGIS. Prints the URL to export as BUURTKAART_TEST_PG_URL.
#
#   export BUURTKAART_TEST_PG_URL="$(.ci/postgres.sh)"
#
# Settings (environment): PG_PORT (55432), PG_DIR (/tmp/buurtkaart-pg), PG_DB (buurtkaart_test).
set -euo pipefail

PG_PORT="${PG_PORT:-55432}"
PG_DIR="${PG_DIR:-/tmp/buurtkaart-pg}"
PG_DB="${PG_DB:-buurtkaart_test}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
export DEBIAN_FRONTEND=noninteractive

log() { echo "$@" >&2; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

if [ ! -x "$PG_BIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  log "== installing PostgreSQL 15 and PostGIS 3 (Debian)"
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq postgresql-15 postgresql-client-15 postgresql-15-postgis-3 >&2
fi

# PostgreSQL refuses to run as root: run the cluster as the 'postgres' system user when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ ! -f "$PG_DIR/PG_VERSION" ]; then
  log "== initdb in $PG_DIR"
  mkdir -p "$PG_DIR"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$PG_DIR"
  chmod 700 "$PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $PG_PORT"
    echo "unix_socket_directories = '$PG_DIR'"
    echo "max_connections = 100"
    echo "fsync = on"
  } >> "$PG_DIR/postgresql.conf"
fi

if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
  log "== starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w start >&2
fi

PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
if [ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $PG_DB" >&2
fi
"${PSQL[@]}" -d "$PG_DB" -c "CREATE EXTENSION IF NOT EXISTS postgis" >&2

echo "postgresql://postgres@127.0.0.1:$PG_PORT/$PG_DB"
