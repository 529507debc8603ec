// Outbox repository conformance: per-chat order, urgent rows first, hold-back on retry, leases,
// outcomes, purge (both backends).
#include "store_fixture.hpp"

namespace kb::store::test {
namespace {

class OutboxTest : public StoreTest {
 protected:
  std::int64_t enqueue(std::int64_t chat, std::string method, int priority = 0,
                       std::optional<std::int64_t> deadline = std::nullopt) {
    OutboxDraft d;
    d.chat_id = chat;
    d.method = std::move(method);
    d.params_json = fmt::format("{{\"chat_id\":{}}}", chat);
    d.priority = priority;
    d.deadline_at = deadline;
    d.purpose = "screen";
    d.purpose_ref = std::to_string(chat);
    return must_run<std::int64_t>([&](Tx& tx) { return tx.outbox().enqueue(d, now()); });
  }
  std::vector<OutboxRow> claim(std::int64_t chat, std::string owner = "s1", int limit = 10,
                               std::int64_t lease_ms = 30'000) {
    return must_run<std::vector<OutboxRow>>(
        [&](Tx& tx) { return tx.outbox().claim_chat(chat, owner, now(), lease_ms, limit); });
  }
  static std::vector<std::int64_t> ids(const std::vector<OutboxRow>& rows) {
    std::vector<std::int64_t> out;
    for (const auto& r : rows) out.push_back(r.id);
    return out;
  }
  static std::vector<int> attempts(const std::vector<OutboxRow>& rows) {
    std::vector<int> out;
    for (const auto& r : rows) out.push_back(r.attempts);
    return out;
  }
  OutboxRow row(std::int64_t id) {
    auto r = must_run<std::optional<OutboxRow>>([&](Tx& tx) { return tx.outbox().get(id); });
    if (!r) throw std::runtime_error("no outbox row");
    return *r;
  }
};
KB_STORE_BACKENDS(OutboxTest);

TEST_P(OutboxTest, EnqueueStoresTheDraft) {
  auto id = enqueue(42, "sendMessage", 0, now() + 5000);
  auto r = row(id);
  EXPECT_EQ(r.chat_id, 42);
  EXPECT_EQ(r.method, "sendMessage");
  EXPECT_EQ(r.params_json, "{\"chat_id\":42}");
  EXPECT_EQ(r.purpose, "screen");
  EXPECT_EQ(r.purpose_ref, "42");
  EXPECT_EQ(r.status, OutboxStatus::pending);
  EXPECT_EQ(r.deadline_at, now() + 5000);
  EXPECT_EQ(r.created_at, now());
  EXPECT_EQ(r.next_attempt_at, now());
  EXPECT_EQ(r.attempts, 0);
  EXPECT_FALSE(r.sent_at);
  EXPECT_EQ(must_run<std::int64_t>([](Tx& tx) { return tx.outbox().pending_count(); }), 1);
}

TEST_P(OutboxTest, ClaimsOneChatInIdOrderWithUrgentRowsFirst) {
  auto a1 = enqueue(1, "sendMessage");
  auto b1 = enqueue(2, "sendMessage");
  auto a2 = enqueue(1, "editMessageText");
  auto a_answer = enqueue(1, "answerCallbackQuery", Outbox::kUrgentPriority);
  EXPECT_EQ(ids(claim(1)), (std::vector<std::int64_t>{a_answer, a1, a2}));
  EXPECT_EQ(ids(claim(2)), (std::vector<std::int64_t>{b1}));
}

TEST_P(OutboxTest, ALiveLeaseKeepsOtherSendersAwayUntilItExpires) {
  auto a1 = enqueue(1, "sendMessage");
  enqueue(1, "sendMessage");
  EXPECT_EQ(claim(1, "s1", 1, 5000).size(), 1u);
  // Another sender gets nothing for the chat while any of its rows is leased.
  EXPECT_TRUE(claim(1, "s2").empty());
  EXPECT_TRUE(must_run<std::vector<std::int64_t>>([&](Tx& tx) {
                return tx.outbox().chats_due(now(), 10);
              }).size() == 1);  // the second row is due and not leased
  clock_.advance(std::chrono::milliseconds(5000));
  auto again = claim(1, "s2");
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].id, a1);
  EXPECT_EQ(again[0].attempts, 1);  // its sender died mid-send
  EXPECT_EQ(again[1].attempts, 0);
}

