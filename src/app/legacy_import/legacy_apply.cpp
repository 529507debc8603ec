// Applying an import plan: users, opening balance entries and referral links.
#include "app/legacy_import/legacy_apply.hpp"

#include <fmt/format.h>

namespace kb::app::legacy_import {
namespace {

Result<void> import_user(store::Tx& tx, const PlannedUser& u, std::int64_t now,
                         ImportReport& report) {
  auto users = tx.users();
  if (KB_TRY(users.get(u.id))) {
    ++report.users_existing;
    return {};
  }
  store::TelegramProfile profile{u.id, u.username, u.first_name, u.last_name, u.language};
  // The old creation time is kept, so "new users" statistics do not count movers as new.
  KB_TRY(users.upsert_seen(profile, u.created_at_ms.value_or(now)));
  if (u.language) KB_TRY(users.set_language(u.id, *u.language, now));
  if (u.admin) KB_TRY(users.set_role(u.id, store::Role::admin, now));
  if (u.banned) KB_TRY(users.set_banned(u.id, true, now));
  ++report.users_created;
  return {};
}

Result<void> import_opening(store::Tx& tx, const PlannedUser& u, std::int64_t now,
                            ImportReport& report) {
  if (u.opening <= 0) return {};
  auto draft = store::LedgerEntryDraft::credit(store::LedgerKind::opening_balance, u.id, u.opening,
                                               u.opening_key);
  draft.note = u.opening_note;
  auto applied = tx.ledger().apply(draft, now);
  if (!applied && applied.error().code == Errc::conflict) {
    // The key exists with another amount: the old database changed since the first run.
    report.warnings.push_back(fmt::format(
        "user {}: opening balance already imported with another amount; now {} RUB, left as it was",
        u.id, format_rubles(u.opening)));
    ++report.balances_existing;
    return {};
  }
  if (!applied) return kb::Unexpected(applied.error());
  if (applied->applied) {
    ++report.balances_credited;
    report.credited += u.opening;
  } else {
    ++report.balances_existing;
  }
  return {};
}

Result<void> import_referral(store::Tx& tx, const PlannedReferral& r, std::int64_t now,
                             ImportReport& report) {
  auto referrals = tx.referrals();
  if (auto existing = KB_TRY(referrals.get(r.invited_id))) {
    ++report.referrals_existing;
    if (existing->referrer_id != r.referrer_id)
      report.warnings.push_back(fmt::format("user {}: already invited by {} in kiebot; {} ignored",
                                            r.invited_id, existing->referrer_id, r.referrer_id));
    return {};
  }
  if (!KB_TRY(referrals.attach(r.invited_id, r.referrer_id, now))) {
    report.warnings.push_back(
        fmt::format("user {}: referral by {} refused by the store", r.invited_id, r.referrer_id));
    return {};
  }
  if (r.rewarded) KB_TRY(referrals.mark_rewarded(r.invited_id, now));
  ++report.referrals_attached;
  return {};
}

}  // namespace

Result<ImportReport> apply_plan(store::Tx& tx, const ImportPlan& plan, std::int64_t now) {
  ImportReport report;
  for (const auto& u : plan.users) KB_TRY(import_user(tx, u, now, report));
  for (const auto& u : plan.users) KB_TRY(import_opening(tx, u, now, report));
  for (const auto& r : plan.referrals) KB_TRY(import_referral(tx, r, now, report));
  return report;
}

std::string format_report(const ImportReport& r) {
  std::string out;
  for (const auto& w : r.warnings) out += fmt::format("  warning: {}\n", w);
  out += fmt::format(
      "import-legacy: users {} created, {} already present; opening balances {} credited ({} RUB), "
      "{} already present; referrals {} attached, {} already present\n",
      r.users_created, r.users_existing, r.balances_credited, format_rubles(r.credited),
      r.balances_existing, r.referrals_attached, r.referrals_existing);
  return out;
}

}  // namespace kb::app::legacy_import
