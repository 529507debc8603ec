// When to look at a job next: adaptive polling, retry backoff, patience and hard limits. Pure.
#pragma once

#include <cstdint>
#include <optional>

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

// Retrying the delivery of a finished result through Telegram trouble (5xx, 429, network, our
// database): the result stays deliverable for `window_ms` from when it became available, so an
// outage of Telegram delays it instead of refunding a result the provider made and billed.
struct DeliveryRetryPolicy {
  // 24 h: the provider keeps result files 14 days by most of its pages but "typically 24 hours"
  // by one (reference kie-api.md §7.3); the shorter reading keeps every retry on a live URL.
  std::int64_t window_ms = 24 * 3'600'000LL;
  std::int64_t base_ms = 2'000;
  // A few minutes at most between tries, so delivery resumes soon after an outage ends.
  std::int64_t cap_ms = 180'000;
};

// Delay before the next try after `attempt` failed tries (capped exponential backoff).
std::int64_t delivery_retry_delay_ms(const DeliveryRetryPolicy& policy, int attempt);
// When to try again after a transient failure at `now_ms`, or nothing once the window that began
// at `result_at_ms` has passed (then the job is given up and its money released). The last try
// falls on the end of the window, never after it.
std::optional<std::int64_t> delivery_retry_at(const DeliveryRetryPolicy& policy, int attempt,
                                              std::int64_t result_at_ms, std::int64_t now_ms);

struct Deadlines {
  std::int64_t patience_at_ms;  // after this the user hears "taking longer, it will come"
  std::int64_t hard_limit_at_ms;  // after this the job is given up and the money released
};
Deadlines deadlines_for(std::int64_t created_at_ms, std::int64_t patience_s, std::int64_t hard_limit_s);

}  // namespace kb::domain
