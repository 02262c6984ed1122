#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the scheduler's cluster test and prints its connection string.
#   eval "$(bash .ci/postgres.sh start DIR)"   exports TEM_TEST_POSTGRES
#   bash .ci/postgres.sh stop DIR
# Installs Debian's postgresql package when no server binaries are found. The server listens on 127.0.0.1 only,
# on a free port, with trust authentication for the loopback; its files live in DIR. PostgreSQL refuses to run as
# root, so as root the server runs as the 'postgres' user the package creates.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?data folder}

find_bin() {
  local b
  for b in /usr/lib/postgresql/*/bin; do [ -x "$b/pg_ctl" ] && { echo "$b"; return; }; done
  command -v pg_ctl >/dev/null 2>&1 && dirname "$(readlink -f "$(command -v pg_ctl)")"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bin=$(find_bin || true)
if [ "$action" = stop ]; then
  [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  exit 0
fi

if [ -z "$bin" ]; then
  echo "postgres: installing Debian's postgresql package" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bin=$(find_bin)
fi

mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)
as_owner "$bin/initdb" -D "$dir/data" -U tem --auth=trust -E UTF8 --locale=C >/dev/null
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c max_connections=60 -c fsync=off" start >/dev/null
echo "export TEM_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=tem;Database=postgres;Pooling=true'"
