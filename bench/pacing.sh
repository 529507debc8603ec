#!/usr/bin/env bash
# Outbound pacing against Telegram's limits (bench_pacing, bench/pacing.cpp): an admin broadcast
# to N users plus a burst of commands from one user, every send timed by the fake Bot API.
# Usage: bench/pacing.sh <build-dir> [recipients] [burst-commands]      Prints a Markdown section.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=${1:?build dir}
recipients=${2:-1000}
burst=${3:-20}

echo "### Outbound pacing against Telegram's limits: a broadcast to $((recipients + 1)) chats and ${burst} commands at once from one user"
echo
echo "The real \`kiebot serve\` (webhook mode, SQLite, pacing at its defaults: TELEGRAM_GLOBAL_RATE=30,"
echo "TELEGRAM_CHAT_RATE=1, TELEGRAM_GROUP_PER_MINUTE=20) against the fake Bot API with flood control"
echo "at Telegram's limits (30 messages/s for the bot, burst 30; 1/s per chat, burst 3; 20/min per"
echo "group; a send over them is answered 429 with retry_after). The admin broadcasts to every known"
echo "user through the admin panel; as it starts, one of them sends ${burst} × /help at once (each answered"
echo "with a new message). The fake records each message send's arrival (ms). Achieved rate ="
echo "(sends − 1) / (last − first) over the broadcast (first to last copy, every message send in"
echo "between); \"most in any 1 s\" = the largest count in a sliding window [t, t + 1 s). Early sends ="
echo "sends to a chat before a retry_after it was given had passed."
echo "Rerun: \`bench/pacing.sh ${build} ${recipients} ${burst}\`."
echo
run_bench_program "$build" bench_pacing "$recipients" "$burst"
