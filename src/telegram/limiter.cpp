// Timer-driven pump around LimiterCore.
#include "telegram/limiter.hpp"

#include <mutex>
#include <unordered_map>
#include <vector>

#include <boost/asio/strand.hpp>

#include "core/completion.hpp"

namespace kb::telegram {

struct OutboundLimiter::Impl : std::enable_shared_from_this<OutboundLimiter::Impl> {
  using Clock = std::chrono::steady_clock;

  Impl(asio::any_io_executor executor, RateLimitConfig config)
      : core(config), strand(asio::make_strand(executor)), timer(strand) {}

  mutable std::mutex mutex;
  LimiterCore core;
  std::unordered_map<LimiterCore::Ticket, Completion<bool>> waiters;
  bool stopped = false;

  // Touched on the strand only.
  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;
  std::optional<Clock::time_point> armed_at;
  std::uint64_t generation = 0;

  // Grants what may go now; the caller runs the returned completions outside the lock.
  std::vector<Completion<bool>> grant_locked() {
    std::vector<Completion<bool>> ready;
    for (auto ticket : core.grant(Clock::now())) {
      auto it = waiters.find(ticket);
      if (it == waiters.end()) continue;
      ready.push_back(std::move(it->second));
      waiters.erase(it);
    }
    return ready;
  }

  void schedule() {
    asio::post(strand, [self = shared_from_this()] { self->arm(); });
  }

  // On the strand: make sure the timer fires by the next time something can be granted.
  void arm() {
    std::optional<Clock::time_point> next;
    {
      std::lock_guard lock(mutex);
      if (stopped) return;
      next = core.next_wake(Clock::now());
    }
    if (!next) return;
    if (armed_at && *armed_at <= *next) return;  // an earlier wake-up is already pending
    armed_at = next;
    auto gen = ++generation;
    timer.expires_at(*next);
    timer.async_wait([self = shared_from_this(), gen](boost::system::error_code ec) {
      if (ec == asio::error::operation_aborted) return;
      if (gen == self->generation) self->armed_at.reset();
      self->pump();
    });
  }

  void pump() {
    std::vector<Completion<bool>> ready;
    {
      std::lock_guard lock(mutex);
      if (stopped) return;
      ready = grant_locked();
    }
    arm();
    for (auto& done : ready) done(true);
  }
};

namespace {

// Queues a call (or, with `requeue`, hands back the caller's slot and queues it at the head) and
// resumes when it is granted.
Task<Result<void>> wait_turn(OutboundLimiter::Impl* impl, std::optional<std::int64_t> chat_id,
                             int cost, bool requeue) {
  // Only raw pointers and trivial values in the initiation lambda (GCC 12, see architecture.md).
  bool granted = co_await asio::async_initiate<decltype(asio::use_awaitable), void(bool)>(
      [impl, chat_id, cost, requeue](auto handler) {
        // Once a completion has run, the awaiting coroutine may resume on another thread and
        // destroy this lambda: nothing below may touch its captures after that.
        OutboundLimiter::Impl* self = impl;
        Completion<bool> done(std::move(handler));
        std::vector<Completion<bool>> ready;
        {
          std::lock_guard lock(self->mutex);
          auto now = OutboundLimiter::Impl::Clock::now();
          if (self->stopped) {
            if (requeue) self->core.release(chat_id);
            done(false);
            return;
          }
          auto ticket = requeue ? self->core.requeue(chat_id, cost, now)
                                : self->core.enqueue(chat_id, cost, now);
          self->waiters.emplace(ticket, std::move(done));
          ready = self->grant_locked();
        }
        self->schedule();
        for (auto& c : ready) c(true);
      },
      asio::use_awaitable);
  if (!granted) co_return fail(Errc::unavailable, "outbound limiter stopped");
  co_return Result<void>{};
}

}  // namespace

OutboundLimiter::OutboundLimiter(asio::any_io_executor executor, RateLimitConfig config)
    : impl_(std::make_shared<Impl>(std::move(executor), config)) {}

OutboundLimiter::~OutboundLimiter() {
  shutdown();
}

void OutboundLimiter::shutdown() {
  std::unordered_map<LimiterCore::Ticket, Completion<bool>> waiters;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
    waiters.swap(impl_->waiters);
  }
  for (auto& [ticket, done] : waiters) done(false);
  asio::post(impl_->strand, [impl = impl_] { impl->timer.cancel(); });
}

Task<Result<void>> OutboundLimiter::acquire(std::optional<std::int64_t> chat_id, int cost) {
  return wait_turn(impl_.get(), chat_id, cost, /*requeue=*/false);
}

Task<Result<void>> OutboundLimiter::reacquire(std::optional<std::int64_t> chat_id, int cost) {
  return wait_turn(impl_.get(), chat_id, cost, /*requeue=*/true);
}

void OutboundLimiter::release(std::optional<std::int64_t> chat_id) {
  std::vector<Completion<bool>> ready;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->core.release(chat_id);
    if (impl_->stopped) return;
    ready = impl_->grant_locked();
  }
  impl_->schedule();
  for (auto& done : ready) done(true);
}

LimiterCore::Scope OutboundLimiter::on_rate_limited(std::optional<std::int64_t> chat_id,
                                                    std::chrono::milliseconds retry_after) {
  LimiterCore::Scope scope;
  {
    std::lock_guard lock(impl_->mutex);
    scope = impl_->core.on_rate_limited(chat_id, retry_after, Impl::Clock::now());
  }
  impl_->schedule();
  return scope;
}

std::size_t OutboundLimiter::queued() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->core.queued();
}

}  // namespace kb::telegram
