// `kiebot ledger verify`: every wallet against its entries (available + held == Σ amounts,
// held == Σ held deltas, nothing negative, no entries without a wallet), read-only, safe to run
// next to a live `kiebot serve`.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "store/tx.hpp"

namespace kb::app {
struct Config;
}

namespace kb::services {

struct LedgerReport {
  std::vector<store::LedgerProblem> problems;
  std::int64_t users = 0;
  // Σ amount of every entry kind since the beginning: together they are the money in wallets.
  std::vector<std::pair<store::LedgerKind, Kopecks>> totals;
  Kopecks in_wallets = 0;
};

Result<LedgerReport> verify_ledger(store::Tx& tx);

// Problems, one line per user, then nothing else; or one summary line.
std::string format_ledger_report(const LedgerReport& report);

// Opens the configured database read-only (no migrations, no instance lock), prints the report.
// Exit code: 0 consistent, 1 problems found, 2 the check could not run.
int run_ledger_verify(const app::Config& config, std::ostream& out, std::ostream& err);

}  // namespace kb::services
