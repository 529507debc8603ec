// DATABASE_URL -> backend -> Database, with migrations.
#include "store/open.hpp"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "app/config.hpp"
#include "core/log.hpp"
#include "store/tx.hpp"
#include "store/postgres/pg_backend.hpp"
#include "store/sqlite/sqlite_backend.hpp"

namespace kb::store {

DatabaseOptions database_options(const app::Config& config) {
  DatabaseOptions o;
  o.url = config.database_url;
  o.data_dir = config.data_dir;
  o.sqlite_synchronous_full = config.sqlite_synchronous == app::SqliteSync::full;
  o.pool_size = static_cast<std::size_t>(config.db_pool_size);
  return o;
}

Result<DatabaseTarget> resolve_database_target(std::string_view url, std::string_view data_dir) {
  DatabaseTarget t;
  if (url.empty()) {
    std::string dir(data_dir.empty() ? "." : data_dir);
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    t.sqlite_path = dir + "/kiebot.db";
    return t;
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    t.kind = DatabaseTarget::Kind::postgres;
    t.postgres_url = std::string(url);
    return t;
  }
  if (url.starts_with("sqlite:")) {
    auto rest = url.substr(7);
    if (rest.starts_with("//")) {
      rest.remove_prefix(2);
      if (!rest.starts_with('/'))
        return fail(Errc::invalid_input,
                    "invalid DATABASE_URL: a sqlite:// URL needs an absolute path "
                    "(sqlite:///absolute/path); for a relative one write sqlite:relative/path");
    }
    if (rest.empty() || rest == "/")
      return fail(Errc::invalid_input,
                  "invalid DATABASE_URL: no file path; expected sqlite:///absolute/path or "
                  "sqlite:relative/path");
    t.sqlite_path = std::string(rest);
    return t;
  }
  return fail(Errc::invalid_input,
              "invalid DATABASE_URL: unsupported scheme; expected postgres://…, postgresql://…, "
              "sqlite:///absolute/path or sqlite:relative/path");
}

namespace {

Result<void> release_leases_of_a_crashed_predecessor(Database& database) {
  struct Released {
    std::int64_t jobs = 0, inbox = 0, outbox = 0;
  };
  auto released = KB_TRY(database.transact_blocking<Released>([](Tx& tx) -> Result<Released> {
    Released r;
    r.jobs = KB_TRY(tx.jobs().release_all_leases());
    r.inbox = KB_TRY(tx.inbox().release_all_leases());
    r.outbox = KB_TRY(tx.outbox().release_all_leases());
    return r;
  }));
  if (released.jobs + released.inbox + released.outbox > 0)
    log::info("leases_released_after_restart",
              {{"jobs", released.jobs}, {"inbox", released.inbox}, {"outbox", released.outbox}});
  return {};
}

}  // namespace

Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options, const Clock& clock,
                                                net::MetricsRegistry* metrics) {
  auto target = KB_TRY(resolve_database_target(options.url, options.data_dir));
  std::unique_ptr<db::Backend> backend;
  if (target.kind == DatabaseTarget::Kind::sqlite) {
    auto dir = std::filesystem::path(target.sqlite_path).parent_path();
    std::error_code ec;
    if (!dir.empty() && !options.sqlite_read_only) std::filesystem::create_directories(dir, ec);
    if (ec)
      return fail(Errc::io,
                  fmt::format("cannot create the database directory {}{}: {}", dir.string(),
                              options.url.empty() ? " (DATA_DIR)" : "", ec.message()));
    sqlite::SqliteOptions so;
    so.path = target.sqlite_path;
    so.synchronous_full = options.sqlite_synchronous_full;
    so.read_only = options.sqlite_read_only;
    so.take_instance_lock = options.sqlite_instance_lock;
    so.extra_pragmas = options.sqlite_pragmas;
    backend = KB_TRY(sqlite::make_sqlite_backend(std::move(so)));
  } else {
    backend =
        postgres::make_postgres_backend({target.postgres_url, options.pg_connect_timeout_seconds});
  }
  DatabaseSettings settings;
  settings.pool_size = options.pool_size;
  settings.queue_limit = options.queue_limit;
  auto database = std::make_unique<Database>(std::move(backend), clock, settings, metrics);
  if (options.migrate)
    KB_TRY(database->migrate());
  else
    database->probe_features();
  // On SQLite the instance lock proves that no other process works this database: leases left by
  // a crashed predecessor are void, and waiting for them to expire would only delay recovery.
  if (target.kind == DatabaseTarget::Kind::sqlite && options.sqlite_instance_lock &&
      !options.sqlite_read_only && options.migrate)
    KB_TRY(release_leases_of_a_crashed_predecessor(*database));
  return database;
}

std::string describe_migration(const std::string& database, const MigrationReport& report) {
  std::string out = fmt::format("database: {}\n", database);
  for (const auto& a : report.applied)
    out += fmt::format("applied   {:>3} {}\n", a.version, a.name);
  for (const auto& s : report.skipped)
    out += fmt::format("skipped   {:>3} {} (optional): {}\n", s.version, s.name, s.error);
  for (int v : report.unknown_versions)
    out += fmt::format("unknown   {:>3} (applied by a newer kiebot)\n", v);
  if (report.applied.empty() && report.skipped.empty())
    out += fmt::format("up to date ({} migrations)\n", report.already_applied);
  else
    out += fmt::format("{} applied now, {} already applied, {} skipped\n", report.applied.size(),
                       report.already_applied, report.skipped.size());
  return out;
}

}  // namespace kb::store
