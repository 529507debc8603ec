// What an admin changes, each inside the caller's transaction and each with its audit row
// (`admin_actions`): balance adjustments (a ledger entry keyed by the audit row), bans, model
// overrides and the free daily limit. Pure database work: no Telegram, no clock reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/overrides.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "store/tx.hpp"

namespace kb::services::admin {

// Settings key of the free daily limit set by an admin (over FREE_DAILY_LIMIT).
inline constexpr std::string_view kFreeDailyLimitKey = "admin.free_daily_limit";
// Settings key of a counter bumped with every change of a model override: other instances poll
// this one row (OverridesSync) instead of the whole table.
inline constexpr std::string_view kModelOverridesVersionKey = "admin.model_overrides_version";

struct Adjustment {
  bool applied = false;        // false: the balance would go below zero; nothing was written
  std::int64_t action_id = 0;  // the audit row (ledger key "admin:<id>")
  store::Balance balance_after;
};
// `delta` is signed and not zero; `reason` is required (shown in the audit and the ledger note).
Result<Adjustment> adjust_balance(store::Tx& tx, std::int64_t admin_id, std::int64_t user_id,
                                  Kopecks delta, std::string_view reason, std::int64_t now);

// False when there is no such user. Audited as user_ban / user_unban.
Result<bool> set_banned(store::Tx& tx, std::int64_t admin_id, std::int64_t user_id, bool banned,
                        std::int64_t now);

enum class ModelSwitch { enabled, free };
// Sets one switch of a model's override (the other stays); audited as model_enable /
// model_disable / model_free / model_paid with the old and new value. Returns every override,
// for catalog::CatalogHolder::set_overrides.
Result<std::vector<catalog::ModelOverride>> set_model_switch(store::Tx& tx, std::int64_t admin_id,
                                                             std::string_view model_id,
                                                             ModelSwitch which, bool value,
                                                             std::int64_t now);
Result<std::vector<catalog::ModelOverride>> load_model_overrides(store::Tx& tx);
// The counter under kModelOverridesVersionKey (0 before the first change).
Result<std::int64_t> model_overrides_version(store::Tx& tx);

// Audited as free_limit.
Result<void> set_free_daily_limit(store::Tx& tx, std::int64_t admin_id, int limit,
                                  std::int64_t now);
// The admin's limit, when one was set.
Result<std::optional<int>> free_daily_limit(store::Tx& tx);

// Parses "+150 reason", "-49.90 reason", "150 reason" (rubles; the reason is the rest).
struct AdjustmentInput {
  Kopecks delta = 0;
  std::string reason;
};
std::optional<AdjustmentInput> parse_adjustment(std::string_view text);

}  // namespace kb::services::admin
