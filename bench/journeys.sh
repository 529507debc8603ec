#!/usr/bin/env bash
# Full journeys per second end to end through the fakes (bench_journeys, bench/journeys.cpp): the
# real `kiebot serve` driven by simulated users from /start to the delivered result.
# Usage: bench/journeys.sh <build-dir> [users] [journeys-per-user]      Prints a Markdown section.
# SQLITE_SYNCHRONOUS=normal bench/journeys.sh … runs the server with that setting (default: full).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=${1:?build dir}
users=${2:-100}
journeys=${3:-3}

light=$(( users / 10 > 0 ? users / 10 : 1 ))
echo "### Full journeys end to end: ${light} and ${users} users × ${journeys} journeys each"
echo
echo "The real \`kiebot serve\` (webhook mode, SQLite, SQLITE_SYNCHRONOUS=${SQLITE_SYNCHRONOUS:-full}) against the fake Bot API"
echo "and the fake provider (both in the bench process, on loopback; tasks finish 300 ms after"
echo "creation and call back once). N simulated users at once (${light}: latency under light load;"
echo "${users}: throughput), each doing ${journeys} journeys in a row:"
echo "/start → /start m-google-imagen4-ultra (deep link) → Start → prompt → wizard defaults →"
echo "Generate → the result photo received by the fake Bot API (= journey completed). Balances are"
echo "credited beforehand, so every journey is a paid job (hold, capture). Each user moves as soon as"
echo "the bot has answered. Raised so that they are not what is measured: the provider creation"
echo "budget (KIE_CREATE_PER_10S=1000; the default 18 per 10 s would cap at 1.8 journeys/s), outbound"
echo "pacing (TELEGRAM_GLOBAL_RATE=1000, TELEGRAM_CHAT_RATE=20: replies, not bulk; bench/pacing.sh"
echo "measures pacing) and the per-user action rate. Latency = first /start to the result arriving;"
echo "journeys/s and updates/s over the first /start to the last result. Server CPU = user + system"
echo "time of the kiebot process over that span; the fakes and the driver (the bench process) share"
echo "the machine, their CPU is the last column."
echo "Rerun: \`bench/journeys.sh ${build} ${users} ${journeys}\`."
for n in "$light" "$users"; do
  echo
  echo "#### ${n} users × ${journeys} journeys"
  echo
  run_bench_program "$build" bench_journeys "$n" "$journeys"
done
