// Background work of the fake: the housekeeping tick (deadline expiry) and webhook delivery with
// per-chat ordering, max_connections, backoff, Retry-After and last_error bookkeeping.
#include <fmt/format.h>

#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "sandbox/fake_telegram/methods.hpp"

#include <boost/asio/strand.hpp>

namespace kb::sandbox::tg {
namespace {

std::string reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      if (status >= 300 && status < 400) return "Redirect";
      return "Error";
  }
}

std::string transport_error_message(const Error& error) {
  switch (error.code) {
    case Errc::timeout:
      return "Read timeout expired";
    case Errc::unavailable:
      return "Connection refused";
    default:
      return "Webhook connection closed";
  }
}

std::optional<int> retry_after_header(const net::ClientResponse& response) {
  auto v = response.headers.get("Retry-After");
  if (!v) return std::nullopt;
  auto n = to_integer(*v);
  if (n <= 0) return std::nullopt;
  return static_cast<int>(std::min<std::int64_t>(n, 3600));
}

// Methods a webhook answer may not call (their results would be invisible anyway).
bool callable_from_webhook_reply(std::string_view method) {
  if (method.substr(0, 3) == "get") return false;
  return method != "setWebhook" && method != "deleteWebhook" && method != "close" &&
         method != "logOut";
}

}  // namespace

void Impl::expire_deadlines_locked() {
  auto now = now_ms();
  auto window = options.pre_checkout_window.count();
  for (auto& p : world.payments) {
    if (p.state != PaymentState::awaiting_answer || now <= p.created_ms + window) continue;
    p.state = PaymentState::expired;
    ChatEvent e;
    e.kind = ChatEvent::Kind::payment_changed;
    e.chat_id = p.user_id;
    e.data = {{"pre_checkout_query_id", p.pre_checkout_query_id},
              {"state", payment_state_name(p.state)},
              {"payload", p.payload}};
    emit_locked(std::move(e));
  }
  world.updates.drop_expired(now);
}

void Impl::tick_now() {
  struct Job {
    std::int64_t id;
    std::string body;
    int attempt;
  };
  std::vector<Job> jobs;
  std::string url, secret;
  {
    std::lock_guard lock(mu);
    tick_requested = false;
    expire_deadlines_locked();
    if (!world.webhook.url.empty() && !stopped) {
      url = world.webhook.url;
      secret = world.webhook.secret_token;
      auto in_flight = world.updates.in_flight();
      auto limit = static_cast<std::size_t>(std::max(1, world.webhook.max_connections));
      if (in_flight < limit) {
        for (auto& due : world.updates.take_due(now_ms(), limit - in_flight)) {
          jobs.push_back(Job{due.id, due.update.dump(), world.updates.attempts(due.id)});
        }
      }
    }
  }
  for (auto& job : jobs) {
    ++background_tasks;
    auto self = shared_from_this();
    asio::co_spawn(
        asio::make_strand(io),
        [self, job = std::move(job), url, secret]() -> Task<void> {
          co_await self->deliver(job.id, job.body, url, secret, job.attempt);
        },
        [self](std::exception_ptr e) {
          --self->background_tasks;
          if (e) log::error("fake_telegram_delivery_crashed");
        });
  }
  after_change();
}

Task<void> Impl::tick_loop() {
  while (!stopped) {
    tick_now();
    boost::system::error_code ec;
    tick_timer->expires_after(options.tick_interval);
    co_await tick_timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

Task<void> Impl::deliver(std::int64_t update_id, std::string body, std::string url,
                         std::string secret, int attempt) {
  net::ClientRequest request;
  request.method = "POST";
  request.url = url;
  request.headers.set("Content-Type", "application/json");
  if (!secret.empty()) request.headers.set("X-Telegram-Bot-Api-Secret-Token", secret);
  request.body = std::move(body);
  request.timeout = options.webhook_timeout;
  request.upstream = "fake_telegram_webhook";
  auto response = co_await http.send(std::move(request));

  DeliveryAttempt record;
  record.update_id = update_id;
  record.attempt = attempt;
  record.secret_header = secret;
  std::optional<int> retry_after;
  std::string reply_body;
  if (!response) {
    record.error = transport_error_message(response.error());
  } else {
    record.status = response->status;
    if (response->status < 200 || response->status >= 300) {
      record.error = fmt::format("Wrong response from the webhook: {} {}", response->status,
                                 reason_phrase(response->status));
      retry_after = retry_after_header(*response);
    } else {
      reply_body = std::move(response->body);
    }
  }
  {
    std::lock_guard lock(mu);
    record.at_ms = now_ms();
    if (record.error.empty()) {
      world.updates.delivered(update_id);
    } else {
      world.webhook.last_error_date = now_s();
      world.webhook.last_error_message = record.error;
      world.updates.failed(update_id, now_ms(), retry_after, world.next_random());
    }
    world.deliveries.push_back(std::move(record));
    request_tick();
  }
  after_change();

  // A 2xx answer may carry a method call, which the server executes without reporting back.
  if (!reply_body.empty()) {
    auto params = parse_api_params("application/json", "", reply_body);
    if (params) {
      auto method = params->get("method");
      auto canonical = method ? canonical_method(ascii_lower(*method)) : std::nullopt;
      if (canonical && callable_from_webhook_reply(*canonical)) {
        params->encoding = "webhook_reply";
        auto call_id = begin_call(*this, *canonical, *params);
        auto outcome = co_await run_method(*this, *canonical, *params);
        finish_call(*this, call_id, outcome);
      }
    }
  }
}

}  // namespace kb::sandbox::tg
