// Audited admin changes.
#include "services/admin/admin_ops.hpp"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "store/repos/settings_atomic.hpp"

namespace kb::services::admin {
namespace {

nlohmann::json override_json(const std::optional<store::ModelOverride>& o) {
  nlohmann::json j = nlohmann::json::object();
  if (o && o->enabled) j["enabled"] = *o->enabled;
  if (o && o->free) j["free"] = *o->free;
  return j;
}

}  // namespace

Result<Adjustment> adjust_balance(store::Tx& tx, std::int64_t admin_id, std::int64_t user_id,
                                  Kopecks delta, std::string_view reason, std::int64_t now) {
  if (delta == 0 || trim(reason).empty())
    return fail(Errc::invalid_input, "an adjustment needs a non-zero amount and a reason");
  auto user = KB_TRY(tx.users().get(user_id));
  if (!user) return fail(Errc::not_found, fmt::format("no user {}", user_id));
  Adjustment out;
  out.balance_after = KB_TRY(tx.ledger().balance(user_id));
  // Checked before anything is written, so a refused adjustment leaves no audit row behind.
  if (out.balance_after.available + delta < 0) return out;
  nlohmann::json payload{{"delta_kopecks", delta},
                         {"reason", std::string(trim(reason))},
                         {"balance_before", out.balance_after.available}};
  out.action_id = KB_TRY(tx.admin_actions().record(
      admin_id, delta > 0 ? "user_topup" : "user_charge", user_id, payload.dump(), now));
  auto draft =
      store::LedgerEntryDraft::adjustment(user_id, delta, fmt::format("admin:{}", out.action_id));
  draft.admin_action_id = out.action_id;
  draft.note = std::string(trim(reason));
  auto applied = KB_TRY(tx.ledger().apply(draft, now));
  out.applied = applied.applied;
  out.balance_after = applied.balance_after;
  return out;
}

Result<bool> set_banned(store::Tx& tx, std::int64_t admin_id, std::int64_t user_id, bool banned,
                        std::int64_t now) {
  if (!KB_TRY(tx.users().set_banned(user_id, banned, now))) return false;
  nlohmann::json payload{{"banned", banned}};
  KB_TRY(tx.admin_actions().record(admin_id, banned ? "user_ban" : "user_unban", user_id,
                                   payload.dump(), now));
  return true;
}

Result<std::vector<catalog::ModelOverride>> load_model_overrides(store::Tx& tx) {
  auto rows = KB_TRY(tx.settings().model_overrides());
  std::vector<catalog::ModelOverride> out;
  for (const auto& r : rows) out.push_back({r.model_id, r.enabled, r.free});
  return out;
}

Result<std::int64_t> model_overrides_version(store::Tx& tx) {
  auto value = KB_TRY(tx.settings().get(kModelOverridesVersionKey));
  std::int64_t n = 0;
  if (!value) return n;
  auto [p, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || p != value->data() + value->size())
    return fail(Errc::internal, "settings " + std::string(kModelOverridesVersionKey) +
                                    " is not an integer: " + *value);
  return n;
}

Result<std::vector<catalog::ModelOverride>> set_model_switch(store::Tx& tx, std::int64_t admin_id,
                                                             std::string_view model_id,
                                                             ModelSwitch which, bool value,
                                                             std::int64_t now) {
  auto old = KB_TRY(tx.settings().model_override(model_id));
  store::ModelOverride row = old.value_or(store::ModelOverride{});
  row.model_id = std::string(model_id);
  row.updated_by = admin_id;
  std::string_view action;
  if (which == ModelSwitch::enabled) {
    row.enabled = value;
    action = value ? "model_enable" : "model_disable";
  } else {
    row.free = value;
    action = value ? "model_free" : "model_paid";
  }
  KB_TRY(tx.settings().set_model_override(row, now));
  KB_TRY(store::increment_setting(tx.connection(), kModelOverridesVersionKey, now));
  nlohmann::json payload{
      {"model", std::string(model_id)}, {"old", override_json(old)}, {"new", override_json(row)}};
  KB_TRY(tx.admin_actions().record(admin_id, action, std::nullopt, payload.dump(), now));
  return load_model_overrides(tx);
}

Result<void> set_free_daily_limit(store::Tx& tx, std::int64_t admin_id, int limit,
                                  std::int64_t now) {
  if (limit < 0 || limit > 1000) return fail(Errc::invalid_input, "the limit must be 0-1000");
  auto old = KB_TRY(tx.settings().get(kFreeDailyLimitKey));
  KB_TRY(tx.settings().set(kFreeDailyLimitKey, std::to_string(limit), now));
  nlohmann::json payload{{"old", old ? nlohmann::json(*old) : nlohmann::json()}, {"new", limit}};
  KB_TRY(tx.admin_actions().record(admin_id, "free_limit", std::nullopt, payload.dump(), now));
  return {};
}

Result<std::optional<int>> free_daily_limit(store::Tx& tx) {
  auto value = KB_TRY(tx.settings().get(kFreeDailyLimitKey));
  if (!value) return std::optional<int>();
  int n = 0;
  auto [p, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || p != value->data() + value->size() || n < 0) return std::optional<int>();
  return std::optional<int>(n);
}

std::optional<AdjustmentInput> parse_adjustment(std::string_view text) {
  text = trim(text);
  auto end = text.find_first_of(" \n\t");
  if (end == std::string_view::npos) return std::nullopt;
  auto amount = text.substr(0, end);
  bool negative = false;
  if (!amount.empty() && (amount.front() == '+' || amount.front() == '-')) {
    negative = amount.front() == '-';
    amount.remove_prefix(1);
  }
  auto kopecks = parse_rubles(amount);
  if (!kopecks || *kopecks <= 0) return std::nullopt;
  AdjustmentInput in;
  in.delta = negative ? -*kopecks : *kopecks;
  in.reason = std::string(trim(text.substr(end)));
  if (in.reason.empty()) return std::nullopt;
  return in;
}

}  // namespace kb::services::admin
