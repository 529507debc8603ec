// Database: the worker pool, the backend's connections, units of work and migrations. Every
// database call of the application goes through transact()/read(), which run on a database worker
// thread (never on the event loop) and resume the awaiting coroutine on its own executor.
#pragma once

#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/completion.hpp"
#include "core/result.hpp"
#include "store/db/connection.hpp"
#include "store/db/worker_pool.hpp"
#include "store/migrations/migration.hpp"
#include "store/tx.hpp"

namespace kb::net {
class MetricsRegistry;
class Counter;
class Gauge;
class Histogram;
}  // namespace kb::net

namespace kb::store {

// Optional features: on when their tables exist (their optional migrations may be refused, e.g.
// to a role without CREATE); off means the dependent feature is disabled with one WARN at start.
struct Features {
  bool broadcasts = false;   // broadcasts, broadcast_recipients
  bool rate_limits = false;  // rate_buckets (otherwise: per-instance in-memory buckets)
};

struct DatabaseSettings {
  std::size_t pool_size = 4;       // worker threads = connections
  std::size_t queue_limit = 4096;  // units waiting for a worker; beyond: Errc::unavailable at once
  int max_attempts = 5;            // runs of a unit that meets transient conflicts
};

namespace detail {
template <class T>
struct UnitSlot {
  std::function<Result<T>(Tx&)> fn;
  std::optional<Result<T>> out;
};
}  // namespace detail

// Lifetime: shut the Database down (or destroy it) before the io_contexts its callers run on are
// destroyed; a unit still queued at shutdown runs to completion first.
class Database {
 public:
  Database(std::unique_ptr<db::Backend> backend, const Clock& clock, DatabaseSettings settings = {},
           net::MetricsRegistry* metrics = nullptr);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  db::Dialect dialect() const { return dialect_; }
  // "sqlite /path" or "postgres host:port/db"; never a password.
  const std::string& describe() const { return description_; }
  Features features() const;

  // A read-write unit of work: `fn` runs on a worker inside BEGIN (SQLite: BEGIN IMMEDIATE) …
  // COMMIT; an error result rolls everything back. Transient conflicts re-run `fn` (so it must be
  // pure database work: no Telegram calls, no clock reads, no mutation of outside state). A lost
  // PostgreSQL connection fails the call with Errc::unavailable; the next call reconnects.
  template <class T>
  Task<Result<T>> transact(std::function<Result<T>(Tx&)> fn) {
    return run_async<T>(db::TxMode::read_write, std::move(fn));
  }
  // A read-only unit (PostgreSQL: READ ONLY transaction; SQLite: a snapshot, no writer lock).
  template <class T>
  Task<Result<T>> read(std::function<Result<T>(Tx&)> fn) {
    return run_async<T>(db::TxMode::read_only, std::move(fn));
  }
  // The same, blocking the calling thread: for the CLI, startup, tests and threads that are not
  // the event loop. Refused on a database worker thread (it would deadlock).
  template <class T>
  Result<T> transact_blocking(std::function<Result<T>(Tx&)> fn) {
    return run_blocking<T>(db::TxMode::read_write, std::move(fn));
  }
  template <class T>
  Result<T> read_blocking(std::function<Result<T>(Tx&)> fn) {
    return run_blocking<T>(db::TxMode::read_only, std::move(fn));
  }

  // SELECT 1 through the pool (readiness); bound it with a timeout at the call site.
  Task<Result<void>> ping();

  // Applies missing migrations (blocking) and refreshes features(). Safe to call repeatedly.
  Result<MigrationReport> migrate();
  Result<MigrationReport> migrate(const std::vector<Migration>& list);
  const std::optional<MigrationReport>& last_migration() const { return last_migration_; }
  // Looks for the optional features' tables without migrating (migrate() does this itself).
  void probe_features() { refresh_features(MigrationReport{}); }

  // Finishes queued units and closes the connections; later calls fail with Errc::unavailable.
  void shutdown();

 private:
  using Body = std::function<Result<void>(Tx&)>;
  using Done = std::move_only_function<void(Result<void>)>;

  void submit_unit(db::TxMode mode, Body body, Done done);
  Result<void> run_on_worker(std::move_only_function<void(db::Session&)> job);
  void observe(db::TxMode mode, const Result<void>& result, int attempts, bool reconnected,
               double seconds);
  void refresh_features(const MigrationReport& report);

  template <class T>
  static Body make_body(std::shared_ptr<detail::UnitSlot<T>> slot) {
    return [slot](Tx& tx) -> Result<void> {
      auto r = slot->fn(tx);
      if (!r) return Unexpected(std::move(r).error());
      slot->out.emplace(std::move(r));
      return {};
    };
  }
  template <class T>
  static Result<T> take(detail::UnitSlot<T>& slot, Result<void> outcome) {
    if (!outcome) return Unexpected(std::move(outcome).error());
    return std::move(*slot.out);
  }

  template <class T>
  Task<Result<T>> run_async(db::TxMode mode, std::function<Result<T>(Tx&)> fn) {
    auto slot = std::make_shared<detail::UnitSlot<T>>();
    slot->fn = std::move(fn);
    Database* self = this;
    auto* slot_ref = &slot;
    // GCC 12: the initiation lambda below captures raw pointers only (see architecture.md).
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Result<T>)>(
        [self, slot_ref, mode](auto handler) {
          std::shared_ptr<detail::UnitSlot<T>> s = *slot_ref;
          Completion<Result<T>> completion(std::move(handler));
          self->submit_unit(mode, make_body<T>(s),
                            [s, completion = std::move(completion)](Result<void> outcome) mutable {
                              completion(take<T>(*s, std::move(outcome)));
                            });
        },
        asio::use_awaitable);
  }

  template <class T>
  Result<T> run_blocking(db::TxMode mode, std::function<Result<T>(Tx&)> fn) {
    if (db::WorkerPool::on_worker_thread())
      return fail(Errc::internal, "blocking database call made on a database worker thread");
    auto slot = std::make_shared<detail::UnitSlot<T>>();
    slot->fn = std::move(fn);
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto future = promise->get_future();
    submit_unit(mode, make_body<T>(slot), [slot, promise](Result<void> outcome) {
      promise->set_value(take<T>(*slot, std::move(outcome)));
    });
    return future.get();
  }

  struct Health;
  struct Instruments;

  std::unique_ptr<db::Backend> backend_;
  const Clock& clock_;
  DatabaseSettings settings_;
  db::Dialect dialect_;
  std::string description_;
  std::unique_ptr<Health> health_;
  std::unique_ptr<Instruments> instruments_;
  mutable std::mutex features_mutex_;
  Features features_;
  std::optional<MigrationReport> last_migration_;
  std::unique_ptr<db::WorkerPool> pool_;  // last: its threads stop first
};

}  // namespace kb::store
