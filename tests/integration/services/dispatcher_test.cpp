// The dispatcher over the real inbox: per-chat order under concurrency, retries with backoff,
// dead letters, a throwing handler, resuming after a restart, purging.
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "integration/store/store_fixture.hpp"
#include "services/dispatcher/dispatcher.hpp"
#include "support/async_test.hpp"

namespace kb::store::test {
namespace {

using services::Dispatcher;
using services::DispatcherOptions;

// Completes items like a real handler (in a transaction), after a random delay; can be told to
// fail or throw for given updates; records what ran and how many ran at once per chat.
class RecordingHandler final : public services::UpdateHandler {
 public:
  RecordingHandler(Database& db, const Clock& clock, bool random_delays)
      : db_(db), clock_(clock), random_delays_(random_delays) {}

  Task<Result<void>> handle(const InboxItem& item) override {
    {
      std::lock_guard lock(mutex_);
      if (++running_per_chat_[item.chat_key] > 1) overlapping_ = true;
      max_running_ = std::max(max_running_, ++running_);
    }
    if (random_delays_) {
      int ms = 0;
      {
        std::lock_guard lock(mutex_);
        ms = std::uniform_int_distribution<int>(0, 4)(rng_);
      }
      asio::steady_timer t(co_await asio::this_coro::executor);
      t.expires_after(std::chrono::milliseconds(ms));
      co_await t.async_wait(asio::use_awaitable);
    }
    bool fail_now = false, throw_now = false;
    {
      std::lock_guard lock(mutex_);
      attempts_[item.update_id]++;
      if (auto it = failures_.find(item.update_id); it != failures_.end() && it->second != 0) {
        fail_now = true;
        if (it->second > 0) --it->second;
      }
      throw_now = throws_.erase(item.update_id) > 0;
    }
    Result<void> outcome;
    if (throw_now) {
      finish(item);
      throw std::runtime_error("handler bug");
    }
    if (fail_now) {
      outcome = fail(Errc::unavailable, "database unavailable (injected)");
    } else {
      // The work ends with the commit that completes the item: from then on the chat's next
      // update may run, so the overlap check ends here too.
      {
        std::lock_guard lock(mutex_);
        handled_[item.chat_key].push_back(item.update_id);
      }
      finish(item);
      auto now = clock_.now_ms();
      auto id = item.update_id;
      auto done = co_await db_.transact<bool>([&](Tx& tx) { return tx.inbox().complete(id, now); });
      if (!done) outcome = Unexpected(done.error());
      co_return outcome;
    }
    finish(item);
    co_return outcome;
  }

  void fail_times(std::int64_t update_id, int times) {  // -1: always
    std::lock_guard lock(mutex_);
    failures_[update_id] = times;
  }
  void throw_once(std::int64_t update_id) {
    std::lock_guard lock(mutex_);
    throws_.insert(update_id);
  }
  std::map<std::string, std::vector<std::int64_t>> handled() {
    std::lock_guard lock(mutex_);
    return handled_;
  }
  int attempts(std::int64_t update_id) {
    std::lock_guard lock(mutex_);
    return attempts_[update_id];
  }
  bool overlapping() {
    std::lock_guard lock(mutex_);
    return overlapping_;
  }
  int max_running() {
    std::lock_guard lock(mutex_);
    return max_running_;
  }

 private:
  void finish(const InboxItem& item) {
    std::lock_guard lock(mutex_);
    --running_per_chat_[item.chat_key];
    --running_;
  }

  Database& db_;
  const Clock& clock_;
  bool random_delays_;
  std::mutex mutex_;
  std::mt19937 rng_{12345};
  std::map<std::string, int> running_per_chat_;
  int running_ = 0;
  int max_running_ = 0;
  bool overlapping_ = false;
  std::map<std::int64_t, int> failures_;
  std::set<std::int64_t> throws_;
  std::map<std::int64_t, int> attempts_;
  std::map<std::string, std::vector<std::int64_t>> handled_;
};

class DispatcherTest : public StoreTest {
 protected:
  void insert(std::int64_t update_id, std::string chat) {
    must_run<bool>([&](Tx& tx) {
      return tx.inbox().insert(update_id, chat, "message",
                               fmt::format("{{\"update_id\":{}}}", update_id), now());
    });
  }
  std::int64_t pending() {
    return must_run<std::int64_t>([](Tx& tx) { return tx.inbox().pending_count(); });
  }
  int run_until_idle(Dispatcher& d) {
    return io.run<int>([&]() { return d.run_until_idle(); });
  }

