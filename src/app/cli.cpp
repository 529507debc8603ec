// CLI11 definition of the `kiebot` command and its subcommands.
#include "app/cli.hpp"

#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/build_info.hpp"
#include "app/config.hpp"
#include "app/legacy_import/import_command.hpp"
#include "app/sandbox.hpp"
#include "app/serve.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "store/open.hpp"
#include "catalog/check.hpp"
#include "services/billing/ledger_verify.hpp"

namespace kb::app {
namespace {

// Loads the configuration or prints the one-line reason and returns nothing.
std::optional<Config> load_config() {
  auto config = parse_config(environment_from_process());
  if (!config) {
    std::cerr << "kiebot: configuration error: " << config.error().message << "\n";
    return std::nullopt;
  }
  return *config;
}

// `kiebot migrate`: applies what is missing and prints what ran.
int run_migrate(const Config& config) {
  log::configure(config.log_level, config.log_format);
  SystemClock clock;
  auto db = store::open_database(store::database_options(config), clock, nullptr);
  if (!db) {
    std::cerr << "kiebot migrate: " << db.error().message << "\n";
    return 1;
  }
  std::cout << store::describe_migration((*db)->describe(), *(*db)->last_migration());
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"kiebot: a Telegram bot server that sells AI generation"};
  app.set_version_flag("--version",
                       fmt::format("kiebot {} ({})", build_info::version(), build_info::commit()));
  app.require_subcommand(0, 1);

  auto* serve = app.add_subcommand("serve", "Run the bot server (the default)");
  auto* migrate = app.add_subcommand("migrate", "Apply database migrations and exit");
  auto* catalog = app.add_subcommand("catalog", "Model catalog tools");
  catalog->require_subcommand(1);
  auto* check = catalog->add_subcommand("check", "Validate a catalog file");
  std::string catalog_path;
  check->add_option("path", catalog_path,
                    "Catalog file (default: CATALOG_PATH or the shipped one)");
  auto* ledger = app.add_subcommand("ledger", "Money ledger tools");
  ledger->require_subcommand(1);
  auto* ledger_verify =
      ledger->add_subcommand("verify", "Check every wallet against its ledger entries (read-only)");
  auto* import_legacy = app.add_subcommand(
      "import-legacy", "Import users, balances and referrals from the Python bot's PostgreSQL");
  legacy_import::ImportOptions legacy_options;
  import_legacy->add_option("--from", legacy_options.from_url, "The old bot's postgresql:// URL")
      ->required();
  import_legacy->add_flag("--dry-run", legacy_options.dry_run, "Print what would be imported");
  auto* sandbox =
      app.add_subcommand("sandbox", "Run the bot against built-in fakes with a web chat");
  auto* config_cmd =
      app.add_subcommand("config", "Print the effective configuration (secrets masked)");
  bool markdown = false;
  config_cmd->add_flag("--markdown", markdown, "Print the documentation table of all variables");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (*config_cmd && markdown) {
    std::cout << config_markdown_table();
    return 0;
  }
  // The sandbox reads the environment with its own defaults (see app/sandbox.hpp).
  if (*sandbox) return run_sandbox(environment_from_process());
  auto config = load_config();
  if (!config) return 2;
  if (*config_cmd) {
    std::cout << describe_config(*config);
    return 0;
  }
  if (*migrate) return run_migrate(*config);
  if (*check)
    return kb::catalog::run_catalog_check(
        {catalog_path.empty() ? config->catalog_path : catalog_path,
         {config->price_fx_rub_per_usd, config->price_markup}},
        std::cout);
  if (*ledger_verify) return services::run_ledger_verify(*config, std::cout, std::cerr);
  if (*import_legacy)
    return legacy_import::run_import_legacy(*config, legacy_options, std::cout, std::cerr);
  (void)serve;
  return run_serve(*config);
}

}  // namespace kb::app
