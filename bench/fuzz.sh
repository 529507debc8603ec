#!/usr/bin/env bash
# Longer fuzzing for `make bench`: scripts/fuzz.sh (the `fuzz` preset, clang 14, its own build tree
# build/fuzz) with a longer time per target than `make test` gives it; reports targets, seconds,
# executions and the result. A failure is reported in the section (with the log tail), not fatal.
# Usage: bench/fuzz.sh <build-dir> [seconds per target, default 120]   Prints a Markdown section.
# (<build-dir> is unused: fuzzing always builds build/fuzz; it is taken for the common calling style.)
set -euo pipefail
seconds=${2:-120}
root=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$root/scripts/fuzz.sh" "$seconds" >"$log" 2>&1 || status=$?

echo "### Fuzzing (libFuzzer, ${seconds} s per target)"
echo
echo "\`scripts/fuzz.sh ${seconds}\`: each target from its committed seed corpus under fuzz/corpus/,"
echo "with ASan and UBSan; a crash, leak, sanitizer report or timeout is a failure."
echo
echo "| target | seconds | executions | exec/s | result |"
echo "|---|---|---|---|---|"
# fuzz.sh prints "==> fuzzing <target> for <n>s", then that target's executed-units stat.
awk -v secs="$seconds" '
  function row(result) {
    rate = execs ~ /^[0-9]+$/ ? sprintf("%.0f", execs / secs) : "?"
    printf "| %s | %s | %s | %s | %s |\n", t, secs, execs, rate, result
    t = ""
  }
  # A target is followed by the next one (or the summary line) only when it passed.
  /^==> fuzzing / { if (t != "") row("pass"); t = $3; execs = "?"; next }
  /^stat::number_of_executed_units:/ { execs = $2 }
  /^fuzzing passed:/ { if (t != "") row("pass") }
  END { if (t != "") row("**FAIL**") }
' "$log"
if [[ $status != 0 ]]; then
  echo
  echo "**Failed** (exit $status); last lines:"
  echo
  echo '```'
  tail -n 30 "$log"
  echo '```'
fi
