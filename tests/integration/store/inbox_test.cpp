// Durable inbox conformance: dedupe, per-chat order, leases, retries, dead letters (both backends).
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "store_fixture.hpp"

namespace kb::store::test {
namespace {

class InboxTest : public StoreTest {
 protected:
  bool insert(std::int64_t update_id, std::string chat) {
    return must_run<bool>([&](Tx& tx) {
      return tx.inbox().insert(update_id, chat, "message",
                               fmt::format("{{\"update_id\":{}}}", update_id), now());
    });
  }
  std::vector<InboxItem> claim(std::string owner, int limit = 10, std::int64_t lease_ms = 30'000) {
    return must_run<std::vector<InboxItem>>(
        [&](Tx& tx) { return tx.inbox().claim_next(owner, now(), lease_ms, limit); });
  }
  bool complete(std::int64_t update_id) {
    return must_run<bool>([&](Tx& tx) { return tx.inbox().complete(update_id, now()); });
  }
  std::int64_t pending() {
    return must_run<std::int64_t>([](Tx& tx) { return tx.inbox().pending_count(); });
  }
  static std::vector<std::int64_t> ids(const std::vector<InboxItem>& items) {
    std::vector<std::int64_t> out;
    for (const auto& i : items) out.push_back(i.update_id);
    return out;
  }
};
KB_STORE_BACKENDS(InboxTest);

TEST_P(InboxTest, DuplicatesAreRefused) {
  EXPECT_TRUE(insert(100, "chat:1"));
  EXPECT_FALSE(insert(100, "chat:1"));
  EXPECT_EQ(pending(), 1);
  auto items = claim("w1");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].chat_key, "chat:1");
  EXPECT_EQ(items[0].kind, "message");
  EXPECT_EQ(items[0].payload_json, "{\"update_id\":100}");
  EXPECT_EQ(items[0].received_at, now());
  EXPECT_EQ(items[0].attempts, 0);
}

TEST_P(InboxTest, OneItemPerChatOldestFirstChatsInParallel) {
  insert(1, "a");
  insert(2, "b");
  insert(3, "a");
  insert(4, "c");
  insert(5, "b");
  EXPECT_EQ(ids(claim("w1")), (std::vector<std::int64_t>{1, 2, 4}));
  // Every chat has an item under a live lease: nothing more until one completes.
  EXPECT_TRUE(claim("w2").empty());
  EXPECT_TRUE(complete(1));
  EXPECT_EQ(ids(claim("w2")), (std::vector<std::int64_t>{3}));
  EXPECT_TRUE(complete(2));
  EXPECT_TRUE(complete(4));
  EXPECT_EQ(ids(claim("w2")), (std::vector<std::int64_t>{5}));
  EXPECT_FALSE(complete(1));  // already done
  EXPECT_EQ(pending(), 2);
}

TEST_P(InboxTest, LimitCapsTheClaim) {
  for (int i = 1; i <= 5; ++i) insert(i, fmt::format("chat{}", i));
  EXPECT_EQ(ids(claim("w", 2)), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(ids(claim("w", 10)), (std::vector<std::int64_t>{3, 4, 5}));
}

TEST_P(InboxTest, AnExpiredLeaseIsClaimedAgainAndCountsAnAttempt) {
  insert(1, "a");
  insert(2, "a");
  ASSERT_EQ(claim("dead-worker", 10, 5000).size(), 1u);
  clock_.advance(std::chrono::milliseconds(4999));
  EXPECT_TRUE(claim("w2").empty());
  clock_.advance(std::chrono::milliseconds(1));
  auto again = claim("w2");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].update_id, 1);
  EXPECT_EQ(again[0].attempts, 1);
}

TEST_P(InboxTest, RetryLaterDelaysTheChatAndDeadLettersAfterMaxAttempts) {
  insert(1, "a");
  insert(2, "a");
  insert(3, "b");
  claim("w");
  auto r = must_run<InboxRetry>(
      [&](Tx& tx) { return tx.inbox().retry_later(1, "telegram 502", now() + 10'000, 2); });
  EXPECT_EQ(r, InboxRetry::scheduled);
  // Chat "a" waits for its first item (order), chat "b" is still leased.
  EXPECT_TRUE(claim("w").empty());
  clock_.advance(std::chrono::seconds(10));
  auto items = claim("w");
  ASSERT_EQ(ids(items), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(items[0].attempts, 1);
  r = must_run<InboxRetry>(
      [&](Tx& tx) { return tx.inbox().retry_later(1, "again", now() + 10'000, 2); });
  EXPECT_EQ(r, InboxRetry::dead);
  // The dead item no longer holds its chat back.
  EXPECT_EQ(ids(claim("w")), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(must_run<std::int64_t>([](Tx& tx) { return tx.inbox().dead_count(); }), 1);
  auto missing = run<InboxRetry>([&](Tx& tx) { return tx.inbox().retry_later(1, "x", now(), 2); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_P(InboxTest, PurgeRemovesOnlyOldProcessedItems) {
  insert(1, "a");
  insert(2, "b");
  insert(3, "c");
  claim("w");
  complete(1);
  clock_.advance(std::chrono::hours(1));
  complete(2);
  auto purged = must_run<std::int64_t>(
      [&](Tx& tx) { return tx.inbox().purge_processed_before(now() - 1000); });
  EXPECT_EQ(purged, 1);
  EXPECT_TRUE(insert(1, "a"));   // gone, so it could be stored again
  EXPECT_FALSE(insert(2, "b"));  // still remembered
  EXPECT_EQ(pending(), 2);       // 3 and the re-inserted 1
}

TEST_P(InboxTest, BadUpdatesAreKept) {
  auto id = must_run<std::int64_t>(
      [&](Tx& tx) { return tx.inbox().insert_bad("{not json", "parse error", now()); });
  EXPECT_GT(id, 0);
  auto rows = must_run<db::Rows>(
      [](Tx& tx) { return tx.connection().query("SELECT raw, reason FROM inbox_rejects"); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text(0), "{not json");
  EXPECT_EQ(rows[0].text(1), "parse error");
}

// Two workers drain 3 chats concurrently: every update exactly once, each chat in order.
TEST_P(InboxTest, ConcurrentWorkersKeepPerChatOrder) {
  const int kItems = 36;
  for (int i = 1; i <= kItems; ++i) insert(i, fmt::format("chat{}", i % 3));
  std::mutex mutex;
  std::map<std::string, std::vector<std::int64_t>> seen;
  std::map<std::int64_t, int> times;
  std::atomic<int> done{0};
  auto worker = [&](std::string owner) {
    for (int spins = 0; done.load() < kItems && spins < 2000; ++spins) {
      auto items = claim(owner, 2);
      for (const auto& item : items) {
        {
          std::lock_guard lock(mutex);
          seen[item.chat_key].push_back(item.update_id);
          ++times[item.update_id];
        }
        ASSERT_TRUE(complete(item.update_id));
        ++done;
      }
      if (items.empty()) std::this_thread::yield();
    }
  };
  std::thread a(worker, "w1"), b(worker, "w2");
  a.join();
  b.join();
  EXPECT_EQ(done.load(), kItems);
  EXPECT_EQ(times.size(), static_cast<std::size_t>(kItems));
  for (const auto& [id, n] : times) EXPECT_EQ(n, 1) << id;
  for (const auto& [chat, order] : seen)
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end())) << chat;
}

}  // namespace
}  // namespace kb::store::test
