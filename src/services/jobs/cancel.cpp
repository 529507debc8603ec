// Job cancellation.
#include "services/jobs/cancel.hpp"

#include "domain/job_state.hpp"
#include "services/billing/job_money.hpp"

namespace kb::services {

using domain::JobState;

Result<CancelResult> cancel_job(store::Tx& tx, std::int64_t job_id, std::int64_t user_id,
                                const ReferralSettings& referral, std::int64_t now) {
  CancelResult result;
  auto job = KB_TRY(tx.jobs().get(job_id));
  if (!job || job->user_id != user_id) return result;
  auto state = domain::parse_job_state(job->state);
  if (!state || domain::is_terminal(*state)) return result;
  if (!domain::user_may_cancel(*state)) {
    result.status = CancelStatus::too_late;
    result.job = std::move(job);
    return result;
  }
  store::JobPatch patch;
  patch.failure_code = "cancelled";
  patch.finish = true;
  auto moved = tx.jobs().transition(job->id, {domain::to_string(JobState::created)},
                                    domain::to_string(JobState::cancelled), patch, now);
  if (!moved) {
    // The runner took it for submission in the meantime.
    if (moved.error().code == Errc::conflict) {
      result.status = CancelStatus::too_late;
      result.job = std::move(job);
      return result;
    }
    return fail(moved.error());
  }
  KB_TRY(settle_job(tx, *moved, domain::Settlement::release, referral, now));
  result.status = CancelStatus::cancelled;
  result.job = std::move(*moved);
  return result;
}

Result<CancelResult> cancel_latest_job(store::Tx& tx, std::int64_t user_id, const ReferralSettings& referral,
                                       std::int64_t now) {
  auto jobs = KB_TRY(tx.jobs().list_for_user(user_id, 20, 0));
  CancelResult result;
  for (const auto& job : jobs) {
    auto state = domain::parse_job_state(job.state);
    if (!state || domain::is_terminal(*state)) continue;
    if (domain::user_may_cancel(*state)) return cancel_job(tx, job.id, user_id, referral, now);
    result.status = CancelStatus::too_late;
    result.job = job;
  }
  return result;
}

}  // namespace kb::services
