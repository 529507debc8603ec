// The provider account's credit balance for the admin panel and the balance alert: fetched from
// the API at most once per `ttl`, kept in memory, never blocking a reader.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

#include "core/asio.hpp"
#include "core/clock.hpp"

namespace kb::kie {
class KieApi;
}

namespace kb::services::admin {

struct CreditsSnapshot {
  double credits = 0;
  std::int64_t fetched_at = 0;  // ms
};

class CreditsCache {
 public:
  CreditsCache(kie::KieApi& api, const Clock& clock,
               std::chrono::milliseconds ttl = std::chrono::seconds(60));

  // The last value fetched (any age); nothing before the first successful fetch.
  std::optional<CreditsSnapshot> cached() const;
  // Fetches when the last value is older than the TTL (a failure keeps the old value and is
  // retried at the next call after the TTL). Returns the value after the attempt.
  Task<std::optional<CreditsSnapshot>> refresh_if_stale();

 private:
  kie::KieApi& api_;
  const Clock& clock_;
  std::chrono::milliseconds ttl_;
  mutable std::mutex mutex_;
  std::optional<CreditsSnapshot> last_;
  std::int64_t last_attempt_ = -1;
};

}  // namespace kb::services::admin
