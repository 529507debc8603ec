// The write-ahead log is checkpointed on a thread of its own (real SQLite files): committing
// connections never copy pages back themselves unless the log outgrows the inline limit, and the
// pages reach the database file while the writers only commit.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_backend.hpp"
#include "store/sqlite/wal_checkpointer.hpp"
#include "support/temp_dir.hpp"

namespace kb::store::sqlite {
namespace {

constexpr int kBlobBytes = 4096;  // about one page per row

bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

std::uintmax_t size_of(const std::filesystem::path& p) {
  std::error_code ec;
  auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

// "Threads:" of /proc/self/status.
int threads_of_this_process() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("Threads:")) return std::stoi(line.substr(8));
  return -1;
}

// A raw connection in WAL mode with a table for blobs.
struct RawDb {
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
              SQLITE_OK);
    exec("PRAGMA journal_mode = WAL");
    exec("CREATE TABLE IF NOT EXISTS blobs (v BLOB)");
  }
  ~RawDb() { sqlite3_close_v2(db); }
  void exec(const char* sql) { EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql; }
  void insert_blob() { exec("INSERT INTO blobs VALUES (zeroblob(4096))"); }
  sqlite3* db = nullptr;
};

class SqliteCheckpoint : public testing::Test {
 protected:
  std::string path() const { return (dir_.path() / "kiebot.db").string(); }
  std::filesystem::path wal() const { return dir_.path() / "kiebot.db-wal"; }
  WalCheckpointer::Opener opener() const {
    return [p = path()]() -> sqlite3* {
      sqlite3* db = nullptr;
      if (sqlite3_open_v2(p.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) return db;
      sqlite3_close_v2(db);
      return nullptr;
    };
  }
  kb::test::TempDir dir_{"kiebot-checkpoint-"};
};

// Past the wake limit the commit only wakes the checkpointer; it copies the log back, and the
// next commits start the log from its beginning again.
TEST_F(SqliteCheckpoint, CommitsLeaveTheCheckpointToTheBackgroundThread) {
  // Declared first, destroyed last: the writer's hook points to it.
  WalCheckpointer checkpointer(opener(), {.wake_pages = 16, .inline_pages = 1'000'000});
  RawDb writer(path());
  checkpointer.attach(writer.db);
  for (int i = 0; i < 200; ++i) writer.insert_blob();
  ASSERT_TRUE(eventually([&] { return checkpointer.background_checkpoints() > 0; }));
  // Once the background caught up, a commit finds the log copied and writes from its start.
  ASSERT_TRUE(eventually([&] {
    writer.insert_blob();
    return checkpointer.last_log_pages() < 16;
  })) << "log pages at the last commit: " << checkpointer.last_log_pages();
  EXPECT_GT(size_of(path()), 100u * kBlobBytes);  // the rows are in the database file
}

// The thread starts with the first wake-up: a process that never writes much (the CLI, a migration,
// a quiet bot) does not have it.
TEST_F(SqliteCheckpoint, TheThreadStartsOnlyWhenTheLogFirstNeedsACheckpoint) {
  const int before = threads_of_this_process();
  WalCheckpointer checkpointer(opener(), {.wake_pages = 16, .inline_pages = 1'000'000});
  RawDb writer(path());
  checkpointer.attach(writer.db);
  writer.insert_blob();  // a few pages: below the wake-up limit
  EXPECT_EQ(threads_of_this_process(), before);
  for (int i = 0; i < 20; ++i) writer.insert_blob();
  EXPECT_EQ(threads_of_this_process(), before + 1);
  ASSERT_TRUE(eventually([&] { return checkpointer.background_checkpoints() > 0; }));
}

// A checkpointer that cannot open the database (or falls behind) does not let the log grow
// without bound: past the inline limit the committing connection checkpoints itself.
TEST_F(SqliteCheckpoint, PastTheInlineLimitTheCommitCheckpointsItself) {
  WalCheckpointer checkpointer([]() -> sqlite3* { return nullptr; },
                               {.wake_pages = 16, .inline_pages = 64});
  RawDb writer(path());
  checkpointer.attach(writer.db);
  for (int i = 0; i < 200; ++i) writer.insert_blob();
  EXPECT_GT(checkpointer.inline_checkpoints(), 0u);
  EXPECT_LT(size_of(wal()), 200u * kBlobBytes);  // bounded near the inline limit, not 200 rows
  EXPECT_GT(size_of(path()), 100u * kBlobBytes);
}

// The backend installs it on every writing session: rows committed through sessions reach the
// database file below SQLite's own auto-checkpoint limit (1 000 pages), which on its own would
// leave them all in the log.
TEST_F(SqliteCheckpoint, TheBackendsWritingSessionsReportTheirCommits) {
  SqliteOptions options;
  options.path = path();
  options.take_instance_lock = false;
  options.checkpoint = {.wake_pages = 16, .inline_pages = 1'000'000};
  auto backend = make_sqlite_backend(options);
  ASSERT_TRUE(backend) << backend.error().message;
  auto session = (*backend)->make_session();
  ASSERT_TRUE(session->begin(db::TxMode::read_write));
  ASSERT_TRUE(session->exec_script("CREATE TABLE blobs (v BLOB)"));
  ASSERT_TRUE(session->commit());
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(session->begin(db::TxMode::read_write));
    ASSERT_TRUE(session->exec_script("INSERT INTO blobs VALUES (zeroblob(4096))"));
    ASSERT_TRUE(session->commit());
  }
  EXPECT_TRUE(eventually([&] { return size_of(path()) > 100u * kBlobBytes; }))
      << "database file: " << size_of(path()) << " bytes, log: " << size_of(wal());
}

}  // namespace
}  // namespace kb::store::sqlite
