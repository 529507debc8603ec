#!/usr/bin/env bash
# The reference a Python bot would be: the same durable webhook ingest as bench/ingest.sh (secret
# check, parse, one SQLite transaction per update with WAL and synchronous=FULL, then 200) served by
# bench/aiohttp_ingest.py on Debian's python3-aiohttp, measured with the same wrk command and
# bench/ingest.lua (bench/lib.sh) at 64 and 100 connections. When BENCH_INGEST_FIGURES names the
# file bench/ingest.sh wrote in the same run (scripts/bench.sh does this), kiebot's SQLite figure and
# the ratio are printed next to it.
# Usage: bench/aiohttp_ingest.sh <build-dir> [duration-seconds]   Prints a Markdown section.
# (<build-dir> is unused: nothing is built; it is taken for the common calling style.)
set -euo pipefail
duration=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
py=/usr/bin/python3  # Debian's interpreter, the one python3-aiohttp is installed for
secret=bench-ingest-secret
figures=${BENCH_INGEST_FIGURES:-}

port=$(free_port)
tmp=$(mktemp -d)
INGEST_SECRET=$secret "$py" "$here/aiohttp_ingest.py" "$port" "$tmp/inbox.db" >"$tmp/log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.1; done
stored() { "$py" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM inbox").fetchone()[0])' "$tmp/inbox.db"; }

cat <<MD
### Reference: the same durable ingest in Python aiohttp (wrk -t2 -d${duration}s --latency, bench/ingest.lua)

\`bench/aiohttp_ingest.py\`: aiohttp $("$py" -c 'import aiohttp; print(aiohttp.__version__)' 2>/dev/null || echo '?') on Python $("$py" -c 'import platform; print(platform.python_version())'),
one process, default asyncio loop, SQLite on one writer thread (as aiosqlite would); each 200 means
the update is committed (WAL, synchronous=FULL, one transaction per update). "kiebot" is the SQLite
row of the durable ingest section of the same run; "ratio" = kiebot updates/s ÷ aiohttp updates/s.

| server | connections | updates/s | p50 | p99 | non-2xx | rows stored | kiebot updates/s | kiebot p99 | ratio |
|---|---|---|---|---|---|---|---|---|---|
MD
if ! curl -sf "localhost:$port/healthz" >/dev/null; then
  echo
  echo "**Failed**: the aiohttp server did not start; its log:"
  echo
  echo '```'
  tail -n 30 "$tmp/log"
  echo '```'
  exit 0
fi
for conns in 64 100; do
  before=$(stored)
  read -r rps p50 p99 bad < <(run_wrk "$conns" "$duration" "http://127.0.0.1:$port/telegram/webhook" "$secret")
  rows=$(($(stored) - before))
  k_rps=- k_p99=- ratio=-
  if [[ -n $figures && -s $figures ]]; then
    read -r k_rps k_p99 < <(awk -v c="$conns" '$1=="sqlite" && $2==c {print $3, $5}' "$figures") || true
    [[ -n ${k_rps:-} ]] && ratio=$(python3 -c "print(f'{$k_rps/$rps:.2f}')") || k_rps=- k_p99=-
  fi
  echo "| aiohttp | $conns | $rps | $p50 | $p99 | $bad | $rows | $k_rps | $k_p99 | $ratio |"
done
if [[ -z $figures || ! -s $figures ]]; then
  echo
  echo "No kiebot figure from this run: run bench/ingest.sh first with the same BENCH_INGEST_FIGURES=<file>."
fi
