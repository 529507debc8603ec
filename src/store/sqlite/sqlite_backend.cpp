// SQLite sessions over the C API with a thin RAII wrapper and a per-connection statement cache.
#include "store/sqlite/sqlite_backend.hpp"

#include <sqlite3.h>

#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "store/db/fault.hpp"
#include "store/sqlite/instance_lock.hpp"

namespace kb::store::sqlite {
namespace {

using db::Fault;

struct HandleCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Handle = std::unique_ptr<sqlite3, HandleCloser>;
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

Fault classify(int code, std::string_view message) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Fault::transient;
    case SQLITE_FULL:
      return Fault::full;
    case SQLITE_READONLY:
      return Fault::read_only;
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Fault::permission;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Fault::io;
    case SQLITE_CONSTRAINT:
      switch (code) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
          return Fault::unique;
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return Fault::foreign_key;
        default:
          return Fault::check;
      }
    default:
      if (message.starts_with("no such table")) return Fault::undefined_table;
      return Fault::other;
  }
}

Unexpected sqlite_fail(sqlite3* db, int code, std::string_view context) {
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  auto fault = classify(code, message);
  if (fault == Fault::full) message += " (the disk or the database size limit is full)";
  return db::db_fail(fault,
                     fmt::format("sqlite: {}{}{}", message, context.empty() ? "" : ": ", context));
}

struct Shared {
  SqliteOptions options;
  std::mutex write_mutex;  // one writer at a time in this process: no busy-waiting between our own
                           // connections (busy_timeout still covers other processes)
  std::unique_ptr<InstanceLock> lock;
  // Writing connections report their commits to it; destroyed after the last session is closed.
  std::unique_ptr<WalCheckpointer> checkpointer;
};

// Process-wide SQLite settings, applied before the library initialises (sqlite3_config refuses them
// afterwards, which is harmless: a test process may have opened a database already).
void configure_library_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // No up-front page cache block per connection (Debian builds with 20 pages, ~87 KB, touched at
    // once): pages are allocated as a connection reads them, so an idle worker holds what it used.
    sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
  });
}

