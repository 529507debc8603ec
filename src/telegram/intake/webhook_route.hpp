// POST <WEBHOOK_PATH>: Telegram's webhook deliveries. The secret header is compared in constant
// time (missing or wrong: 401, nothing stored); the update is committed to the inbox before the
// 200 `{}`; an unreadable body that passed the secret check is kept as rejected and answered 200
// (so Telegram does not stall the chat); no database: 503 with Retry-After (Telegram keeps the
// update and delivers it again).
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "net/router.hpp"
#include "telegram/intake/update_intake.hpp"

namespace kb::net {
class MetricsRegistry;
}

namespace kb::telegram {

inline constexpr std::string_view kSecretHeader = "X-Telegram-Bot-Api-Secret-Token";

// TELEGRAM_WEBHOOK_SECRET_TOKEN when set, else base64url(derive_key(bot_token, "webhook-secret"))
// cut to Telegram's limits (1-256 of A-Za-z0-9_-). Empty when neither is available.
std::string webhook_secret_for(std::string_view configured_secret, std::string_view bot_token);

struct WebhookRouteOptions {
  std::string path = "/telegram/webhook";
  std::string secret;  // required: an empty secret refuses every delivery
  int retry_after_seconds = 5;
};

// `intake` must outlive the router.
void add_webhook_route(net::Router& router, WebhookRouteOptions options, UpdateIntake& intake,
                       net::MetricsRegistry* metrics = nullptr);

}  // namespace kb::telegram
