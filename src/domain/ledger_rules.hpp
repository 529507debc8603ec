// What each money movement writes to the ledger, and the idempotency key that makes it happen once.
// Pure: services turn these specs into store calls inside one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"

namespace kb::domain {

enum class EntryKind {
  stars_topup,
  manual_topup,
  welcome_bonus,
  referral_reward,
  hold,
  capture,
  release,
  stars_refund,      // reverses a Stars top-up when the payment is refunded
  admin_adjustment,
  legacy_import,     // opening balance imported from the Python bot
};

std::string_view to_string(EntryKind kind);
std::optional<EntryKind> parse_entry_kind(std::string_view text);

// amount: change of available + held; held_delta: change of held. So available changes by
// amount - held_delta. The store refuses any entry that would make available or held negative.
struct EntrySpec {
  EntryKind kind;
  Kopecks amount = 0;
  Kopecks held_delta = 0;
  std::string idempotency_key;
};

EntrySpec hold_for_job(std::int64_t job_id, Kopecks price);
// Capture and release share one key: a job is settled exactly once, one way or the other; trying
// the other way afterwards is a conflict the store reports, never a second movement.
EntrySpec capture_for_job(std::int64_t job_id, Kopecks price);
EntrySpec release_for_job(std::int64_t job_id, Kopecks price);
std::string settlement_key(std::int64_t job_id);

EntrySpec stars_topup(std::string_view telegram_charge_id, Kopecks credit);
EntrySpec stars_refund(std::string_view telegram_charge_id, Kopecks credit);
EntrySpec manual_topup(std::int64_t request_id, Kopecks amount);
EntrySpec welcome_bonus(std::int64_t user_id, Kopecks amount);
EntrySpec referral_reward(std::int64_t invited_user_id, Kopecks amount);
EntrySpec admin_adjustment(std::int64_t admin_action_id, Kopecks delta);
EntrySpec legacy_import(std::string_view source_ref, Kopecks amount);

}  // namespace kb::domain
