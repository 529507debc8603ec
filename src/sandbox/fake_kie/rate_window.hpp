// A sliding-window counter: at most `limit` events in any `window_ms` (KIE's "20 creates per 10
// s").
#pragma once

#include <cstdint>
#include <deque>

namespace kb::sandbox {

class SlidingWindow {
 public:
  SlidingWindow(int limit, std::int64_t window_ms) : limit_(limit), window_ms_(window_ms) {}

  // Records an event at `now_ms` and returns true, or returns false (recording nothing) when the
  // window is full. A limit <= 0 disables the check.
  bool try_acquire(std::int64_t now_ms) {
    if (limit_ <= 0) return true;
    while (!events_.empty() && events_.front() <= now_ms - window_ms_) events_.pop_front();
    if (static_cast<int>(events_.size()) >= limit_) return false;
    events_.push_back(now_ms);
    return true;
  }

 private:
  int limit_;
  std::int64_t window_ms_;
  std::deque<std::int64_t> events_;
};

}  // namespace kb::sandbox
