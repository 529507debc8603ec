#!/usr/bin/env bash
# Builds every libFuzzer target (the `fuzz` preset, clang 14) and runs each for a bounded time
# against its committed seed corpus. A crash, leak, sanitizer report or timeout fails the script.
# Usage: scripts/fuzz.sh [seconds per target, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
jobs=${JOBS:-$(nproc)}

scripts/deps.sh test
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target fuzz_all

build=build/fuzz
mapfile -t targets < <(grep -v '^$' "$build/fuzz_targets.txt")
[[ ${#targets[@]} -gt 0 ]] || { echo "no fuzz targets found" >&2; exit 1; }

mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  seeds=fuzz/corpus/$target
  [[ -d "$seeds" ]] || { echo "missing seed corpus $seeds" >&2; exit 1; }
  # New inputs go to a scratch directory: the committed corpus stays as reviewed.
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "==> fuzzing $target for ${seconds}s"
  if ! "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
      "$work" "$seeds" >"$build/$target.log" 2>&1; then
    tail -n 60 "$build/$target.log" >&2
    echo "FUZZ FAILURE in $target (reproducer under $build/artifacts/)" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done' "$build/$target.log" || true
  rm -rf "$work"
  trap - EXIT
done
echo "fuzzing passed: ${targets[*]}"
