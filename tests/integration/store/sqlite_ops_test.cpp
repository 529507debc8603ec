// SQLite operations: the single-instance lock (in process and with the real binary), a read-only
// file, a full database, WAL and synchronous settings.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <latch>
#include <sstream>
#include <thread>

#include "support/child_process.hpp"
#include "store_fixture.hpp"

namespace kb::store::test {
namespace {

class SqliteOpsTest : public testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiebot-sqlite-ops.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  DatabaseOptions options() const {
    DatabaseOptions o;
    o.url = "sqlite://" + path();
    o.pool_size = 2;
    return o;
  }
  std::string path() const { return dir_ + "/kiebot.db"; }
  std::unique_ptr<Database> open_ok(const DatabaseOptions& o) {
    auto db = open_database(o, clock_, nullptr);
    if (!db) throw std::runtime_error(db.error().describe());
    return std::move(*db);
  }
  static std::string integrity(Database& db) {
    auto r = db.read_blocking<std::string>([](Tx& tx) -> Result<std::string> {
      auto rows = KB_TRY(tx.connection().query("PRAGMA integrity_check"));
      return rows.front().text(0);
    });
    return r ? *r : r.error().message;
  }
  static Result<bool> store_update(Database& db, std::int64_t id, std::size_t payload_bytes,
                                   std::int64_t now) {
    return db.transact_blocking<bool>([&](Tx& tx) {
      return tx.inbox().insert(id, "chat", "message", std::string(payload_bytes, 'x'), now);
    });
  }
  static std::int64_t count_updates(Database& db) {
    return db.read_blocking<std::int64_t>([](Tx& tx) { return tx.inbox().pending_count(); })
        .value();
  }

  FakeClock clock_;
  std::string dir_;
};

TEST_F(SqliteOpsTest, PragmasAreAsConfigured) {
  auto o = options();
  auto db = open_ok(o);
  auto pragma = [&](std::string name) {
    return db
        ->read_blocking<std::string>([&](Tx& tx) -> Result<std::string> {
          auto rows = KB_TRY(tx.connection().query("PRAGMA " + name));
          const auto& v = rows.front().at(0);
          if (auto s = std::get_if<std::string>(&v)) return *s;
          return std::to_string(rows.front().i64(0));
        })
        .value();
  };
  EXPECT_EQ(pragma("journal_mode"), "wal");
  EXPECT_EQ(pragma("synchronous"), "2");  // FULL
  EXPECT_EQ(pragma("foreign_keys"), "1");
  EXPECT_EQ(pragma("busy_timeout"), "5000");
  db.reset();
  o.sqlite_synchronous_full = false;
  db = open_ok(o);
  EXPECT_EQ(pragma("synchronous"), "1");  // NORMAL
}

TEST_F(SqliteOpsTest, TheDataDirectoryIsCreated) {
  DatabaseOptions o;
  o.data_dir = dir_ + "/nested/data";
  auto db = open_ok(o);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/nested/data/kiebot.db"));
  EXPECT_EQ(db->describe(), "sqlite " + dir_ + "/nested/data/kiebot.db");
}

TEST_F(SqliteOpsTest, ASecondOpenOfTheSameFileIsRefused) {
  auto first = open_ok(options());
  auto second = open_database(options(), clock_, nullptr);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::conflict);
  const auto& m = second.error().message;
  EXPECT_NE(m.find(path()), std::string::npos) << m;
  EXPECT_NE(m.find(fmt::format("pid {}", ::getpid())), std::string::npos) << m;
  EXPECT_NE(m.find("PostgreSQL"), std::string::npos) << m;
  first.reset();
  EXPECT_TRUE(open_database(options(), clock_, nullptr));  // released with the first
}

