#!/usr/bin/env bash
# The whole test suite: dependencies, build, a throwaway PostgreSQL, every CTest test.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${PRESET:-release}
jobs=${JOBS:-$(nproc)}

scripts/deps.sh test
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
# The storage suite must run on PostgreSQL too: its absence is a failure, not a skip.
export KIEBOT_REQUIRE_PG=1
scripts/with_postgres.sh ctest --preset "$preset" -j "$jobs" --timeout 600
# libFuzzer targets for a bounded time each (a crash fails the run).
scripts/fuzz.sh "${FUZZ_SECONDS:-15}"
