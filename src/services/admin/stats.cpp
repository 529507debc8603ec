// Admin statistics.
#include "services/admin/stats.hpp"

namespace kb::services::admin {

std::string_view period_code(StatsPeriod period) {
  switch (period) {
    case StatsPeriod::today:
      return "d";
    case StatsPeriod::week:
      return "w";
    case StatsPeriod::month:
      return "m";
  }
  return "d";
}

std::optional<StatsPeriod> parse_period(std::string_view code) {
  if (code == "d") return StatsPeriod::today;
  if (code == "w") return StatsPeriod::week;
  if (code == "m") return StatsPeriod::month;
  return std::nullopt;
}

std::int64_t period_start(StatsPeriod period, std::int64_t now_ms) {
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  switch (period) {
    case StatsPeriod::today:
      return now_ms - now_ms % kDay;
    case StatsPeriod::week:
      return now_ms - 7 * kDay;
    case StatsPeriod::month:
      return now_ms - 30 * kDay;
  }
  return now_ms;
}

Result<StatsReport> collect_stats(store::Tx& tx, StatsPeriod period, std::int64_t now_ms) {
  StatsReport r;
  r.period = period;
  auto since = period_start(period, now_ms);
  r.new_users = KB_TRY(tx.admin_stats().new_users_since(since));
  r.active_users = KB_TRY(tx.users().count_active_since(since));
  r.total_users = KB_TRY(tx.users().count_all());
  for (const auto& c : KB_TRY(tx.jobs().count_by_model_and_state_since(since))) {
    auto& m = r.jobs[c.model_id];
    if (c.state == "delivered")
      m.succeeded += c.count;
    else if (c.state == "failed" || c.state == "expired")
      m.failed += c.count;
    else
      m.other += c.count;
  }
  // Captures are negative amounts (money leaving the wallet as spent); revenue is their size.
  r.revenue = -KB_TRY(tx.ledger().sum_by_kind_since(store::LedgerKind::capture, since));
  r.topups = KB_TRY(tx.ledger().sum_by_kind_since(store::LedgerKind::topup, since));
  r.refunds = -KB_TRY(tx.ledger().sum_by_kind_since(store::LedgerKind::topup_reversal, since)) +
              KB_TRY(tx.ledger().sum_by_kind_since(store::LedgerKind::refund, since));
  auto conversion = KB_TRY(tx.admin_stats().free_to_paid_since(since));
  r.free_users = conversion.free_users;
  r.converted_users = conversion.converted;
  return r;
}

}  // namespace kb::services::admin