  kb::test::IoThread io{4};
};
KB_STORE_BACKENDS(DispatcherTest);

TEST_P(DispatcherTest, OneChatInOrderChatsInParallel) {
  RecordingHandler handler(db(), clock_, true);
  DispatcherOptions o;
  o.max_concurrent = 8;
  o.scan_interval = std::chrono::milliseconds(20);
  Dispatcher dispatcher(db(), handler, clock_, o);
  // 12 chats, 6 updates each, interleaved as Telegram would deliver them.
  std::int64_t id = 1000;
  for (int round = 0; round < 6; ++round)
    for (int chat = 0; chat < 12; ++chat) insert(id++, fmt::format("{}", chat));
  io.run<void>([&]() -> Task<void> { dispatcher.start(co_await asio::this_coro::executor); });
  for (int i = 0; i < 1000 && pending() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  io.run<void>([&]() { return dispatcher.stop(std::chrono::seconds(2)); });
  ASSERT_EQ(pending(), 0);
  auto handled = handler.handled();
  ASSERT_EQ(handled.size(), 12u);
  for (const auto& [chat, ids] : handled) {
    ASSERT_EQ(ids.size(), 6u) << chat;
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << chat;
  }
  EXPECT_FALSE(handler.overlapping());  // never two updates of one chat at once
  EXPECT_GT(handler.max_running(), 1);  // but chats in parallel
  EXPECT_LE(handler.max_running(), 8);
}

TEST_P(DispatcherTest, ErrorsAreRetriedWithBackoffAndPoisonUpdatesDie) {
  RecordingHandler handler(db(), clock_, false);
  DispatcherOptions o;
  o.max_attempts = 3;
  o.retry_first_ms = 1'000;
  Dispatcher dispatcher(db(), handler, clock_, o);
  insert(1, "a");
  insert(2, "a");
  insert(3, "b");
  insert(4, "b");
  handler.fail_times(1, 1);   // recovers
  handler.fail_times(3, -1);  // poison
  run_until_idle(dispatcher);
  EXPECT_TRUE(handler.handled()["a"].empty());  // 1 waits for its retry, 2 waits behind it
  clock_.advance(std::chrono::milliseconds(999));
  run_until_idle(dispatcher);
  EXPECT_TRUE(handler.handled()["a"].empty());
  clock_.advance(std::chrono::milliseconds(1));
  run_until_idle(dispatcher);
  EXPECT_EQ(handler.handled()["a"], (std::vector<std::int64_t>{1, 2}));
  for (int i = 0; i < 5; ++i) {
    clock_.advance(std::chrono::seconds(10));
    run_until_idle(dispatcher);
  }
  EXPECT_EQ(handler.attempts(3), 3);
  EXPECT_EQ(must_run<std::int64_t>([](Tx& tx) { return tx.inbox().dead_count(); }), 1);
  EXPECT_EQ(handler.handled()["b"], (std::vector<std::int64_t>{4}));  // not stuck behind 3
  EXPECT_EQ(pending(), 0);
}

TEST_P(DispatcherTest, AThrowingHandlerIsABugThatIsRetried) {
  RecordingHandler handler(db(), clock_, false);
  Dispatcher dispatcher(db(), handler, clock_, {});
  insert(7, "a");
  handler.throw_once(7);
  run_until_idle(dispatcher);
  EXPECT_EQ(pending(), 1);
  clock_.advance(std::chrono::seconds(2));
  run_until_idle(dispatcher);
  EXPECT_EQ(pending(), 0);
  EXPECT_EQ(handler.attempts(7), 2);
  EXPECT_EQ(handler.handled()["a"], (std::vector<std::int64_t>{7}));
}

TEST_P(DispatcherTest, ItemsOfADeadInstanceResumeAfterTheLease) {
  insert(1, "a");
  insert(2, "a");
  insert(3, "b");
  // The previous process claimed chat a's first item and died.
  must_run<std::vector<InboxItem>>(
      [&](Tx& tx) { return tx.inbox().claim_next("dead", now(), 60'000, 1); });
  RecordingHandler handler(db(), clock_, false);
  DispatcherOptions o;
  o.owner = "restarted";
  Dispatcher dispatcher(db(), handler, clock_, o);
  run_until_idle(dispatcher);
  EXPECT_EQ(handler.handled()["b"], (std::vector<std::int64_t>{3}));
  EXPECT_TRUE(handler.handled()["a"].empty());
  clock_.advance(std::chrono::seconds(60));
  run_until_idle(dispatcher);
  EXPECT_EQ(handler.handled()["a"], (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(handler.attempts(1), 1);
}

// An update whose processing kills the process every time (claimed, crash, restart: each
// restart releases the lease and counts an attempt) is not run again after max_attempts.
TEST_P(DispatcherTest, AnUpdateThatCrashesTheProcessEveryTimeEndsDead) {
  insert(1, "a");
  insert(2, "a");
  DispatcherOptions o;
  o.max_attempts = 3;
  for (int crash = 0; crash < o.max_attempts; ++crash) {
    auto claimed = must_run<std::vector<InboxItem>>(
        [&](Tx& tx) { return tx.inbox().claim_next("crashing", now(), 60'000, 1); });
    ASSERT_EQ(claimed.size(), 1u);
    ASSERT_EQ(claimed[0].update_id, 1);
    must_run<std::int64_t>([](Tx& tx) { return tx.inbox().release_all_leases(); });
  }
  RecordingHandler handler(db(), clock_, false);
  Dispatcher dispatcher(db(), handler, clock_, o);
  run_until_idle(dispatcher);
  EXPECT_EQ(handler.attempts(1), 0);  // never run again
  EXPECT_EQ(must_run<std::int64_t>([](Tx& tx) { return tx.inbox().dead_count(); }), 1);
  EXPECT_EQ(handler.handled()["a"], (std::vector<std::int64_t>{2}));  // the chat moves on
}

TEST_P(DispatcherTest, ProcessedItemsArePurgedAfterTheRetention) {
  RecordingHandler handler(db(), clock_, false);
  DispatcherOptions o;
  o.retention_ms = 48LL * 3600 * 1000;
  Dispatcher dispatcher(db(), handler, clock_, o);
  insert(1, "a");
  run_until_idle(dispatcher);
  insert(2, "b");
  clock_.advance(std::chrono::hours(47));
  run_until_idle(dispatcher);
  clock_.advance(std::chrono::hours(2));
  run_until_idle(dispatcher);  // 1 is 49 h old, 2 is 2 h old
  // A redelivery of a purged update would be stored again; of a kept one, refused.
  EXPECT_TRUE(
      must_run<bool>([&](Tx& tx) { return tx.inbox().insert(1, "a", "message", "{}", now()); }));
  EXPECT_FALSE(
      must_run<bool>([&](Tx& tx) { return tx.inbox().insert(2, "b", "message", "{}", now()); }));
}

}  // namespace
}  // namespace kb::store::test
