// Telegram-like flood control for outgoing messages: token buckets for the whole bot, each chat,
// and (per minute) each group. Pure: time is passed in.
#pragma once

#include <cstdint>
#include <map>

#include "sandbox/fake_telegram/records.hpp"

namespace kb::sandbox::tg {

class FloodControl {
 public:
  explicit FloodControl(RateLimits limits = {}) : limits_(limits) {}
  void set_limits(RateLimits limits);
  const RateLimits& limits() const { return limits_; }

  // Seconds to wait (>= 1) before a message to `chat_id` may be sent at `now_ms`; 0 when it may
  // be sent now. Takes nothing.
  int check(std::int64_t chat_id, std::int64_t now_ms);
  // Records one sent message (only successful sends count, like Telegram's flood control).
  void commit(std::int64_t chat_id, std::int64_t now_ms);
  // check() and, when allowed, commit().
  int acquire(std::int64_t chat_id, std::int64_t now_ms);

 private:
  struct Bucket {
    double tokens = -1;  // < 0: not initialised (starts full)
    std::int64_t updated_ms = 0;
  };
  // Refills and returns the wait in ms until one token is available (0: available now).
  static double wait_ms(Bucket& bucket, double per_ms, double capacity, std::int64_t now_ms);

  RateLimits limits_;
  Bucket global_;
  std::map<std::int64_t, Bucket> chats_;
  std::map<std::int64_t, Bucket> groups_;
};

}  // namespace kb::sandbox::tg
