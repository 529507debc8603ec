// FakeTelegram lifecycle (start/stop), URLs, fault injection, observers and waiting.
#include "sandbox/fake_telegram/fake_telegram.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "sandbox/fake_telegram/impl.hpp"

#include <boost/asio/strand.hpp>

namespace kb::sandbox::tg {

FakeTelegram::FakeTelegram(asio::io_context& io, net::HttpClient& http, FakeTelegramOptions options)
    : impl_(std::make_shared<Impl>(io, http, std::move(options))) {
  impl_->register_routes();
}

FakeTelegram::~FakeTelegram() {
  impl_->stopped = true;
  std::lock_guard lock(impl_->mu);
  if (impl_->tick_timer)
    asio::post(impl_->tick_timer->get_executor(), [t = impl_->tick_timer] { t->cancel(); });
  if (impl_->poll)
    asio::post(impl_->poll->timer->get_executor(), [t = impl_->poll->timer] { t->cancel(); });
}

Result<std::uint16_t> FakeTelegram::start(const std::string& host, std::uint16_t port) {
  net::ServerOptions server_options;
  server_options.max_body_bytes = impl_->options.max_request_bytes;
  server_options.body_timeout = std::chrono::milliseconds(120'000);
  server_options.server_name = "fake-telegram";
  impl_->server = std::make_unique<net::HttpServer>(impl_->io, server_options, impl_->router);
  auto bound = impl_->server->listen(host, port);
  if (!bound) return fail(bound.error());
  impl_->port = *bound;
  impl_->server->start();
  {
    std::lock_guard lock(impl_->mu);
    impl_->tick_timer = std::make_shared<asio::steady_timer>(asio::make_strand(impl_->io));
  }
  auto self = impl_;
  ++self->background_tasks;
  asio::co_spawn(
      impl_->tick_timer->get_executor(), [self]() -> Task<void> { co_await self->tick_loop(); },
      [self](std::exception_ptr e) {
        --self->background_tasks;
        if (e) log::error("fake_telegram_tick_loop_crashed");
      });
  log::info("fake_telegram_started", {{"port", static_cast<int>(*bound)}});
  return *bound;
}

Task<void> FakeTelegram::stop(std::chrono::milliseconds grace) {
  auto self = impl_;
  self->stopped = true;
  {
    std::lock_guard lock(self->mu);
    if (self->poll) {
      asio::post(self->poll->timer->get_executor(), [t = self->poll->timer] { t->cancel(); });
    }
    if (self->tick_timer)
      asio::post(self->tick_timer->get_executor(), [t = self->tick_timer] { t->cancel(); });
  }
  if (self->server) co_await self->server->drain(grace);
  std::function<bool()> idle = [self] { return self->background_tasks == 0; };
  co_await kb::wait_until(std::move(idle), grace, std::chrono::milliseconds(5));
}

std::string FakeTelegram::api_url() const {
  return fmt::format("http://127.0.0.1:{}", impl_->port);
}

std::string FakeTelegram::file_url() const {
  return api_url();
}

std::string FakeTelegram::method_url(std::string_view method) const {
  return fmt::format("{}/bot{}/{}", api_url(), impl_->options.token, method);
}

const std::string& FakeTelegram::token() const {
  return impl_->options.token;
}

std::int64_t FakeTelegram::bot_id() const {
  return impl_->bot.id;
}

std::uint16_t FakeTelegram::port() const {
  return impl_->port;
}

void FakeTelegram::inject_error(std::string method, InjectedError error, int times) {
  std::lock_guard lock(impl_->mu);
  impl_->world.faults.push_back(FaultRule{ascii_lower(method), std::move(error), {}, times});
}

void FakeTelegram::inject_delay(std::string method, std::chrono::milliseconds delay, int times) {
  std::lock_guard lock(impl_->mu);
  impl_->world.faults.push_back(FaultRule{ascii_lower(method), std::nullopt, delay, times});
}

void FakeTelegram::clear_faults() {
  std::lock_guard lock(impl_->mu);
  impl_->world.faults.clear();
}

void FakeTelegram::set_random_flood(double share, int retry_after_seconds) {
  std::lock_guard lock(impl_->mu);
  impl_->world.random_flood_share = std::clamp(share, 0.0, 1.0);
  impl_->world.random_flood_retry_after = std::max(1, retry_after_seconds);
}

std::size_t FakeTelegram::random_floods() const {
  std::lock_guard lock(impl_->mu);
  return impl_->world.random_floods;
}

std::size_t FakeTelegram::early_retries() const {
  std::lock_guard lock(impl_->mu);
  return impl_->world.early_retries;
}

void FakeTelegram::set_rate_limits(RateLimits limits) {
  std::lock_guard lock(impl_->mu);
  impl_->world.flood.set_limits(limits);
}

void FakeTelegram::tick() {
  impl_->tick_now();
}

std::uint64_t FakeTelegram::subscribe(Observer observer) {
  std::lock_guard lock(impl_->observers_mu);
  auto id = impl_->next_observer++;
  impl_->observers.emplace(id, std::move(observer));
  return id;
}

void FakeTelegram::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(impl_->observers_mu);
  impl_->observers.erase(id);
}

bool FakeTelegram::wait_until(const std::function<bool()>& condition,
                              std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::uint64_t seen;
    {
      std::lock_guard lock(impl_->change_mu);
      seen = impl_->version;
    }
    if (condition()) return true;
    std::unique_lock lock(impl_->change_mu);
    // Re-checks at least every 50 ms: conditions may depend on time or on other objects.
    auto wake =
        std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
    impl_->changed.wait_until(lock, wake, [&] { return impl_->version != seen; });
    if (std::chrono::steady_clock::now() >= deadline) return condition();
  }
}

}  // namespace kb::sandbox::tg
