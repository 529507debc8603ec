// Completion<T>: a one-shot callback that resumes an awaiting coroutine on its own executor, used
// by everything that finishes work on another thread (the curl thread, database workers).
#pragma once

#include <functional>
#include <utility>

#include "core/asio.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>

namespace kb {

// Type-erased one-shot completion that runs on the awaiting coroutine's executor and keeps that
// executor's event loop alive (outstanding work) until it has run. Calling it from any thread is
// safe; calling it twice is a bug (the second call does nothing).
template <class T>
class Completion {
 public:
  Completion() = default;
  template <class Handler>
  explicit Completion(Handler&& handler) {
    auto executor = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
    fn_ = [h = std::forward<Handler>(handler), executor = std::move(executor)](T value) mutable {
      // The work-tracking executor travels with the posted handler and is released on the event
      // loop after the handler ran. This thread keeps only an untracked copy: once the handler is
      // queued it may run at once and its owner may destroy the io_context, so nothing here may
      // touch the io_context after the post (a tracked copy released here would).
      auto target = asio::prefer(executor, asio::execution::outstanding_work.untracked);
      asio::post(target, [h = std::move(h), v = std::move(value),
                          keep = std::move(executor)]() mutable { h(std::move(v)); });
    };
  }
  explicit operator bool() const { return static_cast<bool>(fn_); }
  void operator()(T value) {
    if (!fn_) return;
    auto fn = std::move(fn_);
    fn_ = nullptr;
    fn(std::move(value));
  }

 private:
  std::move_only_function<void(T)> fn_;
};

}  // namespace kb
