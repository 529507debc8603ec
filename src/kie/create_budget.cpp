// In-process create budgets (see create_budget.hpp).
#include "kie/create_budget.hpp"

namespace kb::kie {

LocalCreateBudget::LocalCreateBudget(int limit, std::chrono::milliseconds window,
                                     const Clock& clock)
    : limiter_(static_cast<std::size_t>(limit > 0 ? limit : 1), window), clock_(clock) {}

Task<std::chrono::milliseconds> LocalCreateBudget::try_acquire() {
  std::int64_t wait = 0;
  {
    std::lock_guard lock(mutex_);
    wait = limiter_.try_acquire(clock_.now_ms());
  }
  co_return std::chrono::milliseconds(wait);
}

Task<std::chrono::milliseconds> UnlimitedCreateBudget::try_acquire() {
  co_return std::chrono::milliseconds(0);
}

}  // namespace kb::kie
