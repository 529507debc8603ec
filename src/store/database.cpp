// Database: units of work on the pool, health logging, metrics, migrations and feature probes.
#include "store/database.hpp"

#include <array>
#include <chrono>

#include <fmt/format.h>

#include "core/log.hpp"
#include "net/metrics.hpp"
#include "store/db/fault.hpp"
#include "store/db/unit_of_work.hpp"

namespace kb::store {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kWarnEvery = std::chrono::seconds(10);

struct FeatureSpec {
  std::string_view name;
  std::string_view migration;  // the optional migration that creates its tables
  bool Features::*flag;
  std::vector<std::string_view> tables;
  std::string_view when_off;
};

const std::array<FeatureSpec, 2>& feature_specs() {
  static const std::array<FeatureSpec, 2> specs = {{
      {"broadcasts",
       "broadcasts",
       &Features::broadcasts,
       {"broadcasts", "broadcast_recipients"},
       "admin broadcasts are disabled"},
      {"rate_limits",
       "rate_buckets",
       &Features::rate_limits,
       {"rate_buckets"},
       "rate limits are kept per instance in memory"},
  }};
  return specs;
}

bool is_outage(const Error& e) {
  auto f = db::fault_of(e);
  return f == db::Fault::broken || f == db::Fault::full || f == db::Fault::read_only ||
         f == db::Fault::io;
}

}  // namespace

// Logs the database going away and coming back: the first failure at once, then at most one line
// every kWarnEvery while it lasts, and one line when it recovers.
struct Database::Health {
  std::mutex mutex;
  bool healthy = true;
  SteadyClock::time_point last_line{};
  std::string where;

  void failed(const Error& e) {
    std::lock_guard lock(mutex);
    auto now = SteadyClock::now();
    bool first = healthy;
    if (!first && now - last_line < kWarnEvery) return;
    healthy = false;
    last_line = now;
    auto f = db::fault_of(e);
    // Unreachable PostgreSQL is expected to pass (WARN); a full or read-only disk needs a human.
    if (f == db::Fault::broken)
      log::warn(first ? "database_unavailable" : "database_still_unavailable",
                {{"database", where}, {"error", e.message}});
    else
      log::error(first ? "database_write_failed" : "database_still_failing",
                 {{"database", where}, {"error", e.message}});
  }
  void succeeded() {
    std::lock_guard lock(mutex);
    if (healthy) return;
    healthy = true;
    log::info("database_recovered", {{"database", where}});
  }
};

struct Database::Instruments {
  net::Counter* ok_write = nullptr;
  net::Counter* ok_read = nullptr;
  net::Counter* failed_write = nullptr;
  net::Counter* failed_read = nullptr;
  net::Counter* retries = nullptr;
  net::Counter* reconnects = nullptr;
  net::Histogram* seconds_write = nullptr;
  net::Histogram* seconds_read = nullptr;
  net::Gauge* queue = nullptr;
  net::Gauge* up = nullptr;
};

Database::Database(std::unique_ptr<db::Backend> backend, const Clock& clock,
                   DatabaseSettings settings, net::MetricsRegistry* metrics)
    : backend_(std::move(backend)),
      clock_(clock),
      settings_(settings),
      dialect_(backend_->dialect()),
      description_(backend_->describe()),
      health_(std::make_unique<Health>()),
      instruments_(std::make_unique<Instruments>()) {
  health_->where = description_;
  if (metrics) {
    auto& m = *metrics;
    auto& i = *instruments_;
    const char* units = "Database units of work by mode and outcome";
    i.ok_write = &m.counter("kiebot_db_units_total", units, {{"mode", "write"}, {"outcome", "ok"}});
    i.ok_read = &m.counter("kiebot_db_units_total", units, {{"mode", "read"}, {"outcome", "ok"}});
    i.failed_write =
        &m.counter("kiebot_db_units_total", units, {{"mode", "write"}, {"outcome", "error"}});
    i.failed_read =
        &m.counter("kiebot_db_units_total", units, {{"mode", "read"}, {"outcome", "error"}});
    i.retries =
        &m.counter("kiebot_db_retries_total", "Units of work re-run after a transient conflict");
    i.reconnects = &m.counter("kiebot_db_reconnects_total",
                              "Stale database connections replaced before a unit of work");
    const char* secs = "Time from submitting a unit of work to its outcome";
    i.seconds_write = &m.histogram("kiebot_db_unit_duration_seconds", secs, {{"mode", "write"}});
    i.seconds_read = &m.histogram("kiebot_db_unit_duration_seconds", secs, {{"mode", "read"}});
    i.queue = &m.gauge("kiebot_db_queue_depth", "Units of work waiting for a database worker");
    i.up = &m.gauge("kiebot_db_up", "1 while the last unit of work reached the database");
    i.up->set(1);
  }
  pool_ = std::make_unique<db::WorkerPool>(*backend_, settings_.pool_size, settings_.queue_limit);
}

Database::~Database() {
  shutdown();
}

void Database::shutdown() {
  if (pool_) pool_->stop();
}