Result<Handle> open_handle(const SqliteOptions& o) {
  int flags = (o.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(o.path.c_str(), &raw, flags, nullptr);
  Handle handle(raw);
  if (rc != SQLITE_OK)
    return sqlite_fail(raw, rc, fmt::format("cannot open database file {}", o.path));
  sqlite3_extended_result_codes(raw, 1);
  if (!o.read_only && sqlite3_db_readonly(raw, "main") == 1)
    return db::db_fail(Fault::read_only,
                       fmt::format("sqlite: database file {} is read-only: check the permissions "
                                   "of the file and of its directory",
                                   o.path));
  sqlite3_busy_timeout(raw, o.busy_timeout_ms);
  std::vector<std::string> pragmas;
  if (!o.read_only) pragmas.push_back("PRAGMA journal_mode = WAL");
  pragmas.push_back(o.synchronous_full ? "PRAGMA synchronous = FULL"
                                       : "PRAGMA synchronous = NORMAL");
  pragmas.push_back("PRAGMA foreign_keys = ON");
  for (const auto& p : o.extra_pragmas) pragmas.push_back("PRAGMA " + p);
  for (const auto& p : pragmas) {
    char* err = nullptr;
    rc = sqlite3_exec(raw, p.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) return sqlite_fail(raw, rc, fmt::format("{} on {}", p, o.path));
  }
  return handle;
}

class SqliteSession final : public db::Session {
 public:
  explicit SqliteSession(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  ~SqliteSession() override {
    cache_.clear();  // statements before the handle
  }

  db::Dialect dialect() const override { return db::Dialect::sqlite; }
  bool connected() const override { return handle_ != nullptr; }

  void reset() noexcept override {
    cache_.clear();
    handle_.reset();
    if (write_lock_.owns_lock()) write_lock_.unlock();
  }

  Result<void> begin(db::TxMode mode) override {
    if (!handle_) {
      handle_ = KB_TRY(open_handle(shared_->options));
      if (shared_->checkpointer) shared_->checkpointer->attach(handle_.get());
    }
    if (mode == db::TxMode::read_write) {
      write_lock_ = std::unique_lock(shared_->write_mutex);
      auto r = run_simple("BEGIN IMMEDIATE");
      if (!r) write_lock_.unlock();
      return r;
    }
    return run_simple("BEGIN");
  }

  Result<void> commit() override {
    auto r = run_simple("COMMIT");
    if (r && write_lock_.owns_lock()) write_lock_.unlock();
    return r;  // on failure the transaction is still open: the caller rolls back
  }

  void rollback() noexcept override {
    if (handle_ && !sqlite3_get_autocommit(handle_.get())) {
      (void)run_simple("ROLLBACK");
    }
    if (write_lock_.owns_lock()) write_lock_.unlock();
  }

  Result<void> exec_script(std::string_view sql) override {
    if (!handle_) return db::db_fail(Fault::broken, "sqlite: not open");
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(handle_.get(), text.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) return sqlite_fail(handle_.get(), rc, "");
    return {};
  }

  Result<db::Rows> query_params(std::string_view sql, const db::Params& params) override {
    db::Rows rows;
    KB_TRY(run(sql, params, &rows));
    return rows;
  }

  Result<std::int64_t> exec_params(std::string_view sql, const db::Params& params) override {
    KB_TRY(run(sql, params, nullptr));
    return static_cast<std::int64_t>(sqlite3_changes64(handle_.get()));
  }

 private:
  Result<void> run_simple(const char* sql) {
    int rc = sqlite3_exec(handle_.get(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqlite_fail(handle_.get(), rc, sql);
    return {};
  }

  Result<sqlite3_stmt*> statement(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second.get();
    auto expanded = KB_TRY(db::expand_sql(sql, db::Dialect::sqlite));
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(handle_.get(), expanded.c_str(), static_cast<int>(expanded.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    Statement stmt(raw);
    if (rc != SQLITE_OK) return sqlite_fail(handle_.get(), rc, expanded);
    auto* out = stmt.get();
    cache_.emplace(std::string(sql), std::move(stmt));
    return out;
  }

  Result<void> bind(sqlite3_stmt* s, const db::Params& params, std::string_view sql) {
    int expected = sqlite3_bind_parameter_count(s);
    if (expected != static_cast<int>(params.size()))
      return fail(Errc::internal, fmt::format("statement takes {} parameters, got {}: {}", expected,
                                              params.size(), sql.substr(0, 120)));
    for (int i = 0; i < expected; ++i) {
      const auto& v = params[static_cast<std::size_t>(i)];
      int rc = SQLITE_OK;
      int idx = i + 1;
      if (std::holds_alternative<std::monostate>(v))
        rc = sqlite3_bind_null(s, idx);
      else if (auto p = std::get_if<std::int64_t>(&v))
        rc = sqlite3_bind_int64(s, idx, *p);
      else if (auto p = std::get_if<double>(&v))
        rc = sqlite3_bind_double(s, idx, *p);
      else if (auto p = std::get_if<std::string>(&v))
        rc = sqlite3_bind_text64(s, idx, p->data(), p->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      else
        rc = sqlite3_bind_int64(s, idx, std::get<bool>(v) ? 1 : 0);
      if (rc != SQLITE_OK) return sqlite_fail(handle_.get(), rc, "bind");
    }
    return {};
  }

  Result<void> run(std::string_view sql, const db::Params& params, db::Rows* rows) {
    if (!handle_) return db::db_fail(Fault::broken, "sqlite: statement outside a transaction");
    auto* s = KB_TRY(statement(sql));
    struct ResetGuard {
      sqlite3_stmt* s;
      ~ResetGuard() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } guard{s};
    KB_TRY(bind(s, params, sql));
    for (;;) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) return sqlite_fail(handle_.get(), rc, "");
      if (!rows) continue;
      int n = sqlite3_column_count(s);
      std::vector<db::SqlValue> values;
      values.reserve(static_cast<std::size_t>(n));
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(s, c)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(s, c)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(s, c));
            break;
          case SQLITE_NULL:
            values.emplace_back();
            break;
          default: {
            auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
            values.emplace_back(
                std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, c))));
          }
        }
      }
      rows->emplace_back(std::move(values));
    }
  }

  std::shared_ptr<Shared> shared_;
  Handle handle_;
  std::unordered_map<std::string, Statement, StringHash, std::equal_to<>> cache_;
  std::unique_lock<std::mutex> write_lock_;
};

class SqliteBackend final : public db::Backend {
 public:
  explicit SqliteBackend(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  db::Dialect dialect() const override { return db::Dialect::sqlite; }
  std::unique_ptr<db::Session> make_session() override {
    return std::make_unique<SqliteSession>(shared_);
  }
  std::string describe() const override { return "sqlite " + shared_->options.path; }

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace

Result<std::unique_ptr<db::Backend>> make_sqlite_backend(SqliteOptions options) {
  configure_library_once();
  auto shared = std::make_shared<Shared>();
  if (options.take_instance_lock && !options.read_only)
    shared->lock = KB_TRY(InstanceLock::acquire(options.path));
  // Open once now so that a read-only or unusable file is a start error, not a later surprise.
  KB_TRY(open_handle(options));
  if (!options.read_only) {
    shared->checkpointer = std::make_unique<WalCheckpointer>(
        [options]() -> sqlite3* {
          auto handle = open_handle(options);
          return handle ? handle->release() : nullptr;
        },
        options.checkpoint);
  }
  shared->options = std::move(options);
  return std::unique_ptr<db::Backend>(new SqliteBackend(std::move(shared)));
}

}  // namespace kb::store::sqlite
