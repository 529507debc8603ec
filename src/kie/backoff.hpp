// Retry delays: exponential backoff with a cap and optional jitter (pure).
#pragma once

#include <chrono>

namespace kb::kie {

struct BackoffPolicy {
  std::chrono::milliseconds initial{1'000};
  double multiplier = 2.0;
  std::chrono::milliseconds max{10'000};
  int max_attempts = 4;  // total attempts, the first included
  double jitter = 0.2;   // each delay is scaled by a factor in [1 - jitter, 1 + jitter]
};

// The pause after failed attempt number `attempt` (1-based). `unit_random` in [0, 1) picks the
// jitter; tests pass a fixed value (or set jitter to 0).
std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt,
                                        double unit_random);

}  // namespace kb::kie
