#!/usr/bin/env bash
# Jobs in flight on the real server (bench_jobs, bench/jobs.cpp): resident memory of `kiebot serve`
# alone with N generations in flight against a slow fake provider, and provider requests per job,
# with callbacks and with polling only.
# Usage: bench/jobs.sh <build-dir> [jobs]      Prints a Markdown section (about 40 minutes for the
# default 10 000 jobs: every task takes 10 real minutes, once per mode).
# PostgreSQL instead of SQLite: KIEBOT_BENCH_PG_URL=postgresql://… bench/jobs.sh <build-dir>
# Shorter tasks (not the issue's figure): BENCH_JOBS_TASK_SECONDS=120 bench/jobs.sh <build-dir>
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=${1:?build dir}
jobs=${2:-10000}
task=${BENCH_JOBS_TASK_SECONDS:-600}
breakdown=$(mktemp)
trap 'rm -f "$breakdown"' EXIT
db=${KIEBOT_BENCH_PG_URL:+PostgreSQL}
db=${db:-SQLite}

echo "### Jobs: ${jobs} generations in flight against a slow provider"
echo
echo "Measured: the real \`kiebot serve\` process alone, configured by environment only"
echo "(TELEGRAM_API_URL, KIE_BASE_URL, DATA_DIR or DATABASE_URL; ${db}; default log level, runner"
echo "batch and concurrency). The fake Bot API and the fake provider run in the bench process and"
echo "answer on loopback, so none of their memory is counted: the figures are the server's"
echo "/proc/<pid>/status (VmRSS sampled 4 times a second; peak = VmHWM over the whole run). ${jobs} jobs,"
echo "two per user, are committed into the server's database while it runs by \`confirm_job\`, the"
echo "function behind the Generate button, one user per transaction; the server's runner finds them"
echo "by its scan. Every provider task takes ${task} s of real time. Callbacks: webhook mode with a"
echo "public URL, so the provider calls back. Polling only: no public URL (the bot long-polls Telegram"
echo "and only polls the provider). Raised so that they are not what is measured: the provider's"
echo "creation budget (KIE_CREATE_PER_10S=1000; the default 18 per 10 s would need 93 minutes to"
echo "submit 10 000) and outbound pacing (TELEGRAM_GLOBAL_RATE=100000: every job sends and edits a"
echo "progress message, far above Telegram's 30 messages/s with 10 000 jobs)."
echo "Idle = 3 s after /readyz, empty database. Most in flight = the most jobs at the provider at once;"
echo "KiB per job = (RSS then − idle) / that number. createTask/job and recordInfo/job count every call"
echo "the fake provider received."
echo "Rerun: \`bench/jobs.sh ${build} ${jobs}\`."
echo
echo "| mode | jobs | RSS idle MiB | RSS, most in flight MiB | peak RSS MiB | KiB per job | most in flight | createTask/job | recordInfo/job | delivered | wall s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for mode in callbacks polling; do
  BENCH_JOBS_BREAKDOWN=$breakdown run_bench_program "$build" bench_jobs "$jobs" "$mode"
done
echo
echo "Where the server's resident memory is (MiB, from /proc/<pid>/smaps by mapping: [heap] is the"
echo "main malloc arena; anon the other anonymous mappings: the other arenas, thread stacks, large"
echo "blocks; RssFile is mostly the binary and shared libraries, shared with other processes):"
echo
echo "| mode | moment | VmRSS | RssAnon | RssFile | [heap] | anon | kiebot binary | libraries, other files | threads |"
echo "|---|---|---|---|---|---|---|---|---|---|"
cat "$breakdown"
