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
echo "kiebot: TELEGRAM_BOT_TOKEN is not set, so this is the sandbox: the real bot against built-in"
echo "        stand-ins for Telegram and the generation service, with a web chat (nothing is paid)."
echo "        To run the real bot: TELEGRAM_BOT_TOKEN=<token from @BotFather> KIE_API_KEY=<key> make run"
exec "$bin" sandbox
