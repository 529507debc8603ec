// A sliding-window event limiter: at most `limit` events in any `window` (pure, single-threaded).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

namespace kb::kie {

class SlidingWindowLimiter {
 public:
  SlidingWindowLimiter(std::size_t limit, std::chrono::milliseconds window);

  // Records an event at `now_ms` and returns 0 when the window has room; otherwise records
  // nothing and returns how many milliseconds until the oldest event leaves the window.
  std::int64_t try_acquire(std::int64_t now_ms);

  std::size_t in_window(std::int64_t now_ms);
  std::size_t limit() const { return limit_; }

 private:
  void expire(std::int64_t now_ms);

  std::size_t limit_;
  std::int64_t window_ms_;
  std::deque<std::int64_t> events_;  // times of granted events, oldest first
};

}  // namespace kb::kie
