// The confirm transaction.
#include "services/jobs/confirm.hpp"

#include "catalog/pricing.hpp"
#include "domain/job_state.hpp"

namespace kb::services {

Result<ConfirmResult> confirm_job(store::Tx& tx, const ConfirmRequest& r, std::int64_t now) {
  ConfirmResult result;
  if (auto existing = KB_TRY(tx.jobs().get_by_key(r.idempotency_key))) {
    if (existing->user_id != r.user_id) return fail(Errc::conflict, "confirm key reused by another user");
    result.status = ConfirmStatus::existing;
    result.price = existing->price_kopecks;
    result.job = std::move(*existing);
    result.balance_after = KB_TRY(tx.ledger().balance(r.user_id));
    return result;
  }
  if (!r.model || !r.model->enabled) {
    result.status = ConfirmStatus::model_unavailable;
    return result;
  }
  if (KB_TRY(tx.jobs().count_active_for_user(r.user_id)) >= r.max_active_jobs) {
    result.status = ConfirmStatus::too_many_active;
    return result;
  }
  result.price = KB_TRY(catalog::price_of(*r.model, r.values));
  auto plan = plan_funding(tx, r.user_id, r.model->free, result.price, r.free, now);
  if (!plan) {
    if (plan.error().code != Errc::insufficient_funds) return fail(plan.error());
    result.status = ConfirmStatus::insufficient_funds;
    result.balance_after = KB_TRY(tx.ledger().balance(r.user_id));
    return result;
  }
  store::JobDraft draft;
  draft.user_id = r.user_id;
  draft.chat_id = r.chat_id;
  draft.model_id = r.model->id;
  draft.inputs_json = catalog::values_to_json(r.values).dump();
  draft.price_kopecks = plan->charge;
  draft.is_free = plan->funding != domain::Funding::balance;
  if (plan->funding == domain::Funding::daily_free) draft.free_day = plan->free_day;
  draft.state = std::string(domain::to_string(domain::JobState::created));
  draft.idempotency_key = r.idempotency_key;
  draft.next_check_at = now;
  auto created = KB_TRY(tx.jobs().create(draft, now));
  result.balance_after = KB_TRY(apply_funding(tx, created.job, *plan, r.free, now));
  result.status = ConfirmStatus::created;
  result.plan = *plan;
  result.job = std::move(created.job);
  return result;
}

}  // namespace kb::services
