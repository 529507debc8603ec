// The import-legacy command: read the old database, plan, then write in one transaction.
#include "app/legacy_import/import_command.hpp"

#include <ostream>

#include "app/config.hpp"
#include "app/legacy_import/legacy_apply.hpp"
#include "app/legacy_import/legacy_reader.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "store/open.hpp"

namespace kb::app::legacy_import {

int run_import_legacy(const Config& config, const ImportOptions& options, std::ostream& out,
                      std::ostream& err) {
  log::configure(config.log_level, config.log_format);
  if (!options.from_url.starts_with("postgres://") &&
      !options.from_url.starts_with("postgresql://")) {
    err << "kiebot import-legacy: --from must be a postgres:// or postgresql:// URL\n";
    return 2;
  }
  auto snapshot = read_legacy_database(options.from_url);
  if (!snapshot) {
    err << "kiebot import-legacy: " << snapshot.error().message << "\n";
    return 2;
  }
  auto plan = plan_import(snapshot->users, snapshot->source);
  if (!plan) {
    err << "kiebot import-legacy: " << plan.error().message << " (nothing written)\n";
    return 1;
  }
  out << format_plan(*plan);
  if (options.dry_run) {
    out << "import-legacy: dry run, nothing written\n";
    return 0;
  }

  SystemClock clock;
  auto db = store::open_database(store::database_options(config), clock, nullptr);
  if (!db) {
    err << "kiebot import-legacy: " << db.error().message << "\n";
    return 2;
  }
  const auto now = clock.now_ms();
  // One transaction: the import lands whole or not at all, and re-running it is a no-op.
  auto report = (*db)->transact_blocking<ImportReport>(
      [&](store::Tx& tx) { return apply_plan(tx, *plan, now); });
  if (!report) {
    err << "kiebot import-legacy: " << report.error().message << " (nothing written)\n";
    return 1;
  }
  out << format_report(*report);
  return 0;
}

}  // namespace kb::app::legacy_import
