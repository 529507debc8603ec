#!/usr/bin/env bash
# Jobs in flight against a slow fake provider: resident memory with N jobs in flight and provider
# requests per job, with callbacks and with polling only.
# Usage: bench/jobs.sh <build-dir> [jobs]      Prints a Markdown section.
# PostgreSQL instead of SQLite: KIEBOT_BENCH_PG_URL=postgresql://… bench/jobs.sh <build-dir>
set -euo pipefail
build=${1:?build dir}
jobs=${2:-10000}
bin="$build/bench/bench_jobs"
[[ -x "$bin" ]] || { echo "bench/jobs.sh: $bin not built (cmake -DKIEBOT_BUILD_BENCH=ON)" >&2; exit 1; }

echo "### Jobs: ${jobs} generations in flight against a slow provider"
echo
echo "Every task takes 10 minutes of fake time; one runner (batch 256, 256 jobs worked at once) on"
echo "${KIEBOT_BENCH_PG_URL:+PostgreSQL}${KIEBOT_BENCH_PG_URL:-SQLite}. The fake provider and fake Bot API run in the same process, so RSS is an"
echo "upper bound for the bot. Requests per job count every provider call (createTask, recordInfo)."
echo "Rerun: \`bench/jobs.sh $build $jobs\`."
echo
echo "| mode | jobs | RSS idle MiB | peak RSS, all in flight MiB | KiB per job | createTask/job | recordInfo/job | delivered | wall s |"
echo "|---|---|---|---|---|---|---|---|---|"
"$bin" "$jobs" callbacks
"$bin" "$jobs" polling
