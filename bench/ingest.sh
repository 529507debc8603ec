#!/usr/bin/env bash
# Durable webhook ingest: POST <WEBHOOK_PATH> with distinct updates (wrk + bench/ingest.lua), each
# committed to the inbox before its 200, at 64 and 100 connections, on SQLite (SQLITE_SYNCHRONOUS
# full) and on PostgreSQL (when KIEBOT_BENCH_PG_URL or KIEBOT_TEST_PG_URL is set), next to
# /healthz of the same process as a ratio. The dispatcher is held back (KIEBOT_TEST_DISPATCH_DELAY_MS)
# so the figure is the intake path alone; Telegram is unreachable (set-up retries in the background).
# Usage: bench/ingest.sh <build-dir> [duration-seconds]   Prints a Markdown section.
set -euo pipefail
build=${1:?build dir}
duration=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
secret=bench-ingest-secret
# When set (scripts/bench.sh sets it), "<database> <connections> <updates/s> <p50> <p99>" lines are
# written there, so bench/aiohttp_ingest.sh can print its ratio to kiebot from the same run.
figures=${BENCH_INGEST_FIGURES:-}
[[ -z $figures ]] || : >"$figures"

bench_backend() {  # name database_url → table rows
  local name=$1 url=$2
  local port tmp
  port=$(free_port)
  tmp=$(mktemp -d)
  ingest_tmp=$tmp
  DATABASE_URL=$url DATA_DIR="$tmp" PORT=$port BIND_ADDRESS=127.0.0.1 LOG_LEVEL=error \
    TELEGRAM_BOT_TOKEN=7000000099:AABenchIngestToken-0123456789abcdefXYZ \
    TELEGRAM_API_URL=http://127.0.0.1:1 WEBHOOK_BASE_URL="http://127.0.0.1:$port" \
    TELEGRAM_WEBHOOK_SECRET_TOKEN=$secret KIEBOT_TEST_DISPATCH_DELAY_MS=3600000 \
    "$build/kiebot" serve >"$tmp/log" 2>&1 &
  ingest_pid=$!
  # Globals, not locals: the trap runs after this function has returned.
  trap 'kill "${ingest_pid:-}" 2>/dev/null || true; rm -rf "${ingest_tmp:-}"' EXIT
  for _ in $(seq 100); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.1; done
  for conns in 64 100; do
    read -r h_rps _ _ _ < <(run_wrk "$conns" "$duration" "http://127.0.0.1:$port/healthz")
    read -r i_rps i_p50 i_p99 i_bad < <(run_wrk "$conns" "$duration" "http://127.0.0.1:$port/telegram/webhook" "$secret")
    [[ -z $figures ]] || echo "$name $conns $i_rps $i_p50 $i_p99" >>"$figures"
    ratio=$(python3 -c "print(f'{$i_rps/$h_rps:.2f}')")
    echo "| $name | $conns | $i_rps | $i_p50 | $i_p99 | $i_bad | $h_rps | $ratio |"
  done
  kill "$ingest_pid" 2>/dev/null || true
  wait "$ingest_pid" 2>/dev/null || true
  rm -rf "$tmp"
}

cat <<MD
### Durable webhook ingest (wrk -t2 -d${duration}s --latency, distinct update_ids, secret header)

Each 200 means the update is committed to the inbox (SQLite: WAL, synchronous=full; bodies that
arrive while a commit is in flight share the next transaction and its fsync). "ratio" = ingest updates/s ÷ \`/healthz\` requests/s of the same process.

| database | connections | updates/s | p50 | p99 | non-2xx | /healthz req/s | ratio |
|---|---|---|---|---|---|---|---|
MD
bench_backend sqlite ""
pg_url=${KIEBOT_BENCH_PG_URL:-${KIEBOT_TEST_PG_URL:-}}
if [[ -n $pg_url ]]; then
  bench_backend postgres "$pg_url"
else
  echo
  echo "PostgreSQL skipped: set KIEBOT_BENCH_PG_URL (or run under scripts/with_postgres.sh)."
fi
