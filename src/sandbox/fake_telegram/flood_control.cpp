// Token buckets.
#include "sandbox/fake_telegram/flood_control.hpp"

#include <algorithm>
#include <cmath>

namespace kb::sandbox::tg {

void FloodControl::set_limits(RateLimits limits) {
  limits_ = limits;
  global_ = {};
  chats_.clear();
  groups_.clear();
}

double FloodControl::wait_ms(Bucket& b, double per_ms, double capacity, std::int64_t now_ms) {
  capacity = std::max(capacity, 1.0);
  if (b.tokens < 0) {
    b.tokens = capacity;
    b.updated_ms = now_ms;
  }
  if (now_ms > b.updated_ms) {
    b.tokens = std::min(capacity, b.tokens + static_cast<double>(now_ms - b.updated_ms) * per_ms);
    b.updated_ms = now_ms;
  }
  if (b.tokens >= 1.0 - 1e-9) return 0;
  if (per_ms <= 0) return 3600'000;
  return (1.0 - b.tokens) / per_ms;
}

int FloodControl::check(std::int64_t chat_id, std::int64_t now_ms) {
  if (!limits_.enabled) return 0;
  double wait = wait_ms(global_, limits_.global_per_second / 1000.0, limits_.global_burst, now_ms);
  wait = std::max(
      wait, wait_ms(chats_[chat_id], limits_.chat_per_second / 1000.0, limits_.chat_burst, now_ms));
  if (chat_id < 0) {
    wait = std::max(wait, wait_ms(groups_[chat_id], limits_.group_per_minute / 60'000.0,
                                  limits_.group_per_minute, now_ms));
  }
  if (wait <= 0) return 0;
  return std::max(1, static_cast<int>(std::ceil(wait / 1000.0)));
}

void FloodControl::commit(std::int64_t chat_id, std::int64_t now_ms) {
  if (!limits_.enabled) return;
  check(chat_id, now_ms);  // refills the buckets up to now
  global_.tokens -= 1;
  chats_[chat_id].tokens -= 1;
  if (chat_id < 0) groups_[chat_id].tokens -= 1;
}

int FloodControl::acquire(std::int64_t chat_id, std::int64_t now_ms) {
  auto wait = check(chat_id, now_ms);
  if (wait == 0) commit(chat_id, now_ms);
  return wait;
}

}  // namespace kb::sandbox::tg
