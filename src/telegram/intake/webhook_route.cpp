// The webhook endpoint.
#include "telegram/intake/webhook_route.hpp"

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "net/metrics.hpp"

namespace kb::telegram {
std::string webhook_secret_for(std::string_view configured_secret, std::string_view bot_token) {
  if (!configured_secret.empty()) return std::string(configured_secret);
  if (bot_token.empty()) return {};
  // Unpadded base64url of a 32-byte key: 43 characters of Telegram's allowed A-Z a-z 0-9 _ -.
  return crypto::base64url(crypto::derive_key(bot_token, "webhook-secret"));
}

void add_webhook_route(net::Router& router, WebhookRouteOptions options, UpdateIntake& intake,
                       net::MetricsRegistry* metrics) {
  auto* m = metrics;
  auto* in = &intake;
  auto o = std::make_shared<WebhookRouteOptions>(std::move(options));
  auto count = [m](std::string_view outcome) {
    if (m)
      m->counter("kiebot_webhook_updates_total", "Webhook deliveries, by outcome",
                 {{"outcome", std::string(outcome)}})
          .inc();
  };
  router.add("POST", o->path, [o, in, count](net::Request& request) -> Task<net::Response> {
    auto given = request.headers.get(kSecretHeader);
    if (o->secret.empty() || !given || !crypto::constant_time_equals(*given, o->secret)) {
      count("unauthorized");
      log::warn("webhook_unauthorized", {{"remote", request.remote_address},
                                         {"secret_header", given ? "wrong" : "missing"}});
      co_return net::Response::json(401, R"({"ok":false,"error":"unauthorized"})");
    }
    auto stored = co_await in->store(std::move(request.body));
    if (!stored) {
      count("unavailable");
      log::warn("webhook_store_failed", {{"error", stored.error().message}});
      auto response = net::Response::json(503, R"({"ok":false,"error":"try again later"})");
      response.headers.set("Retry-After", std::to_string(o->retry_after_seconds));
      co_return response;
    }
    switch (*stored) {
      case IntakeOutcome::stored:
        count("stored");
        break;
      case IntakeOutcome::duplicate:
        count("duplicate");
        break;
      case IntakeOutcome::rejected:
        count("rejected");
        break;
    }
    co_return net::Response::json(200, "{}");
  });
}

}  // namespace kb::telegram
