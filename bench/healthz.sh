#!/usr/bin/env bash
# /healthz of kiebot vs a minimal Beast server from the same tree: wrk, 64 connections.
# Usage: bench/healthz.sh <build-dir> [duration-seconds]   Prints a Markdown section.
set -euo pipefail
build=${1:?build dir}
duration=${2:-10}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

run_wrk() {  # url → "requests/s p50 p99"
  local out
  out=$(wrk -t2 -c64 -d"${duration}s" --latency "$1")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$rps $p50 $p99"
}

port_k=$(free_port)
tmp=$(mktemp -d)
PORT=$port_k BIND_ADDRESS=127.0.0.1 LOG_LEVEL=warn DATA_DIR="$tmp" "$build/kiebot" serve >/dev/null 2>&1 &
pid_k=$!
port_h=$(free_port)
"$build/bench/bench_hello_beast" "$port_h" &
pid_h=$!
trap 'kill $pid_k $pid_h 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do curl -sf "localhost:$port_k/healthz" >/dev/null && curl -sf "localhost:$port_h/" >/dev/null && break; sleep 0.1; done

read -r k_rps k_p50 k_p99 < <(run_wrk "http://127.0.0.1:$port_k/healthz")
read -r h_rps h_p50 h_p99 < <(run_wrk "http://127.0.0.1:$port_h/healthz")
ratio=$(python3 -c "print(f'{$k_rps/$h_rps:.2f}')")

cat <<MD
### /healthz vs minimal Beast server (wrk -t2 -c64 -d${duration}s --latency)

| server | requests/s | p50 | p99 |
|---|---|---|---|
| kiebot \`/healthz\` | $k_rps | $k_p50 | $k_p99 |
| minimal Beast hello-world | $h_rps | $h_p50 | $h_p99 |

kiebot / minimal throughput ratio: **$ratio**
MD
