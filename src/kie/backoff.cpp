// Backoff delays (see backoff.hpp).
#include "kie/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace kb::kie {

std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt,
                                        double unit_random) {
  const double cap = static_cast<double>(policy.max.count());
  double base = static_cast<double>(policy.initial.count()) *
                std::pow(std::max(policy.multiplier, 1.0), std::max(attempt - 1, 0));
  base = std::min(base, cap);
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  const double factor = 1.0 + jitter * (2.0 * std::clamp(unit_random, 0.0, 1.0) - 1.0);
  const double delay = std::clamp(base * factor, 0.0, cap);
  return std::chrono::milliseconds(static_cast<long long>(std::llround(delay)));
}

}  // namespace kb::kie
