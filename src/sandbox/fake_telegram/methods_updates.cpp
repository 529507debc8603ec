// getUpdates (long polling with wake-up and 409 conflicts) and webhook configuration.
#include <fmt/format.h>

#include "sandbox/fake_telegram/method_support.hpp"
#include "sandbox/fake_telegram/webhook_policy.hpp"

namespace kb::sandbox::tg {
namespace {

Json updates_array(const std::vector<Json>& updates) {
  Json a = Json::array();
  for (const auto& u : updates) a.push_back(u);
  return a;
}

// allowed_updates: a JSON array of strings; nullopt when absent or invalid (ignored, as the
// server ignores what it cannot parse).
std::optional<std::vector<std::string>> allowed_updates_param(const ApiParams& params) {
  auto text = params.get("allowed_updates");
  if (!text) return std::nullopt;
  auto parsed = Json::parse(*text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& t : parsed) {
    if (t.is_string()) out.push_back(t.get<std::string>());
  }
  return out;
}

void terminate_poll_locked(Impl& impl, ApiError reason) {
  if (!impl.poll) return;
  impl.poll->terminated = std::move(reason);
  asio::post(impl.poll->timer->get_executor(), [timer = impl.poll->timer] { timer->cancel(); });
  impl.poll.reset();
}

Task<Outcome> get_updates(Impl& impl, const ApiParams& params) {
  auto offset = params.get_int("offset", 0, INT32_MIN, INT64_MAX);
  auto limit = static_cast<std::size_t>(params.get_int("limit", 100, 1, 100));
  auto timeout = params.get_int("timeout", 0, 0, 50);
  auto executor = co_await asio::this_coro::executor;
  std::shared_ptr<LongPoll> mine;
  {
    std::lock_guard lock(impl.mu);
    if (!impl.world.webhook.url.empty())
      co_return conflict(
          "can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
          "webhook first");
    if (auto allowed = allowed_updates_param(params)) impl.world.updates.set_allowed(*allowed);
    // The older waiting request is the one terminated.
    terminate_poll_locked(
        impl, conflict("terminated by other getUpdates request; make sure that only one bot "
                       "instance is running"));
    auto updates = impl.world.updates.fetch(offset, limit, impl.now_ms());
    if (!updates.empty() || timeout == 0 || impl.stopped)
      co_return Outcome::ok(updates_array(updates));
    mine = std::make_shared<LongPoll>();
    mine->timer = std::make_shared<asio::steady_timer>(executor);
    impl.poll = mine;
  }
  // Cancellation is posted to this coroutine's strand, so it cannot run before the wait starts.
  mine->timer->expires_after(std::chrono::seconds(timeout));
  boost::system::error_code ec;
  co_await mine->timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  std::lock_guard lock(impl.mu);
  if (impl.poll == mine) impl.poll.reset();
  if (mine->terminated) co_return *mine->terminated;
  // A negative offset applied once, at the start of the request.
  auto updates = impl.world.updates.fetch(std::max<std::int64_t>(offset, 0), limit, impl.now_ms());
  co_return Outcome::ok(updates_array(updates));
}

Outcome set_webhook(Impl& impl, const ApiParams& params) {
  auto url = params.get_or("url");
  auto& hook = impl.world.webhook;
  bool drop = params.get_bool("drop_pending_updates");
  if (url.empty()) {
    if (drop) impl.world.updates.clear();
    bool had = !hook.url.empty();
    hook.url.clear();
    hook.secret_token.clear();
    return Outcome::ok(true, had ? "Webhook was deleted" : "Webhook is already deleted");
  }
  if (auto e = validate_webhook_url(url, impl.options.strict_webhook_url)) return *e;
  auto secret = params.get_or("secret_token");
  if (auto e = validate_secret_token(secret)) return *e;
  bool has_certificate = false;
  if (const auto* cert = params.file("certificate")) {
    if (cert->data.size() > (3u << 20))
      return bad_request(fmt::format("certificate size is too big ({} bytes)", cert->data.size()));
    has_certificate = true;
  }
  auto max_connections = static_cast<int>(params.get_int("max_connections", 40, 1, 100));
  auto ip_address = params.get_or("ip_address");
  auto allowed = allowed_updates_param(params);
  bool same = hook.url == url && hook.secret_token == secret &&
              hook.max_connections == max_connections &&
              hook.has_custom_certificate == has_certificate && hook.ip_address == ip_address &&
              (!allowed || *allowed == impl.world.updates.allowed());
  if (drop) impl.world.updates.clear();
  if (same && !has_certificate) return Outcome::ok(true, "Webhook is already set");
  auto now = impl.now_ms();
  if (now - hook.last_set_ms < 1000) {
    auto e = too_many_requests(1);
    return e;
  }
  if (hook.url != url) {
    hook.last_error_date = 0;
    hook.last_error_message.clear();
  }
  hook.url = url;
  hook.secret_token = secret;
  hook.max_connections = max_connections;
  hook.has_custom_certificate = has_certificate;
  hook.ip_address = ip_address;
  hook.last_set_ms = now;
  if (allowed) impl.world.updates.set_allowed(*allowed);
  terminate_poll_locked(impl, conflict("terminated by setWebhook request"));
  impl.request_tick();
  return Outcome::ok(true, "Webhook was set");
}

Outcome delete_webhook(Impl& impl, const ApiParams& params) {
  if (params.get_bool("drop_pending_updates")) impl.world.updates.clear();
  auto& hook = impl.world.webhook;
  if (hook.url.empty()) return Outcome::ok(true, "Webhook is already deleted");
  hook.url.clear();
  hook.secret_token.clear();
  return Outcome::ok(true, "Webhook was deleted");
}

Outcome get_webhook_info(Impl& impl, const ApiParams&) {
  const auto& hook = impl.world.webhook;
  Json j;
  j["url"] = hook.url;
  j["has_custom_certificate"] = hook.has_custom_certificate;
  j["pending_update_count"] = impl.world.updates.size();
  if (!hook.url.empty()) {
    if (!hook.ip_address.empty()) j["ip_address"] = hook.ip_address;
    if (hook.last_error_date) {
      j["last_error_date"] = hook.last_error_date;
      j["last_error_message"] = hook.last_error_message;
    }
    j["max_connections"] = hook.max_connections;
  }
  const auto& allowed = impl.world.updates.allowed();
  if (!allowed.empty()) {
    Json a = Json::array();
    for (const auto& t : allowed) a.push_back(t);
    j["allowed_updates"] = std::move(a);
  }
  return Outcome::ok(std::move(j));
}

}  // namespace

std::vector<MethodSpec> update_methods() {
  return {
      {"getUpdates", nullptr, get_updates},
      {"setWebhook", set_webhook},
      {"deleteWebhook", delete_webhook},
      {"getWebhookInfo", get_webhook_info},
  };
}

}  // namespace kb::sandbox::tg