// A batch is leased together but sent one row at a time: a crash (lapsed lease, or the release at
// the next start) counts an attempt for the row in flight only, never for the ones behind it.
TEST_P(OutboxTest, ACrashCountsAnAttemptOnlyForTheRowInFlight) {
  auto a1 = enqueue(1, "sendMessage");
  auto a2 = enqueue(1, "sendMessage");
  auto a3 = enqueue(1, "sendMessage");
  auto b1 = enqueue(2, "sendMessage");
  ASSERT_EQ(claim(1, "s1", 16, 5000).size(), 3u);
  ASSERT_EQ(claim(2, "s1", 16, 5000).size(), 1u);
  clock_.advance(std::chrono::milliseconds(5000));
  auto again = claim(1, "s2", 16, 5000);
  ASSERT_EQ(ids(again), (std::vector<std::int64_t>{a1, a2, a3}));
  EXPECT_EQ(attempts(again), (std::vector<int>{1, 0, 0}));
  EXPECT_EQ(must_run<std::int64_t>([](Tx& tx) { return tx.outbox().release_all_leases(); }), 4);
  clock_.advance(std::chrono::milliseconds(1));
  auto after = claim(1, "s3", 16, 5000);
  ASSERT_EQ(ids(after), (std::vector<std::int64_t>{a1, a2, a3}));
  EXPECT_EQ(attempts(after), (std::vector<int>{2, 0, 0}));
  auto other = claim(2, "s3", 16, 5000);
  ASSERT_EQ(ids(other), (std::vector<std::int64_t>{b1}));
  EXPECT_EQ(other[0].attempts, 1);
}

TEST_P(OutboxTest, ARowWaitingForItsRetryHoldsBackLaterRowsButNotUrgentOnes) {
  auto a1 = enqueue(1, "sendMessage");
  auto a2 = enqueue(1, "sendMessage");
  claim(1);
  auto r = must_run<OutboxRetry>(
      [&](Tx& tx) { return tx.outbox().retry_later(a1, "502", now() + 10'000, 3); });
  EXPECT_EQ(r, OutboxRetry::scheduled);
  must_run<bool>([&](Tx& tx) { return tx.outbox().release(a2); });
  auto answer = enqueue(1, "answerCallbackQuery", Outbox::kUrgentPriority);
  EXPECT_EQ(ids(claim(1)), (std::vector<std::int64_t>{answer}));
  must_run<bool>([&](Tx& tx) { return tx.outbox().mark_sent(answer, std::nullopt, now()); });
  EXPECT_TRUE(claim(1).empty());
  clock_.advance(std::chrono::seconds(10));
  auto rows = claim(1);
  EXPECT_EQ(ids(rows), (std::vector<std::int64_t>{a1, a2}));
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_EQ(rows[0].last_error, "502");
}

TEST_P(OutboxTest, RetriesEndInFailedAfterMaxAttempts) {
  auto id = enqueue(1, "sendMessage");
  claim(1);
  EXPECT_EQ(
      must_run<OutboxRetry>([&](Tx& tx) { return tx.outbox().retry_later(id, "x", now(), 2); }),
      OutboxRetry::scheduled);
  claim(1);
  EXPECT_EQ(
      must_run<OutboxRetry>([&](Tx& tx) { return tx.outbox().retry_later(id, "y", now(), 2); }),
      OutboxRetry::failed);
  EXPECT_EQ(row(id).status, OutboxStatus::failed);
  EXPECT_TRUE(claim(1).empty());
  auto missing = run<OutboxRetry>([&](Tx& tx) { return tx.outbox().retry_later(id, "z", now()); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_P(OutboxTest, OutcomesAreRecordedOnce) {
  auto sent = enqueue(1, "sendMessage");
  auto dropped = enqueue(1, "editMessageText");
  auto failed = enqueue(1, "sendMessage");
  claim(1);
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.outbox().mark_sent(sent, 77, now()); }));
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.outbox().mark_sent(sent, 78, now()); }));
  EXPECT_TRUE(must_run<bool>(
      [&](Tx& tx) { return tx.outbox().mark_dropped(dropped, "message_not_modified", now()); }));
  EXPECT_TRUE(
      must_run<bool>([&](Tx& tx) { return tx.outbox().mark_failed(failed, "bug", now()); }));
  EXPECT_EQ(row(sent).status, OutboxStatus::sent);
  EXPECT_EQ(row(sent).result_message_id, 77);
  EXPECT_EQ(row(sent).sent_at, now());
  EXPECT_EQ(row(dropped).status, OutboxStatus::dropped);
  EXPECT_EQ(row(dropped).last_error, "message_not_modified");
  EXPECT_EQ(row(failed).status, OutboxStatus::failed);
  EXPECT_EQ(must_run<std::int64_t>([](Tx& tx) { return tx.outbox().pending_count(); }), 0);
}

