// Refill-then-take with exact integer arithmetic.
#include "domain/token_bucket.hpp"

#include <algorithm>

namespace kb::domain {

TakeResult take_tokens(const BucketConfig& c, BucketState s, std::int64_t cost, std::int64_t now_ms) {
  const std::int64_t capacity = c.capacity * 1000;
  const std::int64_t need = cost * 1000;
  std::int64_t tokens = s.millitokens < 0 ? capacity : s.millitokens;
  if (s.millitokens >= 0 && now_ms > s.updated_ms) {
    // refill_per_minute tokens per 60 000 ms = refill_per_minute millitokens per 60 ms.
    tokens = std::min(capacity, tokens + (now_ms - s.updated_ms) * c.refill_per_minute / 60);
  }
  TakeResult r;
  if (tokens >= need) {
    r.allowed = true;
    r.state = {tokens - need, now_ms};
    return r;
  }
  r.allowed = false;
  r.state = {tokens, now_ms};
  std::int64_t missing = need - tokens;
  r.retry_after_ms = c.refill_per_minute > 0 ? (missing * 60 + c.refill_per_minute - 1) / c.refill_per_minute
                                             : 60'000;
  return r;
}

}  // namespace kb::domain
