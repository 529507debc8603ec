// Persistent token buckets (optional feature: Database::features().rate_limits), shared by every
// instance on the same database: per-user action limits and bot-wide budgets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

// Pure token-bucket arithmetic in integer millitokens (no floating point drift between instances).
struct BucketState {
  std::int64_t millitokens = 0;
  std::int64_t updated_at = 0;
};
struct BucketDecision {
  BucketState next;
  std::optional<std::int64_t> wait_ms;  // empty: taken; otherwise how long until it would fit
};
// A missing bucket starts full. cost and capacity are whole tokens; refill_per_minute > 0.
BucketDecision take_from_bucket(std::optional<BucketState> current, std::int64_t cost,
                                std::int64_t capacity, std::int64_t refill_per_minute,
                                std::int64_t now);

class RateLimits {
 public:
  explicit RateLimits(db::Connection& c) : c_(c) {}

  // Takes `cost` tokens from the bucket `key` if it has them (then: nothing); otherwise takes
  // nothing and returns the milliseconds until it would. Atomic per key across instances.
  Result<std::optional<std::int64_t>> take(std::string_view key, std::int64_t cost,
                                           std::int64_t capacity, std::int64_t refill_per_minute,
                                           std::int64_t now);
  // The per-user bucket ("user:<id>").
  Result<std::optional<std::int64_t>> take_user(std::int64_t user_id, std::int64_t cost,
                                                std::int64_t capacity,
                                                std::int64_t refill_per_minute, std::int64_t now);

 private:
  db::Connection& c_;
};

}  // namespace kb::store