Features Database::features() const {
  std::lock_guard lock(features_mutex_);
  return features_;
}

void Database::submit_unit(db::TxMode mode, Body body, Done done) {
  auto started = SteadyClock::now();
  if (instruments_->queue) instruments_->queue->inc();
  // The job owns `done` until it runs; when the pool refuses it, `done` comes back through the
  // shared holder and is called here.
  auto holder = std::make_shared<Done>(std::move(done));
  bool queued = pool_->submit(
      [this, mode, body = std::move(body), holder, started](db::Session& session) mutable {
        if (instruments_->queue) instruments_->queue->dec();
        db::UnitOutcome outcome;
        auto run = [&](db::Connection& c) {
          Tx tx(c);
          return body(tx);
        };
        auto r = db::run_unit(session, mode, run, settings_.max_attempts, &outcome);
        double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
        observe(mode, r, outcome.attempts, outcome.reconnected, seconds);
        (*holder)(std::move(r));
      });
  if (!queued) {
    if (instruments_->queue) instruments_->queue->dec();
    (*holder)(fail(Errc::unavailable,
                   fmt::format("database {} is not accepting work (queue full or shutting down)",
                               description_),
                   static_cast<int>(db::Fault::transient)));
  }
}

Result<void> Database::run_on_worker(std::move_only_function<void(db::Session&)> job) {
  if (db::WorkerPool::on_worker_thread())
    return fail(Errc::internal, "blocking database call made on a database worker thread");
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  auto wrapped = [job = std::move(job), done](db::Session& s) mutable {
    job(s);
    done->set_value();
  };
  if (!pool_->submit(std::move(wrapped)))
    return fail(Errc::unavailable, "database is shutting down");
  future.get();
  return {};
}

void Database::observe(db::TxMode mode, const Result<void>& r, int attempts, bool reconnected,
                       double seconds) {
  auto& i = *instruments_;
  bool write = mode == db::TxMode::read_write;
  if (i.retries && attempts > 1) i.retries->inc(attempts - 1);
  if (i.reconnects && reconnected) i.reconnects->inc();
  if (auto* h = write ? i.seconds_write : i.seconds_read) h->observe(seconds);
  if (auto* c = r ? (write ? i.ok_write : i.ok_read) : (write ? i.failed_write : i.failed_read))
    c->inc();
  if (r) {
    health_->succeeded();
    if (i.up) i.up->set(1);
    return;
  }
  if (is_outage(r.error())) {
    health_->failed(r.error());
    if (i.up && db::fault_of(r.error()) == db::Fault::broken) i.up->set(0);
  } else if (r.error().code == Errc::internal) {
    log::error("database_unit_failed", {{"database", description_}, {"error", r.error().message}});
  } else {
    // Any other answer (constraint, conflict, insufficient funds) proves the database is there.
    health_->succeeded();
  }
}

Task<Result<void>> Database::ping() {
  // Named first: GCC 12 destroys a lambda temporary inside a co_await expression twice.
  std::function<Result<int>(Tx&)> select_one = [](Tx& tx) -> Result<int> {
    KB_TRY(tx.connection().query("SELECT 1"));
    return 1;
  };
  auto r = co_await read<int>(std::move(select_one));
  if (!r) co_return Unexpected(std::move(r).error());
  co_return Result<void>{};
}

Result<MigrationReport> Database::migrate() {
  return migrate(migrations_for(dialect_));
}

Result<MigrationReport> Database::migrate(const std::vector<Migration>& list) {
  std::optional<Result<MigrationReport>> outcome;
  auto now = clock_.now_ms();
  KB_TRY(run_on_worker([&](db::Session& s) { outcome.emplace(run_migrations(s, list, now)); }));
  // A failure is the caller's to report (open_database / DatabaseBoot / `kiebot migrate`).
  if (!*outcome) return std::move(*outcome);
  for (int v : (*outcome)->unknown_versions)
    log::warn("migration_unknown", {{"version", v},
                                    {"hint",
                                     "the database was migrated by a newer kiebot; this "
                                     "build does not know that version"}});
  refresh_features(**outcome);
  last_migration_ = **outcome;
  return std::move(*outcome);
}

void Database::refresh_features(const MigrationReport& report) {
  Features found;
  for (const auto& spec : feature_specs()) {
    std::string reason;
    for (auto table : spec.tables) {
      auto probe = read_blocking<int>([table](Tx& tx) -> Result<int> {
        KB_TRY(tx.connection().query(fmt::format("SELECT 1 FROM {} LIMIT 1", table)));
        return 1;
      });
      if (!probe) {
        reason = probe.error().message;
        break;
      }
    }
    if (reason.empty()) {
      found.*spec.flag = true;
      continue;
    }
    // Prefer the migration's own error (e.g. permission denied) over "no such table".
    for (const auto& skipped : report.skipped)
      if (skipped.name == spec.migration) reason = skipped.error;
    log::warn("optional_feature_disabled",
              {{"feature", spec.name}, {"effect", spec.when_off}, {"reason", reason}});
  }
  std::lock_guard lock(features_mutex_);
  features_ = found;
}

}  // namespace kb::store
