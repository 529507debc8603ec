// `kiebot import-legacy --from postgresql://… [--dry-run]`: moves the Python bot's users, balances
// and referral links into kiebot's database.
#pragma once

#include <iosfwd>
#include <string>

namespace kb::app {
struct Config;
}

namespace kb::app::legacy_import {

struct ImportOptions {
  std::string from_url;  // the old bot's DATABASE_URL
  bool dry_run = false;  // print the plan; open no kiebot database
};

// Exit codes: 0 done (or planned), 1 the import failed and nothing was written, 2 it could not
// start (old database unreachable or not the expected schema, kiebot database not openable).
int run_import_legacy(const Config& config, const ImportOptions& options, std::ostream& out,
                      std::ostream& err);

}  // namespace kb::app::legacy_import
