// Dispatcher: the claim loop, bounded concurrency, retries, dead letters and purging.
#include "services/dispatcher/dispatcher.hpp"

#include <algorithm>

#include "domain/schedule.hpp"
#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "net/metrics.hpp"

namespace kb::services {
namespace {

constexpr std::int64_t kPurgeEveryMs = 10 * 60'000;

}  // namespace

struct Dispatcher::Impl : std::enable_shared_from_this<Impl> {
  Impl(store::Database& db, UpdateHandler& handler, const Clock& clock, DispatcherOptions o,
       net::MetricsRegistry* metrics)
      : db(db), handler(handler), clock(clock), o(std::move(o)), metrics(metrics) {}

  store::Database& db;
  UpdateHandler& handler;
  const Clock& clock;
  DispatcherOptions o;
  net::MetricsRegistry* metrics;

  std::optional<asio::any_io_executor> executor;
  std::unique_ptr<asio::steady_timer> wake_timer;
  std::atomic<bool> stopping{false};
  std::atomic<bool> wake_pending{false};
  std::atomic<int> in_flight{0};
  std::int64_t last_purge_ms = 0;

  void wake() {
    wake_pending = true;
    if (executor && wake_timer) {
      auto self = shared_from_this();
      asio::post(*executor, [self] { self->wake_timer->cancel(); });
    }
  }

  void count(std::string_view outcome) {
    if (metrics)
      metrics
          ->counter("kiebot_updates_handled_total", "Inbox items handled, by outcome",
                    {{"outcome", std::string(outcome)}})
          .inc();
  }

