// Migrations and optional features (both backends), concurrent migration on PostgreSQL.
#include <thread>

#include "store_fixture.hpp"
#include "support/pg_test_db.hpp"

namespace kb::store::test {
namespace {

class MigrationsTest : public StoreTest {
 protected:
  std::vector<std::int64_t> recorded_versions() {
    return must_run<std::vector<std::int64_t>>([](Tx& tx) -> Result<std::vector<std::int64_t>> {
      auto rows =
          KB_TRY(tx.connection().query("SELECT version FROM schema_migrations ORDER BY version"));
      std::vector<std::int64_t> v;
      for (const auto& r : rows) v.push_back(r.i64(0));
      return v;
    });
  }
  void drop_broadcasts() {
    must_run<int>([](Tx& tx) -> Result<int> {
      KB_TRY(tx.connection().exec("DROP TABLE broadcast_recipients"));
      KB_TRY(tx.connection().exec("DROP TABLE broadcasts"));
      KB_TRY(tx.connection().exec("DELETE FROM schema_migrations WHERE version = 7"));
      return 0;
    });
  }
};
KB_STORE_BACKENDS(MigrationsTest);

TEST_P(MigrationsTest, FromEmptyEverythingIsApplied) {
  const auto& list = migrations_for(db().dialect());
  ASSERT_TRUE(db().last_migration());
  EXPECT_EQ(db().last_migration()->applied.size(), list.size());
  EXPECT_TRUE(db().last_migration()->skipped.empty());
  std::vector<std::int64_t> expected;
  for (const auto& m : list) expected.push_back(m.version);
  EXPECT_EQ(recorded_versions(), expected);
  auto applied_at = must_run<std::int64_t>([](Tx& tx) -> Result<std::int64_t> {
    auto rows = KB_TRY(
        tx.connection().query("SELECT @ms(applied_at) FROM schema_migrations WHERE version = 1"));
    return rows.front().i64(0);
  });
  EXPECT_EQ(applied_at, now());
  EXPECT_TRUE(db().features().broadcasts);
  EXPECT_TRUE(db().features().rate_limits);
}

TEST_P(MigrationsTest, ReRunningIsANoOp) {
  add_user(1);
  auto again = must(db().migrate());
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(again.already_applied, static_cast<int>(migrations_for(db().dialect()).size()));
  reopen();
  EXPECT_TRUE(db().last_migration()->applied.empty());
  EXPECT_TRUE(must_run<std::optional<User>>([](Tx& tx) { return tx.users().get(1); }));
}

TEST_P(MigrationsTest, BothBackendsHaveTheSameVersions) {
  const auto& a = sqlite_migrations();
  const auto& b = postgres_migrations();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].version, b[i].version);
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].optional, b[i].optional);
    if (i > 0) {
      EXPECT_GT(a[i].version, a[i - 1].version);
    }
  }
}

TEST_P(MigrationsTest, AFailedMigrationChangesNothingAndStopsTheRun) {
  auto list = migrations_for(db().dialect());
  list.push_back(
      {100, "half_done", "CREATE TABLE half_done (id INTEGER); CREATE TABLE broken (", false});
  list.push_back({101, "after", "CREATE TABLE after_broken (id INTEGER)", false});
  auto r = db().migrate(list);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("migration 100 (half_done) failed"), std::string::npos)
      << r.error().message;
  // The first statement of the failed migration was rolled back with it; 101 never ran.
  EXPECT_FALSE(run<int>([](Tx& tx) -> Result<int> {
    KB_TRY(tx.connection().query("SELECT 1 FROM half_done"));
    return 0;
  }));
  EXPECT_FALSE(run<int>([](Tx& tx) -> Result<int> {
    KB_TRY(tx.connection().query("SELECT 1 FROM after_broken"));
    return 0;
  }));
  EXPECT_EQ(recorded_versions().back(), migrations_for(db().dialect()).back().version);
}

TEST_P(MigrationsTest, AFailedOptionalMigrationSwitchesItsFeatureOff) {
  drop_broadcasts();
  auto list = migrations_for(db().dialect());
  for (auto& m : list)
    if (m.version == 7) m.sql = "CREATE TABLE broadcasts (";  // stands in for "permission denied"
  const int later = list.back().version + 1;
  list.push_back({later, "later", "CREATE TABLE later_table (id INTEGER)", false});
  auto report = must(db().migrate(list));
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0].version, 7);
  ASSERT_EQ(report.applied.size(), 1u);
  EXPECT_EQ(report.applied[0].version, later);
  EXPECT_FALSE(db().features().broadcasts);
  EXPECT_TRUE(db().features().rate_limits);
  // Everything else runs.
  add_user(1);
  credit(1, 100, "k");
  // The next start tries the optional migration again; once it works the feature is back.
  auto retried = must(db().migrate());
  ASSERT_EQ(retried.applied.size(), 1u);
  EXPECT_EQ(retried.applied[0].version, 7);
  EXPECT_TRUE(db().features().broadcasts);
  EXPECT_EQ(retried.unknown_versions, std::vector<int>{later});
}

