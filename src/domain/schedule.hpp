// When to look at a job next: adaptive polling, retry backoff, patience and hard limits. Pure.
#pragma once

#include <cstdint>

namespace kb::domain {

struct PollPolicy {
  std::int64_t first_ms = 2'000;   // polling only: first check after this
  double growth = 1.4;             // each further check waits this much longer…
  std::int64_t max_ms = 15'000;    // …up to this
  std::int64_t callback_safety_ms = 30'000;      // with callbacks: a slow safety-net poll…
  std::int64_t callback_safety_max_ms = 120'000;  // …growing by `growth` up to this
};

// Delay before the n-th status check (n = 0 for the first) of a submitted job. With callbacks the
// first check waits for the model's expected duration; the callback usually arrives first.
std::int64_t poll_delay_ms(const PollPolicy& policy, int check_index, bool callbacks_enabled,
                           std::int64_t expected_ms);

// Exponential backoff with a cap for retrying work that was clearly not accepted (KIE outage, 429).
// `jitter_fraction` in [0,1) comes from an injected random source (0 in tests).
std::int64_t retry_backoff_ms(int attempt, std::int64_t base_ms = 2'000, std::int64_t cap_ms = 60'000,
                              double jitter_fraction = 0.0);

struct Deadlines {
  std::int64_t patience_at_ms;  // after this the user hears "taking longer, it will come"
  std::int64_t hard_limit_at_ms;  // after this the job is given up and the money released
};
Deadlines deadlines_for(std::int64_t created_at_ms, std::int64_t patience_s, std::int64_t hard_limit_s);

}  // namespace kb::domain
