// The parameterised store fixture.
#include "store_fixture.hpp"

#include <cstdlib>

namespace kb::store::test {

std::string backend_name(const testing::TestParamInfo<BackendKind>& info) {
  return info.param == BackendKind::sqlite ? "sqlite" : "postgres";
}

void StoreTest::SetUp() {
  if (is_pg()) {
    KB_REQUIRE_PG_OR_SKIP();
    pg_ = std::make_unique<kb::test::PgTestDatabase>(*kb::test::pg_admin_url());
  } else {
    char tmpl[] = "/tmp/kiebot-store.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    sqlite_dir_ = tmpl;
  }
  auto opened = open(options());
  ASSERT_TRUE(opened) << opened.error().describe();
  db_ = std::move(*opened);
}

void StoreTest::TearDown() {
  db_.reset();
  pg_.reset();
  if (!sqlite_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(sqlite_dir_, ec);
  }
}

DatabaseOptions StoreTest::options() const {
  DatabaseOptions o;
  if (is_pg()) {
    o.url = pg_->url();
  } else {
    o.url = "sqlite://" + sqlite_dir_ + "/kiebot.db";
    // The tests check logic, not durability; this keeps them fast on slow disks.
    o.sqlite_synchronous_full = false;
  }
  o.pool_size = 4;
  return o;
}

Result<std::unique_ptr<Database>> StoreTest::open(const DatabaseOptions& o) {
  return open_database(o, clock_, nullptr);
}

void StoreTest::reopen() {
  db_.reset();
  db_ = must(open(options()));
}

User StoreTest::add_user(std::int64_t id, std::string first_name) {
  TelegramProfile p;
  p.id = id;
  p.first_name = std::move(first_name);
  p.username = fmt::format("user{}", id);
  p.language_code = "ru";
  return must_run<UpsertedUser>([&](Tx& tx) { return tx.users().upsert_seen(p, now()); }).user;
}

void StoreTest::credit(std::int64_t user_id, Kopecks amount, std::string key) {
  auto r = must_run<ApplyResult>([&](Tx& tx) {
    return tx.ledger().apply(LedgerEntryDraft::credit(LedgerKind::topup, user_id, amount, key),
                             now());
  });
  if (!r.applied) throw std::runtime_error("credit was not applied: " + key);
}

}  // namespace kb::store::test
