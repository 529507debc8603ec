// Per-user token buckets for the conversation: in the database (`rate_limits` feature, shared by
// every instance) or, when that optional table is missing, in this process (a documented
// per-instance approximation). Admins are exempt (decided by the caller).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

#include "core/result.hpp"
#include "domain/token_bucket.hpp"
#include "store/tx.hpp"

namespace kb::bot {

class RateLimiter {
 public:
  RateLimiter(domain::BucketConfig config, bool persisted)
      : config_(config), persisted_(persisted) {}

  // Takes `cost` tokens; nothing when allowed, otherwise the milliseconds to wait.
  Result<std::optional<std::int64_t>> take(store::Tx& tx, std::int64_t user_id, std::int64_t cost,
                                           std::int64_t now);

 private:
  domain::BucketConfig config_;
  bool persisted_;
  std::mutex mutex_;
  std::map<std::int64_t, domain::BucketState> memory_;
};

}  // namespace kb::bot
