// Idempotency keys of ledger entries.
#include "domain/ledger_rules.hpp"

#include <fmt/format.h>

namespace kb::domain {

std::string hold_key(std::int64_t job_id) { return fmt::format("job:{}:hold", job_id); }
std::string settlement_key(std::int64_t job_id) { return fmt::format("job:{}:settle", job_id); }
std::string stars_topup_key(std::string_view charge_id) { return fmt::format("stars:{}", charge_id); }
std::string stars_refund_key(std::string_view charge_id) {
  return fmt::format("stars_refund:{}", charge_id);
}
std::string manual_topup_key(std::int64_t request_id) { return fmt::format("manual:{}", request_id); }
std::string welcome_bonus_key(std::int64_t user_id) { return fmt::format("welcome:{}", user_id); }
std::string referral_reward_key(std::int64_t invited) { return fmt::format("referral:{}", invited); }
std::string admin_adjustment_key(std::int64_t action_id) { return fmt::format("admin:{}", action_id); }
std::string legacy_import_key(std::string_view source_ref) { return fmt::format("legacy:{}", source_ref); }

}  // namespace kb::domain
