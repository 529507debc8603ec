// Writing an import plan through the store repositories, idempotently: what exists is left alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/legacy_import/legacy_plan.hpp"
#include "store/tx.hpp"

namespace kb::app::legacy_import {

struct ImportReport {
  int users_created = 0;
  int users_existing = 0;  // already in kiebot: profile, role and language are not touched
  int balances_credited = 0;
  int balances_existing = 0;  // the opening entry was already written by an earlier run
  Kopecks credited = 0;
  int referrals_attached = 0;
  int referrals_existing = 0;
  std::vector<std::string> warnings;
};

// Users first (so referrals can point at them), then opening balances, then referral links; all
// inside the caller's transaction. `now` stamps ledger entries and referral links.
Result<ImportReport> apply_plan(store::Tx& tx, const ImportPlan& plan, std::int64_t now);

std::string format_report(const ImportReport& report);

}  // namespace kb::app::legacy_import
