// Manual bank-transfer top-ups.
#include "services/billing/manual.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/ledger_rules.hpp"
#include "services/billing/job_money.hpp"

namespace kb::services {
namespace {

// The request as it is now, after a compare-and-set that found it decided or missing.
Result<ManualDecision> settled_elsewhere(store::Tx& tx, std::int64_t request_id) {
  ManualDecision d;
  d.request = KB_TRY(tx.payments().manual(request_id));
  d.status = d.request ? ManualDecisionStatus::already_decided : ManualDecisionStatus::not_found;
  return d;
}

// pending -> decision, or the reason it could not happen (already decided, unknown).
Result<std::optional<store::ManualTopup>> decide(store::Tx& tx, std::int64_t request_id,
                                                 store::ManualStatus decision,
                                                 std::int64_t admin_id,
                                                 std::optional<std::string> reason,
                                                 std::int64_t now) {
  auto decided =
      tx.payments().decide_manual(request_id, decision, admin_id, std::move(reason), now);
  if (decided) return std::optional<store::ManualTopup>(std::move(*decided));
  if (decided.error().code == Errc::conflict || decided.error().code == Errc::not_found)
    return std::optional<store::ManualTopup>();
  return fail(decided.error());
}

}  // namespace

Result<std::vector<std::int64_t>> money_admins(store::Tx& tx, const ManualTopupSettings& settings) {
  auto ids = KB_TRY(tx.users().admin_ids());
  ids.insert(ids.end(), settings.admin_ids.begin(), settings.admin_ids.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

Result<bool> is_money_admin(store::Tx& tx, const ManualTopupSettings& settings,
                            std::int64_t user_id) {
  if (std::find(settings.admin_ids.begin(), settings.admin_ids.end(), user_id) !=
      settings.admin_ids.end())
    return true;
  auto user = KB_TRY(tx.users().get(user_id));
  return user && user->role == store::Role::admin && !user->banned;
}

Result<bool> manual_pending_limit_reached(store::Tx& tx, const ManualTopupSettings& settings,
                                          std::int64_t user_id) {
  return KB_TRY(tx.payments().pending_manual_count(user_id)) >= settings.max_pending_per_user;
}

std::string encode_receipt(const Receipt& receipt) {
  return fmt::format("{}:{}", receipt.kind == Receipt::Kind::document ? "document" : "photo",
                     receipt.file_id);
}

std::optional<Receipt> decode_receipt(std::string_view stored) {
  Receipt r;
  if (stored.starts_with("photo:")) {
    r.kind = Receipt::Kind::photo;
    stored.remove_prefix(6);
  } else if (stored.starts_with("document:")) {
    r.kind = Receipt::Kind::document;
    stored.remove_prefix(9);
  }
  if (stored.empty()) return std::nullopt;
  r.file_id = std::string(stored);
  return r;
}

Result<ManualSubmitted> submit_manual_topup(store::Tx& tx, const ManualTopupSettings& settings,
                                            std::int64_t user_id, Kopecks amount,
                                            const Receipt& receipt, std::int64_t now) {
  ManualSubmitted out;
  if (!settings.enabled()) {
    out.status = ManualSubmitStatus::disabled;
    return out;
  }
  if (amount < settings.limits.min || amount > settings.limits.max) {
    out.status = ManualSubmitStatus::invalid_amount;
    return out;
  }
  if (receipt.file_id.empty()) return fail(Errc::invalid_input, "a manual top-up needs a receipt");
  if (KB_TRY(manual_pending_limit_reached(tx, settings, user_id))) {
    out.status = ManualSubmitStatus::too_many_pending;
    return out;
  }
  auto id = KB_TRY(tx.payments().create_manual(user_id, amount, encode_receipt(receipt), now));
  auto stored = KB_TRY(tx.payments().manual(id));
  if (!stored) return fail(Errc::internal, "manual top-up vanished after insert");
  out.request = std::move(*stored);
  out.admins = KB_TRY(money_admins(tx, settings));
  return out;
}

Result<ManualDecision> approve_manual_topup(store::Tx& tx, const ManualTopupSettings& settings,
                                            std::int64_t request_id, std::int64_t admin_id,
                                            const ReferralSettings& referral, std::int64_t now) {
  ManualDecision out;
  if (!KB_TRY(is_money_admin(tx, settings, admin_id))) {
    out.status = ManualDecisionStatus::forbidden;
    return out;
  }
  // The compare-and-set is the gate: of two admins pressing at once, one wins here and the other
  // (on PostgreSQL after waiting for the winner's commit) finds the request decided.
  auto request = KB_TRY(decide(tx, request_id, store::ManualStatus::approved, admin_id, {}, now));
  if (!request) return settled_elsewhere(tx, request_id);
  auto action_id = KB_TRY(tx.admin_actions().record(
      admin_id, "manual_topup_approve", request->user_id,
      nlohmann::json{{"request_id", request_id}, {"kopecks", request->amount_kopecks}}.dump(),
      now));
  auto draft = store::LedgerEntryDraft::credit(store::LedgerKind::topup, request->user_id,
                                               request->amount_kopecks,
                                               domain::manual_topup_key(request_id));
  draft.admin_action_id = action_id;
  draft.note = fmt::format("bank transfer #{}", request_id);
  auto applied = KB_TRY(tx.ledger().apply(draft, now));
  out.status = ManualDecisionStatus::approved;
  out.balance_after = applied.balance_after;
  out.rewarded_referrer = KB_TRY(reward_referrer_if_due(tx, request->user_id, referral, now));
  out.request = std::move(request);
  return out;
}

Result<ManualDecision> reject_manual_topup(store::Tx& tx, const ManualTopupSettings& settings,
                                           std::int64_t request_id, std::int64_t admin_id,
                                           domain::RejectReason reason, std::int64_t now) {
  ManualDecision out;
  if (!KB_TRY(is_money_admin(tx, settings, admin_id))) {
    out.status = ManualDecisionStatus::forbidden;
    return out;
  }
  auto code = std::string(domain::reject_reason_code(reason));
  auto request = KB_TRY(decide(tx, request_id, store::ManualStatus::rejected, admin_id, code, now));
  if (!request) return settled_elsewhere(tx, request_id);
  KB_TRY(tx.admin_actions().record(
      admin_id, "manual_topup_reject", request->user_id,
      nlohmann::json{{"request_id", request_id}, {"reason", code}}.dump(), now));
  out.status = ManualDecisionStatus::rejected;
  out.balance_after = KB_TRY(tx.ledger().balance(request->user_id));
  out.request = std::move(request);
  return out;
}

}  // namespace kb::services
