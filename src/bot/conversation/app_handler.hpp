// The conversation as the application's update handler: BotSettings from the configuration, the
// outbox "screen" hook, the jobs runner's wake-up. Pass conversation_handler_factory() as
// app::ApplicationOptions::handler (serve and sandbox).
#pragma once

#include "app/components/application.hpp"
#include "bot/settings.hpp"

namespace kb::app {
struct Config;
}

namespace kb::bot {

// ADMIN_IDS, MAX_CONCURRENT_JOBS_PER_USER, USER_RATE_*, money settings, TELEGRAM_LOCAL_MODE.
BotSettings bot_settings(const app::Config& config);

app::HandlerFactory conversation_handler_factory();

}  // namespace kb::bot
