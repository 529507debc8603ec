#!/usr/bin/env bash
# `make bench`: builds the release tree and writes bench/results/<date>.md with machine, commands and figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh bench
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
build=build/release
mkdir -p bench/results
out=bench/results/$(date -u +%Y-%m-%d).md
# kiebot's ingest figures of this run, for the ratio the aiohttp reference prints.
export BENCH_INGEST_FIGURES=$build/bench_ingest_figures.txt
{
  echo "# kiebot benchmark results, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "CPU: $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ //')"
  echo "Commit: $(git rev-parse --short HEAD)"
  echo
  echo "Reproduce: \`make bench\` (or the single scripts under bench/)."
  echo
  bench/healthz.sh "$build" "${BENCH_SECONDS:-10}"
  echo
  bench/startup.sh "$build" "${BENCH_STARTUP_RUNS:-30}"
  echo
  bench/storage.sh "$build" "${BENCH_STORAGE_SECONDS:-5}"
  echo
  # PostgreSQL: a throwaway durable server (fsync on), unless KIEBOT_BENCH_PG_URL names one.
  if [[ -n ${KIEBOT_BENCH_PG_URL:-} ]]; then
    bench/ingest.sh "$build" "${BENCH_INGEST_SECONDS:-10}"
  else
    KIEBOT_PG_DURABLE=1 scripts/with_postgres.sh bench/ingest.sh "$build" "${BENCH_INGEST_SECONDS:-10}" |
      grep -v '^==> PostgreSQL on'
  fi
  echo
  bench/aiohttp_ingest.sh "$build" "${BENCH_INGEST_SECONDS:-10}"
  echo
  bench/media.sh "$build" "${BENCH_MEDIA_MB:-50}"
  echo
  bench/jobs.sh "$build" "${BENCH_JOBS:-10000}"
  echo
  bench/load_chaos.sh "$build" "${BENCH_LOAD_USERS:-100}" "${BENCH_LOAD_KILLS:-10}"
  echo
  bench/journeys.sh "$build" "${BENCH_JOURNEY_USERS:-100}" "${BENCH_JOURNEYS_EACH:-3}"
  echo
  bench/pacing.sh "$build" "${BENCH_PACING_RECIPIENTS:-1000}" "${BENCH_PACING_BURST:-20}"
  echo
  bench/fuzz.sh "$build" "${BENCH_FUZZ_SECONDS:-120}"
} | tee "$out"
echo "==> wrote $out"
# Sections report a failed check in the text (and go on, so the report is complete); the run as a
# whole fails when any did.
if grep -qE '\*\*(FAIL|Failed|NO|no)\*\*' "$out"; then
  echo "==> some checks failed (marked **FAIL**, **Failed**, **NO** or **no** in $out)" >&2
  exit 1
fi
