// Money movements of a generation job, each done inside the caller's transaction: funding on
// confirm (free generation or a hold), settlement at the end (capture or release, exactly once),
// and the referral reward that a first paid generation triggers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/money.hpp"
#include "core/result.hpp"
#include "domain/free_tier.hpp"
#include "domain/job_state.hpp"
#include "services/billing/money_settings.hpp"
#include "store/tx.hpp"

namespace kb::services {

// What funding a job will look like, decided before the job row exists (it shapes the row).
struct FundingPlan {
  domain::Funding funding = domain::Funding::balance;
  Kopecks charge = 0;               // held from the balance (0 when free)
  std::string free_day;             // the day a daily free generation counts against
  int free_left_after = 0;          // daily free generations left after this one
  store::Balance balance_before;
};

// Plans the funding of a generation with list price `price`. Errc::insufficient_funds when it must
// be paid from a balance that is too small (the message carries nothing secret; the UI offers a
// top-up).
Result<FundingPlan> plan_funding(store::Tx& tx, std::int64_t user_id, bool model_is_free,
                                 Kopecks price, const FreeTierSettings& free, std::int64_t now);

// Takes the planned funding for a freshly created job: consumes the free generation, or places the
// hold. Errc::insufficient_funds / Errc::conflict when a concurrent confirm took it first.
Result<store::Balance> apply_funding(store::Tx& tx, const store::Job& job, const FundingPlan& plan,
                                     const FreeTierSettings& free, std::int64_t now);

// What a settlement did, so the caller can tell the user (and the inviter) what happened.
struct SettlementResult {
  bool applied = false;  // false: this job was settled before (nothing changed now)
  std::optional<std::int64_t> rewarded_referrer;  // a referral reward was granted to this user
};

// Captures (delivered) or releases (failed, expired, cancelled) what the job took, exactly once.
// Free jobs give their free generation back on release. A first captured paid generation of an
// invited user pays the referral reward.
Result<SettlementResult> settle_job(store::Tx& tx, const store::Job& job, domain::Settlement how,
                                    const ReferralSettings& referral, std::int64_t now);

// The referral reward for `invited_user_id`, paid once (first paid generation or first top-up).
Result<std::optional<std::int64_t>> reward_referrer_if_due(store::Tx& tx, std::int64_t invited_user_id,
                                                           const ReferralSettings& referral,
                                                           std::int64_t now);

}  // namespace kb::services