// The real binary, twice, on one database file: the second exits with one clear line.
TEST_F(SqliteOpsTest, ASecondKiebotServeOnTheSameFileExits) {
  auto binary = kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  auto env = [&](std::uint16_t port) {
    return std::map<std::string, std::string>{{"PORT", std::to_string(port)},
                                              {"BIND_ADDRESS", "127.0.0.1"},
                                              {"DATA_DIR", dir_},
                                              {"LOG_LEVEL", "info"},
                                              {"PATH", "/usr/bin:/bin"}};
  };
  auto port = free_tcp_port();
  ChildProcess first({*binary, "serve"}, env(port));
  bool up = false;
  for (int i = 0; i < 300 && !up; ++i) {
    up = http_get(port, "/healthz").status == 200;
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(up) << first.output();
  ChildProcess second({*binary, "serve"}, env(free_tcp_port()));
  auto code = second.wait(std::chrono::seconds(20));
  ASSERT_TRUE(code) << "the second instance kept running: " << second.output();
  EXPECT_EQ(*code, 1);
  auto out = second.output();
  EXPECT_NE(
      out.find("already in use by another kiebot process (pid " + std::to_string(first.pid())),
      std::string::npos)
      << out;
  std::size_t error_lines = 0;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (line.find("already in use") != std::string::npos) ++error_lines;
  EXPECT_EQ(error_lines, 1u) << out;
  EXPECT_TRUE(first.running());
  first.terminate();
  EXPECT_EQ(first.wait(std::chrono::seconds(30)), 0) << first.output();
}

TEST_F(SqliteOpsTest, KiebotMigrateAppliesThenReportsUpToDate) {
  auto binary = kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  std::map<std::string, std::string> env{{"DATABASE_URL", "sqlite://" + path()},
                                         {"LOG_LEVEL", "warn"}};
  ChildProcess first({*binary, "migrate"}, env);
  ASSERT_EQ(first.wait(std::chrono::seconds(30)), 0) << first.output();
  EXPECT_NE(first.output().find("applied     1 users_and_ledger"), std::string::npos)
      << first.output();
  ChildProcess second({*binary, "migrate"}, env);
  ASSERT_EQ(second.wait(std::chrono::seconds(30)), 0) << second.output();
  EXPECT_NE(second.output().find("up to date"), std::string::npos) << second.output();
}

TEST_F(SqliteOpsTest, AReadOnlyDatabaseRefusesWritesClearlyAndStaysIntact) {
  {
    auto db = open_ok(options());
    ASSERT_TRUE(store_update(*db, 1, 10, clock_.now_ms()));
  }
  auto o = options();
  o.sqlite_read_only = true;
  o.migrate = false;
  auto db = open_ok(o);
  auto write = store_update(*db, 2, 10, clock_.now_ms());
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, Errc::io);
  EXPECT_NE(write.error().message.find("readonly"), std::string::npos) << write.error().message;
  EXPECT_EQ(count_updates(*db), 1);
  EXPECT_EQ(integrity(*db), "ok");
}

// File permissions, checked the way an operator meets them: a process that may read but not
// write the file (root ignores permissions, so the real binary runs as nobody).
TEST_F(SqliteOpsTest, AFileKiebotMayNotWriteStopsTheStartWithAClearLine) {
  auto binary = kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to switch to nobody";
  {
    auto db = open_ok(options());
    ASSERT_TRUE(store_update(*db, 1, 10, clock_.now_ms()));
  }
  ::chmod(dir_.c_str(), 0755);  // nobody may enter but not create files
  ::chmod(path().c_str(), 0644);
  std::map<std::string, std::string> env{{"DATABASE_URL", "sqlite://" + path()},
                                         {"LOG_LEVEL", "warn"}};
  ChildProcess child({*binary, "migrate"}, env, 65534);
  auto code = child.wait(std::chrono::seconds(30));
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 1) << child.output();
  EXPECT_NE(child.output().find("is read-only: check the permissions"), std::string::npos)
      << child.output();
  auto db = open_ok(options());
  EXPECT_EQ(integrity(*db), "ok");
  EXPECT_EQ(count_updates(*db), 1);
}

TEST_F(SqliteOpsTest, AFullDatabaseFailsClearlyWithoutCorruption) {
  std::int64_t pages = 0;
  {
    auto db = open_ok(options());
    for (int i = 1; i <= 20; ++i) ASSERT_TRUE(store_update(*db, i, 500, clock_.now_ms()));
    pages = db->read_blocking<std::int64_t>([](Tx& tx) -> Result<std::int64_t> {
                auto rows = KB_TRY(tx.connection().query("PRAGMA page_count"));
                return rows.front().i64(0);
              }).value();
  }
  auto o = options();
  o.sqlite_pragmas = {fmt::format("max_page_count = {}", pages + 2)};
  auto db = open_ok(o);
  Result<bool> r = true;
  int stored = 0;
  for (int i = 100; i < 400 && r; ++i) {
    r = store_update(*db, i, 3000, clock_.now_ms());
    if (r) ++stored;
  }
  ASSERT_FALSE(r) << "the size limit was never reached";
  EXPECT_EQ(r.error().code, Errc::io);
  EXPECT_NE(r.error().message.find("full"), std::string::npos) << r.error().message;
  EXPECT_EQ(integrity(*db), "ok");
  EXPECT_EQ(count_updates(*db), 20 + stored);  // everything committed before is there
  // Reads still work, and with room again so do writes.
  db.reset();
  db = open_ok(options());
  EXPECT_TRUE(store_update(*db, 1000, 3000, clock_.now_ms()));
  EXPECT_EQ(integrity(*db), "ok");
}

TEST_F(SqliteOpsTest, AnotherProcessHoldingTheWriteLockIsWaitedFor) {
  auto db = open_ok(options());
  // A second connection (the sqlite3 shell, a backup) holding a write transaction briefly.
  auto other_opts = options();
  other_opts.sqlite_instance_lock = false;
  other_opts.migrate = false;
  other_opts.pool_size = 1;
  auto other = open_ok(other_opts);
  std::latch locked(1);
  std::thread holder([&] {
    (void)other->transact_blocking<int>([&](Tx& tx) -> Result<int> {
      KB_TRY(tx.settings().set("holder", "1", 0));
      locked.count_down();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return 0;
    });
  });
  locked.wait();
  auto started = std::chrono::steady_clock::now();
  auto r = store_update(*db, 1, 10, clock_.now_ms());
  holder.join();
  EXPECT_TRUE(r) << r.error().describe();
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(200));
}

}  // namespace
}  // namespace kb::store::test
