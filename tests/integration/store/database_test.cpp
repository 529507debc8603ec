// The unit-of-work machinery: async completion on the caller's executor, read-only units, errors,
// exceptions, the bounded queue, shutdown (both backends).
#include <atomic>
#include <future>
#include <latch>
#include <thread>

#include "store_fixture.hpp"
#include "support/async_test.hpp"

namespace kb::store::test {
namespace {

class DatabaseTest : public StoreTest {};
KB_STORE_BACKENDS(DatabaseTest);

TEST_P(DatabaseTest, AsyncUnitsResumeOnTheCallersExecutor) {
  kb::test::IoThread io;
  add_user(1);
  auto outcome = io.run<std::pair<bool, Kopecks>>([&]() -> Task<std::pair<bool, Kopecks>> {
    auto loop_thread = std::this_thread::get_id();
    // Named first: GCC 12 destroys a lambda temporary inside a co_await expression twice.
    std::function<Result<ApplyResult>(Tx&)> credit_fn = [&](Tx& tx) {
      EXPECT_NE(std::this_thread::get_id(), loop_thread);  // never on the event loop
      return tx.ledger().apply(LedgerEntryDraft::credit(LedgerKind::topup, 1, 300, "k"), now());
    };
    auto applied = co_await db().transact<ApplyResult>(std::move(credit_fn));
    bool back_on_loop = std::this_thread::get_id() == loop_thread;
    std::function<Result<Balance>(Tx&)> balance_fn = [](Tx& tx) { return tx.ledger().balance(1); };
    auto balance = co_await db().read<Balance>(std::move(balance_fn));
    co_return std::pair{back_on_loop && applied && applied->applied,
                        balance ? balance->available : -1};
  });
  EXPECT_TRUE(outcome.first);
  EXPECT_EQ(outcome.second, 300);
  auto ping = io.run<Result<void>>([&]() { return db().ping(); });
  EXPECT_TRUE(ping) << ping.error().describe();
}

// The event loop may be torn down as soon as the awaited result arrived: the worker must not
// touch it afterwards (regression: a work-tracking executor released on the worker thread).
TEST_P(DatabaseTest, TheLoopMayGoAwayRightAfterTheResult) {
  for (int i = 0; i < 100; ++i) {
    kb::test::IoThread io;
    auto r = io.run<Result<int>>([&]() -> Task<Result<int>> {
      std::function<Result<int>(Tx&)> fn = [](Tx&) -> Result<int> { return 7; };
      co_return co_await db().read<int>(std::move(fn));
    });
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, 7);
  }
}

TEST_P(DatabaseTest, ReadUnitsCannotWriteOnPostgres) {
  if (!is_pg()) GTEST_SKIP() << "SQLite read units are snapshots without a write guard";
  auto r = db().read_blocking<std::int64_t>([](Tx& tx) {
    return tx.connection().exec(
        "INSERT INTO settings (key, value, updated_at) VALUES ('a', 'b', now())");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::io);  // read-only transaction
}

TEST_P(DatabaseTest, ExceptionsAndTypeMismatchesBecomeInternalErrors) {
  auto thrown = run<int>([](Tx&) -> Result<int> { throw std::runtime_error("boom"); });
  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error().code, Errc::internal);
  EXPECT_NE(thrown.error().message.find("boom"), std::string::npos);
  auto mismatch = run<std::string>([](Tx& tx) -> Result<std::string> {
    auto rows = KB_TRY(tx.connection().query("SELECT 1"));
    return rows.front().text(0);  // an integer read as text: a bug, reported, rolled back
  });
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, Errc::internal);
  // The worker survived both.
  add_user(1);
}

TEST_P(DatabaseTest, SqlErrorsAreClassified) {
  add_user(1);
  auto dup = run<std::int64_t>([&](Tx& tx) {
    return tx.connection().exec(
        "INSERT INTO users (id, first_name, created_at, last_seen_at, updated_at) VALUES (1, 'x', "
        "@ts($1), @ts($1), @ts($1))",
        now());
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::conflict);
  auto check = run<std::int64_t>([](Tx& tx) {
    return tx.connection().exec("UPDATE wallets SET available = -1 WHERE user_id = 1");
  });
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code, Errc::invalid_input);
  auto missing = run<std::int64_t>([](Tx& tx) { return tx.connection().exec("DELETE FROM nope"); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::unavailable);
  auto fk = run<std::int64_t>([&](Tx& tx) {
    return tx.connection().exec(
        "INSERT INTO wallets (user_id, available, held, updated_at) VALUES (999, 0, 0, @ts($1))",
        now());
  });
  ASSERT_FALSE(fk);
  EXPECT_EQ(fk.error().code, Errc::not_found);
}

TEST_P(DatabaseTest, BlockingCallsOnAWorkerAreRefused) {
  auto r = run<int>([&](Tx&) -> Result<int> {
    auto inner = db().transact_blocking<int>([](Tx&) -> Result<int> { return 1; });
    if (inner) return fail(Errc::internal, "nested blocking call should be refused");
    return inner.error().code == Errc::internal ? 0 : 2;
  });
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, 0);
}

TEST_P(DatabaseTest, AFullQueueFailsFastInsteadOfGrowing) {
  close();
  auto o = options();
  o.pool_size = 1;
  o.queue_limit = 2;
  auto small = must(open(o));
  std::latch started(1), release(1);
  // Occupy the only worker (a test-only hold: real units are pure database work).
  std::thread holder([&] {
    (void)small->transact_blocking<int>([&](Tx&) -> Result<int> {
      started.count_down();
      release.wait();
      return 0;
    });
  });
  started.wait();
  std::vector<std::future<Result<int>>> queued;
  for (int i = 0; i < 2; ++i)
    queued.push_back(std::async(std::launch::async, [&] {
      return small->transact_blocking<int>([](Tx&) -> Result<int> { return 1; });
    }));
  // Wait until both sit in the queue, then one more is refused at once.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto refused = small->transact_blocking<int>([](Tx&) -> Result<int> { return 1; });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  release.count_down();
  holder.join();
  for (auto& f : queued) EXPECT_TRUE(f.get());
}

TEST_P(DatabaseTest, AfterShutdownCallsFailCleanly) {
  db().shutdown();
  auto r = run<int>([](Tx&) -> Result<int> { return 1; });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
}

}  // namespace
}  // namespace kb::store::test
