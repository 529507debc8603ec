#!/usr/bin/env bash
# The whole application under load with faults and SIGKILLs (tests/integration/chaos/app_load_test.cpp)
# at a larger scale: updates handled per second, jobs, kills survived, duration.
# Usage: bench/load_chaos.sh <build-dir> [users] [kills]      Prints a Markdown section.
set -euo pipefail
build=${1:?build dir}
users=${2:-100}
kills=${3:-10}
tests="$build/tests/integration_tests"
[[ -x "$tests" ]] || cmake --build "$build" --target integration_tests kiebot >&2
seed=${KIEBOT_LOAD_SEED:-$RANDOM}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
KIEBOT_BINARY="$(cd "$build" && pwd)/kiebot" KIEBOT_LOAD_USERS=$users KIEBOT_LOAD_KILLS=$kills KIEBOT_LOAD_SEED=$seed \
  "$tests" --gtest_filter='AppLoad.*' >"$log" 2>&1 || status=$?
line=$(grep -m1 '^app load:' "$log" || true)
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }

echo "### Load with faults and kill -9: the whole application"
echo
echo "The real binary in webhook mode against the fake Bot API (10 % of sends answered 429) and the"
echo "fake provider (about 28 % of creates failed: 5xx, accepted-then-5xx, cut connections, malformed"
echo "bodies; duplicate callbacks), ${users} simulated users (/start, Stars top-up, wizard, Generate,"
echo "double taps, junk), SIGKILLed ${kills} times. Rerun: \`KIEBOT_LOAD_SEED=${seed} bench/load_chaos.sh $build $users $kills\`."
echo
if [[ -z "$line" ]]; then
  echo "**Failed** (exit $status) before the summary; last lines:"
  echo
  echo '```'
  tail -n 30 "$log"
  echo '```'
  exit 0
fi
duration_ms=$(field duration_ms)
echo "| users | updates | updates/s | jobs | delivered | lost updates | kills survived | 429s | early sends | duration s | result |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
echo "| ${users} | $(field updates) | $(sed -n 's/.* updates=[0-9]* (\([0-9.]*\)\/s).*/\1/p' <<<"$line") | $(field jobs) | $(field delivered) | $(field lost) | $(field kills) | $(field tg_429) | $(field early_retries) | $(awk "BEGIN{printf \"%.1f\", $duration_ms/1000}") | $([[ $status == 0 ]] && echo pass || echo "**FAIL**") |"
echo
echo "Raw: \`${line}\`"
