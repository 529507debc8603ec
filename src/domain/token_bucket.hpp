// Token-bucket arithmetic for per-user rate limiting (and any other budget). Pure.
#pragma once

#include <cstdint>

namespace kb::domain {

struct BucketConfig {
  std::int64_t capacity = 30;         // tokens (burst)
  std::int64_t refill_per_minute = 20;
};

// Tokens are kept in thousandths so refills stay exact integers.
struct BucketState {
  std::int64_t millitokens = -1;  // -1: a fresh bucket (full)
  std::int64_t updated_ms = 0;
};

struct TakeResult {
  bool allowed = false;
  BucketState state;           // the state to store (unchanged tokens when refused)
  std::int64_t retry_after_ms = 0;  // when refused: how long until `cost` tokens are available
};

TakeResult take_tokens(const BucketConfig& config, BucketState state, std::int64_t cost,
                       std::int64_t now_ms);

}  // namespace kb::domain
