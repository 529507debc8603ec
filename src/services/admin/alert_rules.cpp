// Alert rules.
#include "services/admin/alert_rules.hpp"

namespace kb::services::admin {

bool credits_low(std::optional<double> credits, const AlertThresholds& t) {
  return credits && *credits < t.low_credits;
}

bool failure_spike(std::int64_t finished, std::int64_t failed, const AlertThresholds& t) {
  return failed >= t.failure_min && finished > 0 && failed * 100 >= finished * t.failure_percent;
}

bool cooled_down(std::optional<std::int64_t> last_sent_ms, std::int64_t now_ms,
                 const AlertThresholds& t) {
  return !last_sent_ms || now_ms - *last_sent_ms >= t.cooldown_ms;
}

}  // namespace kb::services::admin
