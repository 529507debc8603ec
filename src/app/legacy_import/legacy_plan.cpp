// The pure mapping from the Python bot's rows to an import plan.
#include "app/legacy_import/legacy_plan.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_set>

#include <fmt/format.h>

#include "domain/ledger_rules.hpp"

namespace kb::app::legacy_import {
namespace {

std::optional<std::string> language_of(const std::optional<std::string>& locale) {
  if (!locale || locale->size() < 2) return std::nullopt;
  std::string code;
  for (char c : locale->substr(0, 2))
    code += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (code == "ru" || code == "en") return code;
  return std::nullopt;
}

// A NUMERIC(12,2) as text; nothing (no wallet) is zero.
Result<Kopecks> kopecks_of(const std::optional<std::string>& text, std::int64_t user_id,
                           std::string_view column) {
  if (!text) return Kopecks{0};
  auto value = parse_rubles(*text);
  if (!value)
    return fail(Errc::invalid_input, fmt::format("user {}: wallets.{} = '{}' is not a ruble amount",
                                                 user_id, column, *text));
  return *value;
}

std::optional<std::int64_t> parse_user_id(std::string_view text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace

std::string opening_balance_key(std::int64_t user_id) {
  return domain::legacy_import_key(fmt::format("opening:{}", user_id));
}

Result<ImportPlan> plan_import(const std::vector<LegacyUserRow>& rows, std::string source) {
  ImportPlan plan;
  plan.source = std::move(source);
  std::unordered_set<std::int64_t> known;
  for (const auto& row : rows) known.insert(row.user_id);

  for (const auto& row : rows) {
    PlannedUser user;
    user.id = row.user_id;
    user.username = row.username;
    user.first_name = row.first_name.value_or("");
    user.last_name = row.last_name;
    user.language = language_of(row.locale);
    user.admin = row.role == "admin";
    user.banned = row.role == "banned";
    if (row.role != "user" && !user.admin && !user.banned)
      plan.warnings.push_back(
          fmt::format("user {}: unknown role '{}' imported as user", row.user_id, row.role));
    user.created_at_ms = row.created_at_ms;
    // The old bot is stopped for the move, so nothing it held is still running: held money is
    // the user's again.
    auto available = KB_TRY(kopecks_of(row.balance_rub, row.user_id, "balance_rub"));
    auto held = KB_TRY(kopecks_of(row.hold_rub, row.user_id, "hold_rub"));
    user.opening = available + held;
    if (user.opening > 0) {
      user.opening_key = opening_balance_key(row.user_id);
      user.opening_note =
          fmt::format("import-legacy from {}: wallets.balance_rub={} hold_rub={}", plan.source,
                      row.balance_rub.value_or("0"), row.hold_rub.value_or("0"));
      plan.total_opening += user.opening;
    }
    plan.users.push_back(std::move(user));

    if (!row.referrer_id || row.referrer_id->empty()) continue;
    auto referrer = parse_user_id(*row.referrer_id);
    if (!referrer) {
      plan.warnings.push_back(fmt::format("user {}: referrer '{}' is not a user id, skipped",
                                          row.user_id, *row.referrer_id));
    } else if (*referrer == row.user_id) {
      plan.warnings.push_back(fmt::format("user {}: refers to themselves, skipped", row.user_id));
    } else if (!known.contains(*referrer)) {
      plan.warnings.push_back(fmt::format(
          "user {}: referrer {} is not in the old users table, skipped", row.user_id, *referrer));
    } else {
      plan.referrals.push_back({row.user_id, *referrer, row.has_paid});
    }
  }
  return plan;
}

std::string format_plan(const ImportPlan& plan) {
  std::string out = fmt::format("import-legacy: source {}\n", plan.source);
  for (const auto& u : plan.users) {
    if (u.opening == 0 && !u.admin && !u.banned) continue;
    out += fmt::format("  user {}{}{}: opening balance {} RUB\n", u.id, u.admin ? " (admin)" : "",
                       u.banned ? " (banned)" : "", format_rubles(u.opening));
  }
  for (const auto& r : plan.referrals)
    out += fmt::format("  referral: {} invited by {}{}\n", r.invited_id, r.referrer_id,
                       r.rewarded ? " (already rewarded)" : "");
  for (const auto& w : plan.warnings) out += fmt::format("  warning: {}\n", w);
  auto with_money = std::count_if(plan.users.begin(), plan.users.end(),
                                  [](const PlannedUser& u) { return u.opening > 0; });
  out += fmt::format(
      "import-legacy: {} users, {} opening balances totalling {} RUB, {} referrals, {} warnings\n",
      plan.users.size(), with_money, format_rubles(plan.total_opening), plan.referrals.size(),
      plan.warnings.size());
  return out;
}

}  // namespace kb::app::legacy_import
