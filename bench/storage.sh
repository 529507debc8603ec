#!/usr/bin/env bash
# Storage write throughput (single-row transactional writes per second) on SQLite and PostgreSQL.
# Usage: bench/storage.sh <build-dir> [seconds-per-run]      Prints a Markdown section.
# PostgreSQL: KIEBOT_BENCH_PG_URL when set, otherwise a throwaway local server with its default,
# durable settings (fsync on, synchronous_commit on), started and stopped here.
set -euo pipefail
build=${1:?build dir}
seconds=${2:-5}
bin="$build/bench/bench_storage"
[[ -x "$bin" ]] || { echo "bench/storage.sh: $bin not built (cmake -DKIEBOT_BUILD_BENCH=ON)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/kiebot-bench-storage.XXXXXX)
pg_dir=""
as_pg=()
cleanup() {
  if [[ -n "$pg_dir" ]]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

pg_url=${KIEBOT_BENCH_PG_URL:-}
if [[ -z "$pg_url" ]]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -n "$pg_bin" && -x "$pg_bin/initdb" ]]; then
    pg_dir=$(mktemp -d /tmp/kiebot-bench-pg.XXXXXX)
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$pg_dir"; as_pg=(runuser -u postgres --); fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 30 \
      -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
    pg_url="postgresql://postgres@127.0.0.1:$port/postgres"
  fi
fi

echo "### Storage: single-row transactional writes (${seconds}s per run)"
echo
echo "Each unit is one transaction through the store (worker pool, BEGIN … COMMIT). Client threads"
echo "call it back to back; the pool has as many connections as threads. Rerun: \`bench/storage.sh $build $seconds\`."
echo
echo "| backend | unit | client threads | units/s | p50 ms | p99 ms |"
echo "|---|---|---|---|---|---|"
for threads in 1 4; do
  for sync in full normal; do
    rm -f "$tmp"/bench.db*
    "$bin" "sqlite://$tmp/bench.db" "$seconds" "$threads" "$sync"
  done
  if [[ -n "$pg_url" ]]; then
    "$bin" "$pg_url" "$seconds" "$threads"
  fi
done
[[ -n "$pg_url" ]] || echo "(PostgreSQL skipped: no server binaries and no KIEBOT_BENCH_PG_URL)"
