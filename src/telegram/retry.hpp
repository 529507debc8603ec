// When to try a Bot API call again, and after how long. Pure: the client asks, then waits.
//  - 429: always, after exactly `retry_after`, while the total wait for the call stays bounded;
//  - 5xx and network failures: capped exponential backoff, a bounded number of attempts;
//  - a send that may already have reached Telegram (timeout after sending, broken connection,
//    5xx) is repeated at most once, because repeating it may duplicate the message;
//  - a call with a streamed upload is never repeated (its body cannot be produced twice).
#pragma once

#include <chrono>
#include <optional>

namespace kb::telegram {

struct RetryPolicy {
  int max_attempts = 4;  // attempts in total for 5xx/network failures, the first included
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8'000};
  double jitter = 0.2;  // each backoff is scaled by a factor in [1 - jitter, 1 + jitter]
  std::chrono::milliseconds max_rate_limit_wait{120'000};  // total 429 waiting for one call
  int max_ambiguous_retries = 1;
};

enum class FailureType {
  rate_limited,  // 429
  not_sent,      // never reached the server (DNS, refused, connect timeout)
  ambiguous,     // may have been processed: timeout after sending, broken connection, 5xx
  final,         // anything else: retrying cannot help
};

struct RetryState {
  int attempts = 1;  // made so far
  int ambiguous_retries = 0;
  std::chrono::milliseconds rate_limit_waited{0};
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
};

// `retry_after` is the 429's wait (seconds); `unit_random` in [0, 1) picks the jitter.
// Updates `state` when it decides to retry.
RetryDecision decide_retry(const RetryPolicy& policy, RetryState& state, FailureType failure,
                           std::optional<int> retry_after, bool may_duplicate, bool single_shot,
                           double unit_random);

// The backoff before attempt `attempt + 1` (attempt is 1-based).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt, double unit_random);

}  // namespace kb::telegram
