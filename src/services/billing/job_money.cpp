// Funding and settlement of jobs on top of the ledger and free-usage repositories.
#include "services/billing/job_money.hpp"

#include <fmt/format.h>

#include "domain/ledger_rules.hpp"

namespace kb::services {

Result<FundingPlan> plan_funding(store::Tx& tx, std::int64_t user_id, bool model_is_free, Kopecks price,
                                 const FreeTierSettings& free, std::int64_t now) {
  FundingPlan plan;
  plan.free_day = domain::day_key(now, free.utc_offset_minutes);
  plan.balance_before = KB_TRY(tx.ledger().balance(user_id));
  domain::FundingInput in;
  in.model_is_free = model_is_free;
  in.daily_limit = free.daily_limit;
  in.price = price;
  in.available = plan.balance_before.available;
  if (model_is_free) {
    in.used_today = KB_TRY(tx.free_usage().used(user_id, plan.free_day));
    in.bonus_free = KB_TRY(tx.free_usage().bonus(user_id));
  }
  auto decision = domain::decide_funding(in);
  if (decision.insufficient)
    return fail(Errc::insufficient_funds,
                fmt::format("price {} kopecks, available {}", price, plan.balance_before.available));
  plan.funding = decision.funding;
  plan.charge = decision.charge;
  plan.free_left_after = decision.free_left_after;
  return plan;
}

Result<store::Balance> apply_funding(store::Tx& tx, const store::Job& job, const FundingPlan& plan,
                                     const FreeTierSettings& free, std::int64_t now) {
  switch (plan.funding) {
    case domain::Funding::daily_free: {
      bool took = KB_TRY(tx.free_usage().consume(job.user_id, plan.free_day, free.daily_limit));
      if (!took) return fail(Errc::conflict, "the last free generation of today was just used");
      return plan.balance_before;
    }
    case domain::Funding::bonus_free: {
      bool took = KB_TRY(tx.free_usage().consume_bonus(job.user_id, now));
      if (!took) return fail(Errc::conflict, "the bonus free generation was just used");
      return plan.balance_before;
    }
    case domain::Funding::balance: {
      auto draft = store::LedgerEntryDraft::hold(job.user_id, plan.charge, domain::hold_key(job.id));
      draft.job_id = job.id;
      auto applied = KB_TRY(tx.ledger().apply(draft, now));
      return applied.balance_after;
    }
  }
  return fail(Errc::internal, "unknown funding");
}

Result<std::optional<std::int64_t>> reward_referrer_if_due(store::Tx& tx, std::int64_t invited_user_id,
                                                           const ReferralSettings& referral,
                                                           std::int64_t now) {
  if (referral.kind == ReferralSettings::Kind::none) return std::optional<std::int64_t>();
  auto link = KB_TRY(tx.referrals().get(invited_user_id));
  if (!link || link->rewarded_at) return std::optional<std::int64_t>();
  if (!KB_TRY(tx.referrals().mark_rewarded(invited_user_id, now))) return std::optional<std::int64_t>();
  if (referral.kind == ReferralSettings::Kind::kopecks) {
    auto draft = store::LedgerEntryDraft::credit(store::LedgerKind::referral_reward, link->referrer_id,
                                                 referral.amount,
                                                 domain::referral_reward_key(invited_user_id));
    draft.note = fmt::format("invited user {}", invited_user_id);
    KB_TRY(tx.ledger().apply(draft, now));
  } else {
    KB_TRY(tx.free_usage().add_bonus(link->referrer_id, static_cast<int>(referral.amount), now));
  }
  return std::optional<std::int64_t>(link->referrer_id);
}

Result<SettlementResult> settle_job(store::Tx& tx, const store::Job& job, domain::Settlement how,
                                    const ReferralSettings& referral, std::int64_t now) {
  SettlementResult result;
  if (job.is_free) {
    // Free jobs moved no money. A failed one returns its free generation; the "settled once"
    // guarantee comes from the job's terminal transition, which happens in this same transaction.
    if (how == domain::Settlement::release) {
      if (job.free_day) {
        KB_TRY(tx.free_usage().give_back(job.user_id, *job.free_day));
      } else {
        KB_TRY(tx.free_usage().add_bonus(job.user_id, 1, now));
      }
    }
    result.applied = true;
    return result;
  }
  if (job.price_kopecks <= 0) {
    result.applied = true;
    return result;
  }
  auto key = domain::settlement_key(job.id);
  auto draft = how == domain::Settlement::capture
                   ? store::LedgerEntryDraft::capture(job.user_id, job.price_kopecks, key)
                   : store::LedgerEntryDraft::release(job.user_id, job.price_kopecks, key);
  draft.job_id = job.id;
  auto applied = KB_TRY(tx.ledger().apply(draft, now));
  result.applied = applied.applied;
  if (applied.applied && how == domain::Settlement::capture)
    result.rewarded_referrer = KB_TRY(reward_referrer_if_due(tx, job.user_id, referral, now));
  return result;
}

}  // namespace kb::services
