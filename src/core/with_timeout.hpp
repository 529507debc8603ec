// Awaits a coroutine for at most a given time (Boost 1.74 has no awaitable operators).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "core/asio.hpp"

namespace kb {

// Runs `make()` as its own coroutine; returns its value, or nothing when `timeout` passes first.
// On timeout the work keeps running in the background and its result is discarded, so `make`
// must not capture references to the caller's frame.
template <class T>
Task<std::optional<T>> with_timeout(std::function<Task<T>()> make,
                                    std::chrono::milliseconds timeout) {
  struct State {
    std::optional<T> value;
    bool done = false;
    asio::steady_timer timer;
    explicit State(asio::any_io_executor ex) : timer(ex) {}
  };
  auto executor = co_await asio::this_coro::executor;
  auto state = std::make_shared<State>(executor);
  state->timer.expires_after(timeout);
  asio::co_spawn(
      executor,
      [state, make = std::move(make)]() -> Task<void> {
        auto v = co_await make();
        state->value.emplace(std::move(v));
        state->done = true;
        state->timer.expires_at(asio::steady_timer::time_point::min());
      },
      [state](std::exception_ptr) {
        state->done = true;
        state->timer.expires_at(asio::steady_timer::time_point::min());
      });
  boost::system::error_code ec;
  if (!state->done) co_await state->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (!state->done) co_return std::nullopt;
  co_return std::move(state->value);
}

// Sleeps on the current executor.
inline Task<void> sleep_for(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(duration);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// Polls `done` every `poll` until it holds or `grace` has passed (graceful stops: "wait for the
// work in flight, but not forever"). Returns whether `done` held.
inline Task<bool> wait_until(std::function<bool()> done, std::chrono::milliseconds grace,
                             std::chrono::milliseconds poll = std::chrono::milliseconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    co_await sleep_for(poll);
  }
  co_return true;
}

}  // namespace kb
