// Injectable time source: production uses the system clock, tests a manually advanced one.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace kb {

using SystemTime = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC); what gets stored and compared with expiries.
  virtual SystemTime now() const = 0;

  std::int64_t now_ms() const {
    return std::chrono::duration_cast<Millis>(now().time_since_epoch()).count();
  }
  std::int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  SystemTime now() const override { return std::chrono::system_clock::now(); }
};

// Starts at a fixed instant and moves only when told to; safe to read from several threads.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_ms = 1767225600000)  // 2026-01-01T00:00:00Z
      : ms_(start_ms) {}
  SystemTime now() const override { return SystemTime(Millis(ms_.load())); }
  void advance(Millis by) { ms_ += by.count(); }
  void set_ms(std::int64_t ms) { ms_ = ms; }

 private:
  std::atomic<std::int64_t> ms_;
};

}  // namespace kb
