// PeriodicTask: the loop, its wake-up timer and the bounded stop.
#include "core/periodic_task.hpp"

#include <atomic>
#include <optional>

#include <boost/asio/strand.hpp>

#include "core/log.hpp"
#include "core/with_timeout.hpp"

namespace kb {

struct PeriodicTask::State {
  std::optional<asio::any_io_executor> executor;
  std::unique_ptr<asio::steady_timer> timer;
  std::atomic<bool> stopping{false};
  std::atomic<bool> running{false};
};

PeriodicTask::PeriodicTask() : state_(std::make_shared<State>()) {}

PeriodicTask::~PeriodicTask() {
  state_->stopping = true;
}

void PeriodicTask::start(asio::any_io_executor executor, std::chrono::milliseconds interval,
                         First first, Step step) {
  auto state = state_;
  // One strand for the loop, its timer and stop()'s cancel: the io_context may run on several
  // threads, and a cancel racing the timer's wait could be lost.
  auto strand = asio::make_strand(executor);
  state->executor = strand;
  state->timer = std::make_unique<asio::steady_timer>(strand);
  state->running = true;
  asio::co_spawn(
      strand,
      [state, interval, first, step = std::move(step)]() -> Task<void> {
        bool wait = first == First::wait;
        while (!state->stopping) {
          if (wait) {
            state->timer->expires_after(interval);
            boost::system::error_code ec;
            co_await state->timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (state->stopping) break;
          }
          wait = true;
          // A step that throws is a bug in it, not a reason to stop the loop for good.
          try {
            co_await step();
          } catch (const std::exception& e) {
            log::error("periodic_step_threw", {{"error", e.what()}});
          }
        }
        state->running = false;
      },
      [state](std::exception_ptr) { state->running = false; });
}

Task<bool> PeriodicTask::stop(std::chrono::milliseconds grace) {
  auto state = state_;
  state->stopping = true;
  if (state->executor && state->timer)
    asio::post(*state->executor, [state] { state->timer->cancel(); });
  std::function<bool()> idle = [state] { return !state->running; };
  bool stopped = co_await wait_until(std::move(idle), grace);
  co_return stopped;
}

}  // namespace kb
