// Retry decisions for Bot API calls.
#include "telegram/retry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace kb::telegram {

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt,
                                        double unit_random) {
  double base = static_cast<double>(policy.initial_backoff.count()) *
                std::pow(2.0, std::clamp(attempt - 1, 0, 30));
  base = std::min(base, static_cast<double>(policy.max_backoff.count()));
  double factor = 1.0 + policy.jitter * (2.0 * std::clamp(unit_random, 0.0, 1.0) - 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(0.0, base * factor)));
}

RetryDecision decide_retry(const RetryPolicy& policy, RetryState& state, FailureType failure,
                           std::optional<int> retry_after, bool may_duplicate, bool single_shot,
                           double unit_random) {
  if (single_shot || failure == FailureType::final) return {};
  if (failure == FailureType::rate_limited) {
    // A 429 without a usable value still must not turn into a tight loop.
    auto wait = std::chrono::milliseconds(std::max(1, retry_after.value_or(1)) * 1000LL);
    if (state.rate_limit_waited + wait > policy.max_rate_limit_wait) return {};
    state.rate_limit_waited += wait;
    return {true, wait};
  }
  if (state.attempts >= policy.max_attempts) return {};
  if (failure == FailureType::ambiguous && may_duplicate) {
    if (state.ambiguous_retries >= policy.max_ambiguous_retries) return {};
    ++state.ambiguous_retries;
  }
  auto delay = backoff_delay(policy, state.attempts, unit_random);
  ++state.attempts;
  return {true, delay};
}

}  // namespace kb::telegram
