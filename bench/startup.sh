#!/usr/bin/env bash
# Cold start and idle memory of the real binary. `kiebot serve` with SQLite in a DATA_DIR, a bot
# token, webhook mode and a dead Bot API URL (127.0.0.1:1, connection refused: getMe/setWebhook retry
# in the background and do not hold /healthz back), so nothing outside this machine is contacted.
# - Cold start: hyperfine times a run of `startup.sh --once`, which starts kiebot, polls /healthz
#   over bash's /dev/tcp (no process per poll, 1 ms apart) until 200, then SIGKILLs it. Two cases:
#   first start (DATA_DIR removed before each run: the database is created and migrated) and
#   restart (the migrated database is kept). The page cache is warm (hyperfine warm-up runs).
# - Idle memory: kiebot under /usr/bin/time -v; after /healthz answers and BENCH_STARTUP_SETTLE
#   seconds (default 3) idle, VmRSS/VmHWM/RssAnon/RssFile from /proc/<pid>/status and, from
#   /proc/<pid>/smaps, the resident part of the binary's mappings and of the shared libraries'
#   (libcurl's Debian build alone loads some 30: see docs/architecture.md, "Memory");
#   then SIGTERM and the maximum RSS /usr/bin/time saw over the whole life.
# Usage: bench/startup.sh <build-dir> [hyperfine runs, default 30]   Prints a Markdown section.
set -euo pipefail

if [[ ${1:-} == --once ]]; then  # startup.sh --once <kiebot> <port> <pause-fifo>: the timed command
  bin=$2 port=$3
  exec 4<>"$4"  # never written: `read -t` on it is a sleep without starting a process
  "$bin" serve >/dev/null 2>&1 &
  pid=$!
  trap 'kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
  for ((i = 0; i < 10000; i++)); do
    code=
    { printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
      read -r _ code _ <&3; } 2>/dev/null 3<>"/dev/tcp/127.0.0.1/$port" || true
    [[ $code == 200 ]] && exit 0
    kill -0 "$pid" 2>/dev/null || { echo "kiebot exited before /healthz answered" >&2; exit 1; }
    read -r -t 0.001 -u 4 _ || true
  done
  echo "no /healthz 200 within 10 000 polls" >&2
  exit 1
fi

build=${1:?build dir}
runs=${2:-30}
settle=${BENCH_STARTUP_SETTLE:-3}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
bin=$(cd "$build" && pwd)/kiebot
[[ -x $bin ]] || { echo "no kiebot binary in $build" >&2; exit 1; }

tmp=$(mktemp -d)
server= pid=
# /usr/bin/time does not pass signals on: on an early exit stop kiebot itself too.
trap 'kill "${pid:-}" "${server:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
mkfifo "$tmp/pause"
port=$(free_port)
# The built-in catalog and texts, default log level.
unset CATALOG_PATH LOCALES_DIR LOG_LEVEL
export DATA_DIR=$tmp/data PORT=$port BIND_ADDRESS=127.0.0.1 DATABASE_URL='' \
  TELEGRAM_BOT_TOKEN=7000000099:AABenchStartupToken-0123456789abcdefXYZ \
  TELEGRAM_API_URL=http://127.0.0.1:1 WEBHOOK_BASE_URL=http://127.0.0.1:$port \
  TELEGRAM_WEBHOOK_SECRET_TOKEN=bench-startup-secret SHUTDOWN_GRACE_MS=2000

once=(bash "$here/startup.sh" --once "$bin" "$port" "$tmp/pause")
# hyperfine -N: no intermediate shell; the bash wrapper itself is timed as a baseline row.
hyperfine -N --style none --warmup 3 --runs "$runs" --prepare "rm -rf $tmp/data" \
  --export-json "$tmp/first.json" "${once[*]}" >/dev/null
hyperfine -N --style none --warmup 3 --runs "$runs" \
  --export-json "$tmp/restart.json" "${once[*]}" "bash -c true" >/dev/null
row() {  # json-file index label → "| label | mean ± σ | min | max |" in ms
  python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]
ms = lambda s: f"{s * 1000:.1f}"
print(f"| {sys.argv[3]} | {ms(r['mean'])} ± {ms(r['stddev'] or 0)} | {ms(r['min'])} | {ms(r['max'])} |")
PY
}

# Idle memory of the bot process alone (not of /usr/bin/time, its parent).
rm -rf "$DATA_DIR"
/usr/bin/time -v -o "$tmp/time" "$bin" serve >"$tmp/log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.1; done
pid=$(pgrep -P "$server")
sleep "$settle"
status() { awk -v k="$1:" '$1==k {printf "%.1f", $2/1024}' "/proc/$pid/status"; }
rss=$(status VmRSS) hwm=$(status VmHWM) anon=$(status RssAnon) file=$(status RssFile)
threads=$(awk '$1=="Threads:" {print $2}' "/proc/$pid/status")
# Resident KB of the mappings of one file (the binary) and of every shared library.
smaps_rss() {
  awk -v bin="$(readlink -f "$bin")" '
    /^[0-9a-f]+-[0-9a-f]+ / { path = $6 }
    $1 == "Rss:" && path == bin { b += $2 }
    $1 == "Rss:" && path ~ /\.so[.0-9]*$/ { l += $2 }
    END { printf "%.1f %.1f\n", b / 1024, l / 1024 }' "/proc/$pid/smaps"
}
read -r binary_rss libs_rss < <(smaps_rss)
kill -TERM "$pid"
wait "$server" || true
server= pid=
max_rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$tmp/time")

cat <<MD
### Cold start and idle memory (\`kiebot serve\`, SQLite, webhook mode, Bot API unreachable)

Time from exec of \`kiebot serve\` to the first \`/healthz\` 200 (then SIGKILL), hyperfine -N,
${runs} runs after 3 warm-up runs, warm page cache; the wrapper (bash, polling every 1 ms over
/dev/tcp) is included, its own start-up is the baseline row. Target: < 100 ms.

| case | mean ± σ (ms) | min (ms) | max (ms) |
|---|---|---|---|
$(row "$tmp/first.json" 0 "first start (empty DATA_DIR: create and migrate the database)")
$(row "$tmp/restart.json" 0 "restart (database already migrated)")
$(row "$tmp/restart.json" 1 "baseline: \`bash -c true\`")

Resident memory of the kiebot process alone, ${settle} s idle after \`/healthz\` answered (${threads}
threads; getMe/setWebhook retrying against the dead Bot API URL). Target: idle < 15 MB.

| VmRSS idle (MB) | RssAnon (MB) | RssFile (MB) | binary (MB) | shared libraries (MB) | VmHWM peak (MB) | max RSS, /usr/bin/time -v (MB) |
|---|---|---|---|---|---|---|
| $rss | $anon | $file | $binary_rss | $libs_rss | $hwm | $max_rss |

The binary and library columns count every resident page of those files' mappings: mostly
file-backed code and constants, plus their relocated data (private copies, also in RssAnon).
MD
