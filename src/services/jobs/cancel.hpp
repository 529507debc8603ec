// Cancelling a job the provider has not accepted yet (button or /cancel): released in one step.
#pragma once

#include <cstdint>
#include <optional>

#include "core/result.hpp"
#include "services/billing/money_settings.hpp"
#include "store/tx.hpp"

namespace kb::services {

enum class CancelStatus {
  cancelled,  // the hold is released / the free generation given back
  too_late,   // the provider may already be working on it: it cannot be cancelled
  not_found,  // no such job of this user (or already finished)
};

struct CancelResult {
  CancelStatus status = CancelStatus::not_found;
  std::optional<store::Job> job;
};

// Cancels `job_id` if it belongs to `user_id` and is still cancellable.
Result<CancelResult> cancel_job(store::Tx& tx, std::int64_t job_id, std::int64_t user_id,
                                const ReferralSettings& referral, std::int64_t now);
// Cancels the user's newest cancellable job (for /cancel).
Result<CancelResult> cancel_latest_job(store::Tx& tx, std::int64_t user_id, const ReferralSettings& referral,
                                       std::int64_t now);

}  // namespace kb::services
