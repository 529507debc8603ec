#!/usr/bin/env bash
# Runs the sandbox browser test (CTest `browser.sandbox`): installs playwright-core from the
# lockfile when missing, then drives Debian's chromium. Usage: run.sh <kiebot binary> <artifacts>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "browser test: $tool is missing (scripts/deps.sh test installs it)" >&2; exit 1; }
done
chromium_path=${CHROMIUM_PATH:-/usr/bin/chromium}
[[ -x "$chromium_path" ]] || { echo "browser test: $chromium_path is missing (apt-get install chromium)" >&2; exit 1; }
if [[ ! -f "$here/node_modules/playwright-core/package.json" ||
      "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/sandbox.spec.mjs" "$@"
