# shellcheck shell=bash
# Helpers shared by the bench/*.sh scripts (sourced, not run).

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# run_wrk <connections> <seconds> <url> [webhook-secret] → "requests/s p50 p99 non2xx"
# wrk -t2 --latency. With a secret: POSTs Telegram updates with distinct update_ids and that secret
# in X-Telegram-Bot-Api-Secret-Token (bench/ingest.lua); without: GETs the url.
run_wrk() {
  local conns=$1 seconds=$2 url=$3 secret=${4:-}
  local out
  if [[ -n $secret ]]; then
    out=$(INGEST_SECRET=$secret INGEST_ID_BASE=$((RANDOM * 100000000000 + 1)) \
      wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$(dirname "${BASH_SOURCE[0]}")/ingest.lua" "$url")
  else
    out=$(wrk -t2 -c"$conns" -d"${seconds}s" --latency "$url")
  fi
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$rps $p50 $p99 ${bad:-0}"
}

# run_bench_program <build-dir> <target> [args…]: builds the bench program (and kiebot) when
# missing, runs it with the absolute path of the build's kiebot as its first argument and prints
# its Markdown; a non-zero exit is said in bold (make bench goes on with the next script).
run_bench_program() {
  local build target status=0
  build=$(cd "$1" && pwd)
  target=$2
  shift 2
  [[ -x "$build/bench/$target" && -x "$build/kiebot" ]] || cmake --build "$build" --target "$target" kiebot >&2
  "$build/bench/$target" "$build/kiebot" "$@" || status=$?
  if [[ $status != 0 ]]; then
    echo
    echo "**$target exited with $status.**"
  fi
}