TEST_P(OutboxTest, DropPendingForChatLeavesOtherChatsAlone) {
  enqueue(1, "sendMessage");
  enqueue(1, "sendMessage");
  auto other = enqueue(2, "sendMessage");
  EXPECT_EQ(must_run<std::int64_t>(
                [&](Tx& tx) { return tx.outbox().drop_pending_for_chat(1, "bot_blocked", now()); }),
            2);
  EXPECT_EQ(row(other).status, OutboxStatus::pending);
  auto rows = must_run<std::vector<OutboxRow>>([](Tx& tx) { return tx.outbox().list_for_chat(1); });
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& r : rows) EXPECT_EQ(r.status, OutboxStatus::dropped);
}

TEST_P(OutboxTest, ChatsDueSkipsFutureAndLeasedRows) {
  enqueue(1, "sendMessage");
  enqueue(2, "sendMessage");
  auto c3 = enqueue(3, "sendMessage");
  claim(2);
  claim(3);
  must_run<OutboxRetry>([&](Tx& tx) { return tx.outbox().retry_later(c3, "x", now() + 1000); });
  auto due =
      must_run<std::vector<std::int64_t>>([&](Tx& tx) { return tx.outbox().chats_due(now(), 10); });
  EXPECT_EQ(due, (std::vector<std::int64_t>{1}));
  clock_.advance(std::chrono::seconds(1));
  due =
      must_run<std::vector<std::int64_t>>([&](Tx& tx) { return tx.outbox().chats_due(now(), 10); });
  EXPECT_EQ(due, (std::vector<std::int64_t>{1, 3}));
}

TEST_P(OutboxTest, PurgeDeletesOnlyOldFinishedRows) {
  auto old_sent = enqueue(1, "sendMessage");
  auto old_pending = enqueue(2, "sendMessage");
  claim(1);
  must_run<bool>([&](Tx& tx) { return tx.outbox().mark_sent(old_sent, 1, now()); });
  clock_.advance(std::chrono::hours(49));
  auto fresh = enqueue(1, "sendMessage");
  claim(1);
  must_run<bool>([&](Tx& tx) { return tx.outbox().mark_sent(fresh, 2, now()); });
  auto purged = must_run<std::int64_t>(
      [&](Tx& tx) { return tx.outbox().purge_finished_before(now() - 48LL * 3600 * 1000); });
  EXPECT_EQ(purged, 1);
  EXPECT_FALSE(
      must_run<std::optional<OutboxRow>>([&](Tx& tx) { return tx.outbox().get(old_sent); }));
  EXPECT_EQ(row(old_pending).status, OutboxStatus::pending);
  EXPECT_EQ(row(fresh).status, OutboxStatus::sent);
}

}  // namespace
}  // namespace kb::store::test
