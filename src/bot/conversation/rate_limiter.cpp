// Rate limiting of user actions.
#include "bot/conversation/rate_limiter.hpp"

namespace kb::bot {

Result<std::optional<std::int64_t>> RateLimiter::take(store::Tx& tx, std::int64_t user_id,
                                                      std::int64_t cost, std::int64_t now) {
  if (persisted_)
    return tx.rate_limits().take_user(user_id, cost, config_.capacity, config_.refill_per_minute,
                                      now);
  std::lock_guard lock(mutex_);
  auto it = memory_.find(user_id);
  auto state = it == memory_.end() ? domain::BucketState{} : it->second;
  auto taken = domain::take_tokens(config_, state, cost, now);
  memory_[user_id] = taken.state;
  if (memory_.size() > 100'000) memory_.clear();  // bounded: a full bucket is the safe default
  if (taken.allowed) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{taken.retry_after_ms};
}

}  // namespace kb::bot
