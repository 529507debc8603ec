// The backend abstraction: a Connection runs statements (what repositories see); a Session adds
// transaction control and reconnects (what the worker pool drives); a Backend makes sessions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/db/dialect.hpp"
#include "store/db/value.hpp"

namespace kb::store::db {

enum class TxMode { read_write, read_only };

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  // One statement in portable SQL (dialect.hpp); the expansion is cached per connection.
  virtual Result<Rows> query_params(std::string_view sql, const Params& params) = 0;
  // One statement; returns the number of rows it inserted, updated or deleted.
  virtual Result<std::int64_t> exec_params(std::string_view sql, const Params& params) = 0;

  template <class... A>
  Result<Rows> query(std::string_view sql, A&&... args) {
    return query_params(sql, params(std::forward<A>(args)...));
  }
  template <class... A>
  Result<std::optional<Row>> query_one(std::string_view sql, A&&... args) {
    auto rows = query_params(sql, params(std::forward<A>(args)...));
    if (!rows) return Unexpected(std::move(rows).error());
    if (rows->empty()) return std::optional<Row>();
    return std::optional<Row>(std::move(rows->front()));
  }
  template <class... A>
  Result<std::int64_t> exec(std::string_view sql, A&&... args) {
    return exec_params(sql, params(std::forward<A>(args)...));
  }
};

class Session : public Connection {
 public:
  // Starts a transaction, connecting first when needed. SQLite: BEGIN IMMEDIATE for writes.
  virtual Result<void> begin(TxMode mode) = 0;
  virtual Result<void> commit() = 0;
  virtual void rollback() noexcept = 0;
  // Backend-specific SQL with several statements and no parameters (migrations); not expanded.
  virtual Result<void> exec_script(std::string_view sql) = 0;
  // Drops the physical connection; the next begin() reconnects.
  virtual void reset() noexcept = 0;
  virtual bool connected() const = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Dialect dialect() const = 0;
  virtual std::unique_ptr<Session> make_session() = 0;
  // For logs and errors: "sqlite /path/kiebot.db", "postgres host:port/db" (never a password).
  virtual std::string describe() const = 0;
};

}  // namespace kb::store::db
