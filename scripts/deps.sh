#!/usr/bin/env bash
# Installs the Debian packages a profile needs (as root), or prints the one apt line to run.
# Usage: scripts/deps.sh build|test|bench|browser
set -euo pipefail

build_pkgs=(g++ lld cmake ninja-build ccache pkg-config git ca-certificates curl
  libboost-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev libpqxx-dev nlohmann-json3-dev
  libfmt-dev libspdlog-dev libcli11-dev libyaml-cpp-dev zlib1g-dev)
test_pkgs=("${build_pkgs[@]}" libgtest-dev libgmock-dev googletest libbenchmark-dev postgresql
  clang-14 libclang-rt-14-dev python3 procps chromium fonts-noto-color-emoji nodejs)
bench_pkgs=("${test_pkgs[@]}" wrk hyperfine python3-aiohttp time valgrind)
browser_pkgs=(chromium fonts-noto-color-emoji nodejs)

case "${1:-build}" in
  build) pkgs=("${build_pkgs[@]}") ;;
  test) pkgs=("${test_pkgs[@]}") ;;
  bench) pkgs=("${bench_pkgs[@]}") ;;
  browser) pkgs=("${browser_pkgs[@]}") ;;
  *) echo "usage: $0 build|test|bench|browser" >&2; exit 2 ;;
esac

# Node.js from NodeSource bundles npm; Debian's nodejs needs the separate npm package.
if [[ " ${pkgs[*]} " == *" nodejs "* ]] && ! command -v npm >/dev/null; then pkgs+=(npm); fi
missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  echo "==> installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages. Run as root:" >&2
  echo "  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
