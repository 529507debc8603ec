// Sliding-window limiter (see sliding_window.hpp).
#include "kie/sliding_window.hpp"

#include <algorithm>

namespace kb::kie {

SlidingWindowLimiter::SlidingWindowLimiter(std::size_t limit, std::chrono::milliseconds window)
    : limit_(std::max<std::size_t>(limit, 1)),
      window_ms_(std::max<std::int64_t>(window.count(), 1)) {}

void SlidingWindowLimiter::expire(std::int64_t now_ms) {
  while (!events_.empty() && events_.front() + window_ms_ <= now_ms) events_.pop_front();
}

std::int64_t SlidingWindowLimiter::try_acquire(std::int64_t now_ms) {
  expire(now_ms);
  if (events_.size() < limit_) {
    // Keep the deque ordered even if the wall clock stepped backwards.
    events_.push_back(events_.empty() ? now_ms : std::max(now_ms, events_.back()));
    return 0;
  }
  // A clock that stepped back must not turn into a wait longer than one window.
  return std::clamp<std::int64_t>(events_.front() + window_ms_ - now_ms, 1, window_ms_);
}

std::size_t SlidingWindowLimiter::in_window(std::int64_t now_ms) {
  expire(now_ms);
  return events_.size();
}

}  // namespace kb::kie
