// The account-wide budget for createTask (KIE allows about 20 creations per 10 s per account).
//
// An interface so that a database-backed budget shared by several instances (one row per KIE
// account, or the budget split by the live instance count) can replace the in-process one when
// kiebot runs more than one instance on PostgreSQL. The in-process version is exact for a single
// instance (always the case on SQLite).
#pragma once

#include <chrono>
#include <mutex>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "kie/sliding_window.hpp"

namespace kb::kie {

class CreateBudget {
 public:
  virtual ~CreateBudget() = default;
  // Takes one creation slot now (returns 0), or says how long to wait before asking again.
  virtual Task<std::chrono::milliseconds> try_acquire() = 0;
};

// In-process sliding window: at most `limit` creations in any `window`, on the injected clock.
class LocalCreateBudget final : public CreateBudget {
 public:
  LocalCreateBudget(int limit, std::chrono::milliseconds window, const Clock& clock);
  Task<std::chrono::milliseconds> try_acquire() override;

 private:
  std::mutex mutex_;
  SlidingWindowLimiter limiter_;
  const Clock& clock_;
};

// No limit (tests that are not about rate limiting).
class UnlimitedCreateBudget final : public CreateBudget {
 public:
  Task<std::chrono::milliseconds> try_acquire() override;
};

}  // namespace kb::kie
