// The idempotency keys of money movements: each names the event that causes the movement, so the
// same event can never move money twice (the store refuses a second entry with the same key).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kb::domain {

std::string hold_key(std::int64_t job_id);
// Capture and release share one key: a job is settled exactly once, one way or the other; trying
// the other way afterwards is a conflict the store reports, never a second movement.
std::string settlement_key(std::int64_t job_id);
std::string stars_topup_key(std::string_view telegram_charge_id);
std::string stars_refund_key(std::string_view telegram_charge_id);
std::string manual_topup_key(std::int64_t request_id);
std::string welcome_bonus_key(std::int64_t user_id);
std::string referral_reward_key(std::int64_t invited_user_id);
std::string admin_adjustment_key(std::int64_t admin_action_id);
std::string legacy_import_key(std::string_view source_ref);

}  // namespace kb::domain
