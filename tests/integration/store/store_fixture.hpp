// The parameterised store fixture: every test runs once on SQLite (a fresh file) and once on
// PostgreSQL (a fresh database on the throwaway server).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <source_location>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "store/database.hpp"
#include "store/open.hpp"
#include "support/pg_test_db.hpp"
#include "support/must.hpp"

namespace kb::store::test {

enum class BackendKind { sqlite, postgres };

std::string backend_name(const testing::TestParamInfo<BackendKind>& info);

using kb::test::must;

class StoreTest : public testing::TestWithParam<BackendKind> {
 protected:
  void SetUp() override;
  void TearDown() override;

  BackendKind backend() const { return GetParam(); }
  bool is_pg() const { return backend() == BackendKind::postgres; }
  Database& db() { return *db_; }
  // Options pointing at this test's database (reopen, a second instance, failure hooks).
  DatabaseOptions options() const;
  Result<std::unique_ptr<Database>> open(const DatabaseOptions& o);
  void close() { db_.reset(); }
  void reopen();

  template <class T>
  Result<T> run(std::function<Result<T>(Tx&)> fn) {
    return db_->transact_blocking<T>(std::move(fn));
  }
  template <class T>
  T must_run(std::function<Result<T>(Tx&)> fn,
             std::source_location where = std::source_location::current()) {
    return must(run<T>(std::move(fn)), where);
  }

  std::int64_t now() const { return clock_.now_ms(); }
  // A user with a wallet, as upsert_seen creates them.
  User add_user(std::int64_t id, std::string first_name = "Test");
  // Credits a user's wallet with a top-up.
  void credit(std::int64_t user_id, Kopecks amount, std::string key);

  FakeClock clock_;
  std::string sqlite_dir_;
  std::unique_ptr<kb::test::PgTestDatabase> pg_;
  std::unique_ptr<Database> db_;
};

}  // namespace kb::store::test

#define KB_STORE_BACKENDS(Suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                           \
                           testing::Values(::kb::store::test::BackendKind::sqlite,    \
                                           ::kb::store::test::BackendKind::postgres), \
                           ::kb::store::test::backend_name)
