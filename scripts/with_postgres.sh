#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server (own data directory, port and socket directory),
# exported as KIEBOT_TEST_PG_URL. The server is stopped when the command ends, also on failure.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
  echo "with_postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/kiebot-pg.XXXXXX)
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  # initdb refuses to run as root: use the postgres user the Debian package creates.
  chown postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# Tests trade durability for speed; KIEBOT_PG_DURABLE=1 (benchmarks) keeps PostgreSQL's defaults.
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[[ ${KIEBOT_PG_DURABLE:-0} == 1 ]] && durability=""
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 $durability" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export KIEBOT_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
export KIEBOT_TEST_PG_BIN="$pg_bin"
export KIEBOT_TEST_PG_DATA="$dir/data"
export KIEBOT_TEST_PG_PORT="$port"
export KIEBOT_TEST_PG_SOCKET_DIR="$dir"
echo "==> PostgreSQL on 127.0.0.1:$port (data in $dir)"
"$@"
