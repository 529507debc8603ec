// Token buckets stored in the database.
#include "store/repos/rate_limits.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace kb::store {

BucketDecision take_from_bucket(std::optional<BucketState> current, std::int64_t cost,
                                std::int64_t capacity, std::int64_t refill_per_minute,
                                std::int64_t now) {
  const std::int64_t full = capacity * 1000;
  std::int64_t tokens = full;
  if (current) {
    // refill_per_minute tokens per 60'000 ms = refill_per_minute millitokens per 60 ms.
    std::int64_t elapsed = std::max<std::int64_t>(0, now - current->updated_at);
    std::int64_t gained = elapsed >= 60'000 * capacity ? full : elapsed * refill_per_minute / 60;
    tokens = std::min(full, current->millitokens + gained);
  }
  const std::int64_t need = cost * 1000;
  if (tokens >= need) return {{tokens - need, now}, std::nullopt};
  std::int64_t missing = need - tokens;
  std::int64_t wait = (missing * 60 + refill_per_minute - 1) / refill_per_minute;
  return {{tokens, now}, wait};
}

Result<std::optional<std::int64_t>> RateLimits::take(std::string_view key, std::int64_t cost,
                                                     std::int64_t capacity,
                                                     std::int64_t refill_per_minute,
                                                     std::int64_t now) {
  if (cost <= 0 || capacity <= 0 || refill_per_minute <= 0)
    return fail(Errc::invalid_input, "rate limit needs cost, capacity and refill > 0");
  if (cost > capacity)
    return fail(Errc::invalid_input, "rate limit cost exceeds the bucket capacity");
  // Create the bucket full if it is missing, then lock it: concurrent takers on the same key
  // (other instances included) queue on the row lock and each sees the previous one's result.
  KB_TRY(
      c_.exec("INSERT INTO rate_buckets (bucket_key, millitokens, updated_at) VALUES ($1, $2, "
              "@ts($3)) ON CONFLICT (bucket_key) DO NOTHING",
              key, capacity * 1000, now));
  auto row = KB_TRY(c_.query_one(
      "SELECT millitokens, @ms(updated_at) FROM rate_buckets WHERE bucket_key = $1 @for_update",
      key));
  if (!row) return fail(Errc::internal, "rate bucket vanished");
  auto decision = take_from_bucket(BucketState{row->i64(0), row->i64(1)}, cost, capacity,
                                   refill_per_minute, now);
  KB_TRY(c_.exec(
      "UPDATE rate_buckets SET millitokens = $2, updated_at = @ts($3) WHERE bucket_key = $1", key,
      decision.next.millitokens, decision.next.updated_at));
  return decision.wait_ms;
}

Result<std::optional<std::int64_t>> RateLimits::take_user(std::int64_t user_id, std::int64_t cost,
                                                          std::int64_t capacity,
                                                          std::int64_t refill_per_minute,
                                                          std::int64_t now) {
  return take(fmt::format("user:{}", user_id), cost, capacity, refill_per_minute, now);
}

}  // namespace kb::store