// Migration 10 on a database with jobs: one delivering at the upgrade starts its delivery window
// at its last update (never already expired); finished jobs stay without the stamp.
TEST_P(MigrationsTest, JobsDeliveringAtTheUpgradeGetTheirWindowFromTheLastUpdate) {
  add_user(1);
  auto make_job = [&](std::string key, std::string state) {
    JobDraft d;
    d.user_id = 1;
    d.chat_id = 1;
    d.model_id = "flux-dev";
    d.inputs_json = "{}";
    d.state = std::move(state);
    d.idempotency_key = std::move(key);
    return must_run<CreatedJob>([&](Tx& tx) { return tx.jobs().create(d, now()); }).job.id;
  };
  const auto delivering = make_job("a", "succeeded");
  const auto delivered = make_job("b", "delivered");
  // The database as the previous release left it: no column, version 10 not recorded.
  must_run<int>([](Tx& tx) -> Result<int> {
    KB_TRY(tx.connection().exec("ALTER TABLE jobs DROP COLUMN succeeded_at"));
    KB_TRY(tx.connection().exec("DELETE FROM schema_migrations WHERE version = 10"));
    return 0;
  });
  const auto created_at = now();
  clock_.advance(std::chrono::hours(1));
  auto report = must(db().migrate());
  ASSERT_EQ(report.applied.size(), 1u);
  EXPECT_EQ(report.applied[0].version, 10);
  auto job = [&](std::int64_t id) {
    return *must_run<std::optional<Job>>([&](Tx& tx) { return tx.jobs().get(id); });
  };
  EXPECT_EQ(job(delivering).succeeded_at, created_at);
  EXPECT_EQ(job(delivered).succeeded_at, std::nullopt);
}

// A role that may use the tables but not create any: the optional feature is switched off with
// a WARN, everything else works.
TEST_P(MigrationsTest, RestrictedPostgresRoleRunsWithoutOptionalTables) {
  if (!is_pg()) GTEST_SKIP() << "roles and privileges are PostgreSQL's";
  drop_broadcasts();
  auto role = "r_" + kb::test::random_suffix();
  pg_->exec(
      fmt::format("CREATE ROLE {0} LOGIN; GRANT USAGE ON SCHEMA public TO {0}; "
                  "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {0}; "
                  "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {0}; "
                  "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                  role));
  close();
  auto o = options();
  auto at = o.url.find("://");
  auto user_end = o.url.find('@');
  o.url = o.url.substr(0, at + 3) + role + o.url.substr(user_end);
  {
    auto restricted = must(open(o));
    EXPECT_FALSE(restricted->features().broadcasts);
    EXPECT_TRUE(restricted->features().rate_limits);
    ASSERT_EQ(restricted->last_migration()->skipped.size(), 1u);
    EXPECT_NE(restricted->last_migration()->skipped[0].error.find("permission denied"),
              std::string::npos)
        << restricted->last_migration()->skipped[0].error;
    auto user = restricted->transact_blocking<UpsertedUser>([&](Tx& tx) {
      return tx.users().upsert_seen({77, std::nullopt, "R", std::nullopt, std::nullopt}, now());
    });
    ASSERT_TRUE(user) << user.error().describe();
    EXPECT_TRUE(user->created);
  }
  pg_->exec(fmt::format("DROP OWNED BY {0}; DROP ROLE {0}", role));
}

// Two instances starting at once on PostgreSQL apply each migration exactly once.
TEST(PostgresMigrationRaceTest, TwoInstancesStartingTogether) {
  KB_REQUIRE_PG_OR_SKIP();
  for (int round = 0; round < 3; ++round) {
    kb::test::PgTestDatabase database(*kb::test::pg_admin_url());
    FakeClock clock;
    DatabaseOptions o;
    o.url = database.url();
    o.migrate = false;
    o.pool_size = 1;
    auto a = must(open_database(o, clock, nullptr));
    auto b = must(open_database(o, clock, nullptr));
    Result<MigrationReport> ra, rb;
    std::thread ta([&] { ra = a->migrate(); });
    std::thread tb([&] { rb = b->migrate(); });
    ta.join();
    tb.join();
    ASSERT_TRUE(ra) << ra.error().describe();
    ASSERT_TRUE(rb) << rb.error().describe();
    auto total = postgres_migrations().size();
    EXPECT_EQ(ra->applied.size() + rb->applied.size(), total);
    EXPECT_EQ(ra->already_applied + rb->already_applied, static_cast<int>(total));
    auto count = a->read_blocking<std::int64_t>([](Tx& tx) -> Result<std::int64_t> {
      auto rows = KB_TRY(tx.connection().query("SELECT count(*) FROM schema_migrations"));
      return rows.front().i64(0);
    });
    EXPECT_EQ(must(std::move(count)), static_cast<std::int64_t>(total));
  }
}

}  // namespace
}  // namespace kb::store::test
