// What the operator configures about the conversation, resolved once from app::Config.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "domain/token_bucket.hpp"
#include "services/billing/money_config.hpp"

namespace kb::bot {

struct RateCosts {
  std::int64_t action = 1;      // a message or a button press
  std::int64_t upload = 3;      // a message carrying a file
  std::int64_t generation = 2;  // the Generate button
};

struct BotSettings {
  std::vector<std::int64_t> admin_ids;  // ADMIN_IDS: exempt from rate limits
  int max_active_jobs = 2;              // MAX_CONCURRENT_JOBS_PER_USER
  services::MoneySettings money;
  domain::BucketConfig rate;  // USER_RATE_PER_MINUTE / USER_RATE_BURST
  RateCosts costs;
  bool telegram_local_mode = false;
  std::int64_t wizard_ttl_ms = 24LL * 3600 * 1000;  // an abandoned wizard is forgotten after this
  int page_size = 8;                                // models per list page
  int history_page_size = 5;
  // The bot's @username (learned from getMe at start; empty until then): referral links.
  std::function<std::string()> bot_username;
};

}  // namespace kb::bot
