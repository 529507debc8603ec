#!/usr/bin/env bash
# Builds and starts kiebot: the real bot when TELEGRAM_BOT_TOKEN is set, otherwise the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
bin=build/release/kiebot
if [[ -n "${TELEGRAM_BOT_TOKEN:-}" ]]; then
  exec "$bin" serve
fi
echo "kiebot: TELEGRAM_BOT_TOKEN is not set. The built-in sandbox is not part of this build yet, so only"
echo "        the HTTP endpoints start (try: curl localhost:\${PORT:-8080}/healthz)."
echo "        To run the real bot: TELEGRAM_BOT_TOKEN=<token from @BotFather> make run"
exec "$bin" serve
