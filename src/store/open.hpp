// Choosing and opening the database from the configuration: SQLite by default, PostgreSQL when
// DATABASE_URL says so; the data directory, the SQLite instance lock and migrations included.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

namespace kb::app {
struct Config;
}

namespace kb::store {

struct DatabaseOptions {
  std::string url;  // DATABASE_URL; empty: SQLite file <data_dir>/kiebot.db
  std::string data_dir = "./data";
  bool sqlite_synchronous_full = true;  // SQLITE_SYNCHRONOUS
  std::size_t pool_size = 4;            // DB_POOL_SIZE
  std::size_t queue_limit = 4096;
  bool migrate = true;
  // Hooks for inspection tools and failure tests.
  bool sqlite_read_only = false;
  bool sqlite_instance_lock = true;
  std::vector<std::string> sqlite_pragmas;
  int pg_connect_timeout_seconds = 5;
};

DatabaseOptions database_options(const app::Config& config);

struct DatabaseTarget {
  enum class Kind { sqlite, postgres } kind = Kind::sqlite;
  std::string sqlite_path;   // when sqlite
  std::string postgres_url;  // when postgres
};

// unset -> <data_dir>/kiebot.db; sqlite:///abs/path; sqlite:relative/path; postgres://…,
// postgresql://…. Anything else is an error naming DATABASE_URL.
Result<DatabaseTarget> resolve_database_target(std::string_view url, std::string_view data_dir);

// Opens the backend (creating the SQLite file's directory and taking its instance lock) and, when
// options.migrate, applies migrations. PostgreSQL being unreachable is Errc::unavailable, which a
// caller may retry; every other failure is final and its message says what to fix.
Result<std::unique_ptr<Database>> open_database(const DatabaseOptions& options, const Clock& clock,
                                                net::MetricsRegistry* metrics);

// The lines `kiebot migrate` prints.
std::string describe_migration(const std::string& database, const MigrationReport& report);

}  // namespace kb::store
