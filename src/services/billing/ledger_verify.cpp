// The ledger consistency check and its CLI front.
#include "services/billing/ledger_verify.hpp"

#include <ostream>

#include <fmt/format.h>

#include "app/config.hpp"
#include "core/clock.hpp"
#include "store/open.hpp"

namespace kb::services {

Result<LedgerReport> verify_ledger(store::Tx& tx) {
  LedgerReport report;
  report.problems = KB_TRY(tx.ledger().verify());
  report.users = KB_TRY(tx.users().count_all());
  for (auto kind :
       {store::LedgerKind::topup, store::LedgerKind::bonus, store::LedgerKind::referral_reward,
        store::LedgerKind::refund, store::LedgerKind::capture, store::LedgerKind::adjustment,
        store::LedgerKind::topup_reversal, store::LedgerKind::opening_balance}) {
    auto sum = KB_TRY(tx.ledger().sum_by_kind_since(kind, 0));
    report.totals.emplace_back(kind, sum);
    report.in_wallets += sum;  // holds and releases move nothing in or out (amount 0)
  }
  return report;
}

std::string format_ledger_report(const LedgerReport& report) {
  std::string out;
  if (!report.problems.empty()) {
    for (const auto& p : report.problems) out += fmt::format("user {}: {}\n", p.user_id, p.problem);
    out += fmt::format("ledger verify: {} problem(s) found\n", report.problems.size());
    return out;
  }
  std::string parts;
  for (const auto& [kind, sum] : report.totals) {
    if (sum == 0) continue;
    parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", store::ledger_kind_name(kind),
                         format_rubles(sum));
  }
  out += fmt::format("ledger verify: ok: {} users, {} RUB in wallets{}{}{}\n", report.users,
                     format_rubles(report.in_wallets), parts.empty() ? "" : " (", parts,
                     parts.empty() ? "" : ")");
  return out;
}

int run_ledger_verify(const app::Config& config, std::ostream& out, std::ostream& err) {
  SystemClock clock;
  auto options = store::database_options(config);
  // Read-only and lock-free, so it can run beside a live server.
  options.migrate = false;
  options.sqlite_read_only = true;
  options.sqlite_instance_lock = false;
  options.pool_size = 1;
  auto db = store::open_database(options, clock, nullptr);
  if (!db) {
    err << "kiebot ledger verify: " << db.error().message << "\n";
    return 2;
  }
  auto report = (*db)->read_blocking<LedgerReport>([](store::Tx& tx) { return verify_ledger(tx); });
  if (!report) {
    err << "kiebot ledger verify: " << report.error().message << "\n";
    return 2;
  }
  out << format_ledger_report(*report);
  return report->problems.empty() ? 0 : 1;
}

}  // namespace kb::services
