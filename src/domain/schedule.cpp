// Polling and backoff arithmetic.
#include "domain/schedule.hpp"

#include <algorithm>
#include <cmath>

namespace kb::domain {

std::int64_t poll_delay_ms(const PollPolicy& p, int check_index, bool callbacks_enabled,
                           std::int64_t expected_ms) {
  if (callbacks_enabled) {
    if (check_index == 0) return std::clamp(expected_ms, p.first_ms, p.callback_safety_ms);
    // The callback normally arrives first; the safety net backs off the longer a task runs.
    double safety = static_cast<double>(p.callback_safety_ms) * std::pow(p.growth, std::min(check_index - 1, 30));
    return std::max(p.callback_safety_ms,
                    std::min<std::int64_t>(static_cast<std::int64_t>(safety), p.callback_safety_max_ms));
  }
  double delay = static_cast<double>(p.first_ms) * std::pow(p.growth, std::min(check_index, 30));
  return std::min<std::int64_t>(static_cast<std::int64_t>(delay), p.max_ms);
}

std::int64_t retry_backoff_ms(int attempt, std::int64_t base_ms, std::int64_t cap_ms,
                              double jitter_fraction) {
  double delay = static_cast<double>(base_ms) * std::pow(2.0, std::clamp(attempt, 0, 30));
  auto capped = std::min<double>(delay, static_cast<double>(cap_ms));
  // Jitter only shortens the wait, so the cap stays a cap.
  return static_cast<std::int64_t>(capped * (1.0 - 0.5 * std::clamp(jitter_fraction, 0.0, 0.999)));
}

std::int64_t delivery_retry_delay_ms(const DeliveryRetryPolicy& policy, int attempt) {
  return retry_backoff_ms(attempt, policy.base_ms, policy.cap_ms);
}

std::optional<std::int64_t> delivery_retry_at(const DeliveryRetryPolicy& policy, int attempt,
                                              std::int64_t result_at_ms, std::int64_t now_ms) {
  const std::int64_t window_end = result_at_ms + policy.window_ms;
  if (now_ms >= window_end) return std::nullopt;
  return std::min(now_ms + delivery_retry_delay_ms(policy, attempt), window_end);
}

Deadlines deadlines_for(std::int64_t created_at_ms, std::int64_t patience_s, std::int64_t hard_limit_s) {
  return {created_at_ms + patience_s * 1000, created_at_ms + hard_limit_s * 1000};
}

}  // namespace kb::domain
