// Applies pending migrations under a lock, each in its own transaction with its bookkeeping row.
#include <set>

#include <fmt/format.h>

#include "core/log.hpp"
#include "store/db/fault.hpp"
#include "store/db/unit_of_work.hpp"
#include "store/migrations/migration.hpp"

namespace kb::store {
namespace {

// Any constant works as long as every kiebot uses the same one; "kiebot" in ASCII.
constexpr std::int64_t kMigrationLockKey = 0x6b6965626f74;

// Runs `fn` between BEGIN and COMMIT; rolls back when it fails.
template <class F>
Result<void> in_transaction(db::Session& s, F&& fn, bool may_reconnect = false) {
  if (may_reconnect)
    KB_TRY(db::begin_with_reconnect(s, db::TxMode::read_write));
  else
    KB_TRY(s.begin(db::TxMode::read_write));
  Result<void> r = fn();
  if (r) r = s.commit();
  if (!r) s.rollback();
  return r;
}

Result<bool> bookkeeping_exists(db::Session& s) {
  bool exists = false;
  auto r = in_transaction(s, [&]() -> Result<void> {
    auto rows = KB_TRY(
        s.dialect() == db::Dialect::postgres
            ? s.query("SELECT to_regclass('schema_migrations') IS NOT NULL")
            : s.query("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = "
                      "'schema_migrations'"));
    exists = !rows.empty() && rows.front().boolean(0);
    return {};
  });
  if (!r) return Unexpected(std::move(r).error());
  return exists;
}

Result<void> create_bookkeeping(db::Session& s) {
  // Checked first rather than CREATE TABLE IF NOT EXISTS: PostgreSQL refuses even that to a role
  // without CREATE on the schema, and such a role may run against a prepared database.
  if (KB_TRY(bookkeeping_exists(s))) return {};
  return in_transaction(s, [&]() -> Result<void> {
    return s.exec_script(s.dialect() == db::Dialect::postgres
                             ? "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                               "PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
                             : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                               "PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) "
                               "STRICT");
  });
}

Result<std::set<int>> applied_versions(db::Session& s) {
  std::set<int> versions;
  auto r = in_transaction(s, [&]() -> Result<void> {
    auto rows = KB_TRY(s.query("SELECT version FROM schema_migrations ORDER BY version"));
    for (const auto& row : rows) versions.insert(static_cast<int>(row.i64(0)));
    return {};
  });
  if (!r) return Unexpected(std::move(r).error());
  return versions;
}

Result<MigrationReport> apply_all(db::Session& s, const std::vector<Migration>& list,
                                  std::int64_t now_ms) {
  KB_TRY(create_bookkeeping(s));
  auto done = KB_TRY(applied_versions(s));
  MigrationReport report;
  std::set<int> known;
  for (const auto& m : list) known.insert(m.version);
  for (int v : done)
    if (!known.contains(v)) report.unknown_versions.push_back(v);
  for (const auto& m : list) {
    if (done.contains(m.version)) {
      ++report.already_applied;
      continue;
    }
    auto r = in_transaction(s, [&]() -> Result<void> {
      KB_TRY(s.exec_script(m.sql));
      KB_TRY(
          s.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, "
                 "@ts($3))",
                 m.version, m.name, now_ms));
      return {};
    });
    if (r) {
      report.applied.push_back({m.version, std::string(m.name)});
      log::info("migration_applied", {{"version", m.version}, {"name", m.name}});
      continue;
    }
    if (db::fault_of(r.error()) == db::Fault::broken) return Unexpected(std::move(r).error());
    if (m.optional) {
      report.skipped.push_back({m.version, std::string(m.name), r.error().message});
      continue;
    }
    return fail(r.error().code,
                fmt::format("migration {} ({}) failed: {}", m.version, m.name, r.error().message),
                r.error().status);
  }
  return report;
}

}  // namespace

Result<MigrationReport> run_migrations(db::Session& s, const std::vector<Migration>& list,
                                       std::int64_t now_ms) {
  bool pg = s.dialect() == db::Dialect::postgres;
  if (pg) {
    // Session-level lock: survives the COMMIT below and spans every migration transaction.
    KB_TRY(in_transaction(
        s,
        [&]() -> Result<void> {
          KB_TRY(s.query("SELECT pg_advisory_lock($1)", kMigrationLockKey));
          return {};
        },
        true));
  } else {
    KB_TRY(db::begin_with_reconnect(s, db::TxMode::read_only));
    s.rollback();
  }
  auto report = apply_all(s, list, now_ms);
  if (pg && s.connected()) {
    auto unlocked = in_transaction(s, [&]() -> Result<void> {
      KB_TRY(s.query("SELECT pg_advisory_unlock($1)", kMigrationLockKey));
      return {};
    });
    if (!unlocked) s.reset();  // closing the connection releases the lock too
  }
  return report;
}

}  // namespace kb::store
