// The long-polling loop.
#include "telegram/intake/poller.hpp"

#include <algorithm>
#include <atomic>
#include <optional>

#include "core/log.hpp"
#include "telegram/errors.hpp"

namespace kb::telegram {

struct Poller::Impl : std::enable_shared_from_this<Impl> {
  Impl(TelegramApi& api, UpdateIntake& intake, PollerOptions o)
      : api(api), intake(intake), o(std::move(o)) {}

  TelegramApi& api;
  UpdateIntake& intake;
  PollerOptions o;
  std::optional<asio::any_io_executor> executor;
  std::unique_ptr<asio::steady_timer> timer;
  std::atomic<bool> stopping{false};
  std::optional<std::int64_t> offset;
  std::atomic<std::int64_t> conflicts{0};
  bool in_conflict = false;
  bool in_standby = false;

  Task<void> pause(std::chrono::milliseconds d) {
    if (stopping) co_return;
    timer->expires_after(d);
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }

  // 0 or more new updates; an error tells the loop how long to wait.
  enum class Step { ok, standby, conflict, failed };
  struct Round {
    Step step = Step::ok;
    int stored = 0;
    std::string error;
  };

  Task<Round> round() {
    if (!offset) {
      auto stored = co_await intake.polling_offset();
      if (!stored)
        co_return Round{Step::failed, 0, "reading the offset: " + stored.error().message};
      offset = *stored;
    }
    auto lease = co_await intake.acquire_poll_lease(o.owner, o.lease_ms);
    if (!lease) co_return Round{Step::failed, 0, "poller lease: " + lease.error().message};
    if (!*lease) co_return Round{Step::standby, 0, {}};

    GetUpdates request;
    if (*offset > 0) request.offset = *offset;
    request.limit = o.limit;
    request.timeout_seconds = o.timeout_seconds;
    request.allowed_updates = o.allowed_updates;
    auto updates = co_await api.get_updates(request);
    if (stopping) co_return Round{};  // not confirmed: delivered again next time
    if (!updates) {
      auto info = classify(updates.error());
      if (info.kind == ErrorKind::conflict)
        co_return Round{Step::conflict, 0, updates.error().message};
      co_return Round{Step::failed, 0, updates.error().message};
    }
    if (updates->empty()) co_return Round{};
    std::int64_t next = *offset;
    for (const auto& u : *updates) next = std::max(next, u.update_id + 1);
    auto stored = co_await intake.store_batch(std::move(*updates), next);
    if (!stored) co_return Round{Step::failed, 0, "storing updates: " + stored.error().message};
    offset = next;
    co_return Round{Step::ok, *stored, {}};
  }

  void report(const Round& r) {
    if (r.step == Step::conflict) {
      ++conflicts;
      if (!in_conflict)
        log::warn("polling_conflict",
                  {{"error", r.error},
                   {"hint",
                    "Telegram answered 409: another process is polling with this bot token, or a "
                    "webhook is set. Stop the other instance (or run with BOT_MODE=webhook); "
                    "retrying every 30 s"}});
      in_conflict = true;
      return;
    }
    if (r.step == Step::standby) {
      if (!in_standby)
        log::info("polling_standby", {{"reason", "another instance holds the poller lease"}});
      in_standby = true;
      return;
    }
    if (r.step == Step::ok) {
      if (in_conflict) log::info("polling_conflict_resolved");
      if (in_standby) log::info("polling_active");
      in_conflict = in_standby = false;
    }
  }

  Task<void> loop() {
    auto self = shared_from_this();
    auto error_pause = o.error_pause_first;
    log::info("polling_started", {{"timeout_s", o.timeout_seconds}});
    while (!stopping) {
      auto r = co_await round();
      if (stopping) break;
      report(r);
      switch (r.step) {
        case Step::ok:
          error_pause = o.error_pause_first;
          break;
        case Step::standby:
          co_await pause(o.standby_pause);
          break;
        case Step::conflict:
          co_await pause(o.conflict_pause);
          break;
        case Step::failed:
          log::warn("polling_failed", {{"error", r.error}, {"retry_in_ms", error_pause.count()}});
          co_await pause(error_pause);
          error_pause = std::min(o.error_pause_max, error_pause * 2);
          break;
      }
    }
  }
};

Poller::Poller(TelegramApi& api, UpdateIntake& intake, PollerOptions options)
    : impl_(std::make_shared<Impl>(api, intake, std::move(options))) {}

Poller::~Poller() {
  impl_->stopping = true;
}

void Poller::start(asio::any_io_executor executor) {
  impl_->executor = executor;
  impl_->timer = std::make_unique<asio::steady_timer>(executor);
  auto self = impl_;
  asio::co_spawn(
      executor, [self]() { return self->loop(); }, asio::detached);
}

Task<void> Poller::stop() {
  auto self = impl_;
  if (self->stopping.exchange(true)) co_return;
  if (self->executor && self->timer) asio::post(*self->executor, [self] { self->timer->cancel(); });
  auto released = co_await self->intake.release_poll_lease(self->o.owner);
  if (!released) log::warn("poller_lease_release_failed", {{"error", released.error().message}});
}

Task<Result<int>> Poller::poll_once() {
  auto self = impl_;
  auto r = co_await self->round();
  self->report(r);
  if (r.step == Impl::Step::failed || r.step == Impl::Step::conflict)
    co_return fail(r.step == Impl::Step::conflict ? Errc::conflict : Errc::unavailable, r.error);
  co_return r.stored;
}

std::int64_t Poller::conflicts() const {
  return impl_->conflicts.load();
}

}  // namespace kb::telegram
