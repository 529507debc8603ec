// When the admins are alerted (pure): provider credits below a threshold, a spike of failed jobs,
// jobs past their model's hard limit; each kind at most once per cool-down.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kb::services::admin {

struct AlertThresholds {
  double low_credits = 500;                      // KIE_BALANCE_ALERT_CREDITS
  std::int64_t failure_window_ms = 15 * 60'000;  // failures counted over this window
  std::int64_t failure_min = 10;                 // at least this many failed jobs…
  int failure_percent = 50;                      // …and at least this share of finished ones
  std::int64_t stuck_grace_ms = 5 * 60'000;      // past the hard limit by this much
  std::int64_t cooldown_ms = 3 * 3600'000;       // one alert of a kind per this time
};

bool credits_low(std::optional<double> credits, const AlertThresholds& t);
bool failure_spike(std::int64_t finished, std::int64_t failed, const AlertThresholds& t);
// `last_sent_ms`: when this kind was last sent (nothing: never).
bool cooled_down(std::optional<std::int64_t> last_sent_ms, std::int64_t now_ms,
                 const AlertThresholds& t);

}  // namespace kb::services::admin
