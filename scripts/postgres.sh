#!/usr/bin/env bash
# A real PostgreSQL server for the store tests: Debian's postgresql package (installed by
# setup.sh), one throwaway cluster on 127.0.0.1 with a free port, trust authentication on
# loopback only, data and logs under $TENANT_GITOPS_POSTGRES_DIR (default <repo>/.postgres,
# git-ignored). fsync stays on: the tests prove durability against the server as it runs in
# production, not a faster copy of it.
#
#   postgres.sh start    idempotent: initdb if needed, start, wait until it accepts connections,
#                        print `export TENANT_GITOPS_TEST_POSTGRES_URL=…`
#   postgres.sh env      prints that line when running (exit 1 otherwise)
#   postgres.sh status   exit 0 only when the server accepts connections
#   postgres.sh stop     stops the server and removes the data dir
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
source "$repo_root/scripts/lib.sh" postgres
DIR="${TENANT_GITOPS_POSTGRES_DIR:-$repo_root/.postgres}"
DATA="$DIR/data"
LOGS="$DIR/logs"

die() { log "$*"; exit 1; }

# The server refuses to run as root; as root (a CI container), it runs as Debian's `postgres` user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The newest installed server's binaries (Debian keeps them out of PATH, per major version).
bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "PostgreSQL is not installed (fix: bash scripts/setup.sh all installs Debian's postgresql package)"
  echo "$dir"
}

url() { echo "postgresql://postgres@127.0.0.1:$(cat "$DIR/port")/postgres"; }

ready() { [ -f "$DIR/port" ] && "$(bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$(cat "$DIR/port")" -U postgres; }

start() {
  local bin
  bin="$(bin_dir)"
  if ready; then
    echo "export TENANT_GITOPS_TEST_POSTGRES_URL=$(url)"
    return 0
  fi
  mkdir -p "$DIR" "$LOGS"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR" "$LOGS"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 \
      || die "initdb failed (log: $LOGS/initdb.log)"
  fi
  local port
  port="$(free_port)"
  echo "$port" >"$DIR/port"
  # Loopback TCP only; the socket directory is ours (the default /var/run/postgresql may not be writable).
  as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOGS/postgres.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $DIR -c max_connections=200 -c shared_buffers=64MB" start >/dev/null \
    || die "PostgreSQL did not start (log: $LOGS/postgres.log)"
  ready || die "PostgreSQL does not accept connections on $port (log: $LOGS/postgres.log)"
  log "running on 127.0.0.1:$port (data $DATA)"
  echo "export TENANT_GITOPS_TEST_POSTGRES_URL=$(url)"
}

stop() {
  if [ -f "$DATA/postmaster.pid" ]; then
    as_owner "$(bin_dir)/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  env) ready && echo "export TENANT_GITOPS_TEST_POSTGRES_URL=$(url)" ;;
  status) if ready; then echo "PostgreSQL running on $(cat "$DIR/port")"; else echo "PostgreSQL stopped"; exit 1; fi ;;
  stop) stop ;;
  *) echo "usage: $0 start|env|status|stop" >&2; exit 2 ;;
esac