  Task<void> loop() {
    auto self = shared_from_this();
    if (o.start_delay.count() > 0) {
      log::warn("dispatcher_start_delayed", {{"delay_ms", o.start_delay.count()}});
      // wake() cancels the timer; the delay is waited out anyway.
      auto until = std::chrono::steady_clock::now() + o.start_delay;
      while (!stopping && std::chrono::steady_clock::now() < until) {
        wake_timer->expires_at(until);
        boost::system::error_code ec;
        co_await wake_timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    while (!stopping) {
      wake_pending = false;
      co_await scan(false);
      if (stopping) break;
      if (wake_pending) continue;
      wake_timer->expires_after(o.scan_interval);
      boost::system::error_code ec;
      co_await wake_timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  Task<int> scan(bool inline_work) {
    int capacity = o.max_concurrent - in_flight.load();
    if (capacity <= 0) co_return 0;
    auto now = clock.now_ms();
    auto claimed = co_await db.transact<std::vector<store::InboxItem>>(
        [&](store::Tx& tx) { return tx.inbox().claim_next(o.owner, now, o.lease_ms, capacity); });
    if (!claimed) {
      log::warn("inbox_claim_failed", {{"error", claimed.error().message}});
      co_return 0;
    }
    auto self = shared_from_this();
    for (auto& item : *claimed) {
      ++in_flight;
      if (inline_work) {
        co_await run_item(std::move(item));
        continue;
      }
      auto shared_item = std::make_shared<store::InboxItem>(std::move(item));
      asio::co_spawn(
          *executor, [self, shared_item]() { return self->run_item(*shared_item); },
          asio::detached);
    }
    co_await purge_if_due();
    co_return static_cast<int>(claimed->size());
  }

  // in_flight was incremented by the caller.
  Task<void> run_item(store::InboxItem item) {
    auto self = shared_from_this();
    // Claimed this often without an outcome (each crash or lapsed lease counts): a poison update
    // that kills the process is not run again; it becomes dead.
    if (item.attempts >= o.max_attempts) {
      // Named, not a temporary inside the co_await (GCC 12 destroys such temporaries twice).
      const Error abandoned{Errc::internal, "claimed repeatedly without an outcome (crash or lost lease)"};
      co_await retry(item, abandoned);
      --in_flight;
      wake();
      co_return;
    }
    Result<void> outcome;
    try {
      outcome = co_await handler.handle(item);
    } catch (const std::exception& e) {
      log::error("update_handler_threw", {{"update_id", item.update_id}, {"error", e.what()}});
      outcome = fail(Errc::internal, std::string("handler threw: ") + e.what());
    } catch (...) {
      log::error("update_handler_threw", {{"update_id", item.update_id}, {"error", "unknown"}});
      outcome = fail(Errc::internal, "handler threw");
    }
    if (outcome) {
      count("done");
    } else {
      co_await retry(item, outcome.error());
    }
    --in_flight;
    wake();  // the chat's next item (or a waiting chat) may go now
  }

  Task<void> retry(const store::InboxItem& item, const Error& error) {
    auto now = clock.now_ms();
    auto at = now + domain::retry_backoff_ms(item.attempts, o.retry_first_ms, o.retry_max_ms);
    auto id = item.update_id;
    const auto& reason = error.message;
    int max_attempts = o.max_attempts;
    auto r = co_await db.transact<store::InboxRetry>(
        [&](store::Tx& tx) { return tx.inbox().retry_later(id, reason, at, max_attempts); });
    if (!r) {
      // Probably the database itself: the lease expires and the item is taken again.
      log::warn("update_retry_not_recorded",
                {{"update_id", id}, {"error", error.message}, {"db_error", r.error().message}});
      count("error");
    } else if (*r == store::InboxRetry::dead) {
      log::error("update_dead", {{"update_id", id},
                                 {"kind", item.kind},
                                 {"attempts", item.attempts + 1},
                                 {"error", error.message},
                                 {"hint",
                                  "a bug or a poison update: the row is kept in inbox "
                                  "with status 'dead'"}});
      count("dead");
    } else {
      log::warn("update_retry_scheduled",
                {{"update_id", id}, {"attempt", item.attempts + 1}, {"error", error.message}});
      count("retry");
    }
  }

  Task<void> purge_if_due() {
    auto now = clock.now_ms();
    if (last_purge_ms != 0 && now - last_purge_ms < kPurgeEveryMs) co_return;
    last_purge_ms = now;
    auto before = now - o.retention_ms;
    auto purged = co_await db.transact<std::int64_t>(
        [&](store::Tx& tx) { return tx.inbox().purge_processed_before(before); });
    if (!purged)
      log::warn("inbox_purge_failed", {{"error", purged.error().message}});
    else if (*purged > 0)
      log::info("inbox_purged", {{"rows", *purged}});
  }
};

Dispatcher::Dispatcher(store::Database& db, UpdateHandler& handler, const Clock& clock,
                       DispatcherOptions options, net::MetricsRegistry* metrics)
    : impl_(std::make_shared<Impl>(db, handler, clock, std::move(options), metrics)) {}

Dispatcher::~Dispatcher() {
  impl_->stopping = true;
}

void Dispatcher::start(asio::any_io_executor executor) {
  impl_->executor = executor;
  impl_->wake_timer = std::make_unique<asio::steady_timer>(executor);
  auto self = impl_;
  asio::co_spawn(
      executor, [self]() { return self->loop(); }, asio::detached);
}

Task<void> Dispatcher::stop(std::chrono::milliseconds grace) {
  auto self = impl_;
  self->stopping = true;
  self->wake();
  std::function<bool()> idle = [self] { return self->in_flight.load() == 0; };
  if (!co_await wait_until(std::move(idle), grace))
    log::warn("dispatcher_stop_timeout", {{"handlers_still_running", self->in_flight.load()}});
}

void Dispatcher::wake() {
  impl_->wake();
}

Task<int> Dispatcher::run_until_idle() {
  auto self = impl_;
  int total = 0;
  for (;;) {
    int n = co_await self->scan(true);
    if (n == 0) break;
    total += n;
  }
  co_return total;
}

int Dispatcher::running() const {
  return impl_->in_flight.load();
}

}  // namespace kb::services
