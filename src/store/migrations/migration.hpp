// Versioned, forward-only schema migrations: the lists per backend and the runner.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct Migration {
  int version = 0;
  std::string_view name;
  std::string_view sql;  // backend-specific, several statements, run in one transaction
  // An optional migration that fails (say, the role may not create tables) is skipped with a WARN
  // and the feature that needs it is switched off; it is tried again at the next start.
  bool optional = false;
};

// Ordered by version; never edit a released entry, append a new one.
const std::vector<Migration>& sqlite_migrations();
const std::vector<Migration>& postgres_migrations();
const std::vector<Migration>& migrations_for(db::Dialect dialect);

struct MigrationReport {
  struct Applied {
    int version;
    std::string name;
  };
  struct Skipped {
    int version;
    std::string name;
    std::string error;
  };
  std::vector<Applied> applied;  // ran now
  std::vector<Skipped> skipped;  // optional ones that failed now
  int already_applied = 0;
  std::vector<int> unknown_versions;  // recorded in the database but unknown to this build
};

// Applies what is missing, each migration in its own transaction together with its
// schema_migrations row. On PostgreSQL the whole run holds an advisory lock, so instances that
// start together apply each migration once. Blocking: call on a database worker.
Result<MigrationReport> run_migrations(db::Session& session, const std::vector<Migration>& list,
                                       std::int64_t now_ms);

}  // namespace kb::store
