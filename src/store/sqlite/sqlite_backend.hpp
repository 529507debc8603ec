// SQLite backend: one file, WAL, one connection per worker, writers serialised in-process, the
// log checkpointed on a thread of its own.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/db/connection.hpp"
#include "store/sqlite/wal_checkpointer.hpp"

namespace kb::store::sqlite {

struct SqliteOptions {
  std::string path;
  // true: synchronous=FULL (a committed transaction survives power loss); false: NORMAL (WAL
  // stays consistent, but the last transactions before a power cut may be lost).
  bool synchronous_full = true;
  int busy_timeout_ms = 5000;
  bool take_instance_lock = true;
  // Opens the file with SQLITE_OPEN_READONLY (inspection tools, tests of failure paths).
  bool read_only = false;
  // Extra `PRAGMA ...` statements run on every connection (tests: "max_page_count = 64").
  std::vector<std::string> extra_pragmas;
  // When the log is checkpointed (in the background; see wal_checkpointer.hpp).
  WalCheckpointerOptions checkpoint;
};

// Verifies the file can be opened with the required settings (writable, WAL) and takes the
// instance lock; errors name the file and say what to do.
Result<std::unique_ptr<db::Backend>> make_sqlite_backend(SqliteOptions options);

}  // namespace kb::store::sqlite
