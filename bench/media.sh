#!/usr/bin/env bash
# Media proxy streaming: throughput and resident memory for an N MB file through GET /media/<token>
# (user file) and GET /media/r/<token> (result file), one download and four at once.
# Usage: bench/media.sh <build-dir> [megabytes, default 50]      Prints a Markdown section.
set -euo pipefail
build=${1:?build dir}
mb=${2:-50}
bin="$build/bench/bench_media"
[[ -x "$bin" ]] || { echo "bench/media.sh: $bin not built (cmake -DKIEBOT_BUILD_BENCH=ON)" >&2; exit 1; }

echo "### Media proxy: ${mb} MB streamed through the signed proxy"
echo
echo "Proxy, upstreams (a --local Bot API file on disk; an HTTP origin generating the bytes) and the"
echo "downloading client all run in one process on loopback, so RSS is an upper bound for the proxy."
echo "Memory stays flat because the next upstream chunk is read only after the previous one was"
echo "written. Rerun: \`bench/media.sh $build $mb\`."
echo
echo "| route | downloads | MB each | MB/s total | RSS before MiB | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
"$bin" "$mb"
