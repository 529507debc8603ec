// Users and conversation state conformance (both backends).
#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace kb::store::test {
namespace {

class UsersTest : public StoreTest {
 protected:
  std::optional<User> get(std::int64_t id) {
    return must_run<std::optional<User>>([&](Tx& tx) { return tx.users().get(id); });
  }
};
KB_STORE_BACKENDS(UsersTest);

TEST_P(UsersTest, UpsertCreatesTheUserAndTheWallet) {
  clock_.set_ms(1767225600123);  // milliseconds survive the round trip
  TelegramProfile p{42, "Alice_B", "Alice", "B", "en"};
  auto r = must_run<UpsertedUser>([&](Tx& tx) { return tx.users().upsert_seen(p, now()); });
  EXPECT_TRUE(r.created);
  EXPECT_EQ(r.user.id, 42);
  EXPECT_EQ(r.user.username, "Alice_B");
  EXPECT_EQ(r.user.first_name, "Alice");
  EXPECT_EQ(r.user.last_name, "B");
  EXPECT_EQ(r.user.language_code, "en");
  EXPECT_EQ(r.user.language, std::nullopt);
  EXPECT_EQ(r.user.role, Role::user);
  EXPECT_FALSE(r.user.blocked_bot);
  EXPECT_FALSE(r.user.banned);
  EXPECT_EQ(r.user.created_at, 1767225600123);
  EXPECT_EQ(r.user.last_seen_at, 1767225600123);
  auto wallet = must_run<std::int64_t>([](Tx& tx) -> Result<std::int64_t> {
    auto rows = KB_TRY(tx.connection().query("SELECT count(*) FROM wallets WHERE user_id = 42"));
    return rows.front().i64(0);
  });
  EXPECT_EQ(wallet, 1);
}

TEST_P(UsersTest, UpsertAgainRefreshesTheProfile) {
  add_user(7, "Old");
  auto created_at = get(7)->created_at;
  clock_.advance(std::chrono::minutes(5));
  must_run<bool>([&](Tx& tx) { return tx.users().set_blocked(7, true, now()); });
  TelegramProfile p{7, std::nullopt, "New", std::nullopt, "de"};
  auto r = must_run<UpsertedUser>([&](Tx& tx) { return tx.users().upsert_seen(p, now()); });
  EXPECT_FALSE(r.created);
  EXPECT_EQ(r.user.first_name, "New");
  EXPECT_EQ(r.user.username, std::nullopt);
  EXPECT_EQ(r.user.language_code, "de");
  EXPECT_EQ(r.user.created_at, created_at);
  EXPECT_EQ(r.user.last_seen_at, now());
  EXPECT_FALSE(r.user.blocked_bot);  // hearing from the user means they unblocked the bot
}

TEST_P(UsersTest, MissingUserIsEmpty) {
  EXPECT_FALSE(get(999));
}

TEST_P(UsersTest, FindByUsernameIgnoresCaseAndAt) {
  add_user(5);  // username "user5"
  auto found =
      must_run<std::optional<User>>([](Tx& tx) { return tx.users().find_by_username("@USER5"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, 5);
  EXPECT_FALSE(
      must_run<std::optional<User>>([](Tx& tx) { return tx.users().find_by_username("nobody"); }));
}

TEST_P(UsersTest, SettersChangeOneUserAndReportUnknownOnes) {
  add_user(1);
  add_user(2);
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.users().set_language(1, "en", now()); }));
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.users().set_role(1, Role::admin, now()); }));
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.users().set_banned(2, true, now()); }));
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.users().set_blocked(2, true, now()); }));
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.users().set_language(3, "en", now()); }));
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.users().set_banned(3, true, now()); }));
  auto one = get(1), two = get(2);
  EXPECT_EQ(one->language, "en");
  EXPECT_EQ(one->role, Role::admin);
  EXPECT_FALSE(one->banned);
  EXPECT_TRUE(two->banned);
  EXPECT_TRUE(two->blocked_bot);
  EXPECT_EQ(two->role, Role::user);
  EXPECT_EQ(must_run<std::vector<std::int64_t>>([](Tx& tx) { return tx.users().admin_ids(); }),
            std::vector<std::int64_t>{1});
}

TEST_P(UsersTest, CountsAndActivity) {
  add_user(1);
  clock_.advance(std::chrono::hours(48));
  auto since = now();
  add_user(2);
  add_user(3);
  EXPECT_EQ(must_run<std::int64_t>([](Tx& tx) { return tx.users().count_all(); }), 3);
  EXPECT_EQ(must_run<std::int64_t>([&](Tx& tx) { return tx.users().count_active_since(since); }),
            2);
}

TEST_P(UsersTest, ListIdsAfterPagesReachableUsers) {
  for (int id = 1; id <= 6; ++id) add_user(id);
  must_run<bool>([&](Tx& tx) { return tx.users().set_blocked(3, true, now()); });
  must_run<bool>([&](Tx& tx) { return tx.users().set_banned(4, true, now()); });
  auto page1 =
      must_run<std::vector<std::int64_t>>([](Tx& tx) { return tx.users().list_ids_after(0, 2); });
  EXPECT_EQ(page1, (std::vector<std::int64_t>{1, 2}));
  auto page2 =
      must_run<std::vector<std::int64_t>>([](Tx& tx) { return tx.users().list_ids_after(2, 10); });
  EXPECT_EQ(page2, (std::vector<std::int64_t>{5, 6}));
}

class ConversationTest : public StoreTest {
 protected:
  Result<std::int64_t> save(std::int64_t user, std::string json, std::int64_t expected,
                            std::optional<std::int64_t> expires = {}) {
    return run<std::int64_t>(
        [&](Tx& tx) { return tx.conversations().save(user, json, expected, expires, now()); });
  }
  std::optional<ConversationState> load(std::int64_t user) {
    return must_run<std::optional<ConversationState>>(
        [&](Tx& tx) { return tx.conversations().load(user); });
  }
};
KB_STORE_BACKENDS(ConversationTest);

TEST_P(ConversationTest, CompareAndSet) {
  EXPECT_FALSE(load(1));
  EXPECT_EQ(must(save(1, R"({"screen":"home"})", 0, now() + 60'000)), 1);
  auto s = load(1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->state_json, R"({"screen":"home"})");
  EXPECT_EQ(s->version, 1);
  EXPECT_EQ(s->updated_at, now());
  EXPECT_EQ(s->expires_at, now() + 60'000);
  EXPECT_FALSE(s->expired(now()));
  EXPECT_TRUE(s->expired(now() + 60'000));

  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(must(save(1, R"({"screen":"models"})", 1)), 2);
  auto stale = save(1, R"({"screen":"stale"})", 1);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Errc::conflict);
  auto fresh_insert = save(1, "{}", 0);
  ASSERT_FALSE(fresh_insert);
  EXPECT_EQ(fresh_insert.error().code, Errc::conflict);
  auto after = load(1);
  EXPECT_EQ(after->state_json, R"({"screen":"models"})");
  EXPECT_EQ(after->version, 2);
  EXPECT_EQ(after->expires_at, std::nullopt);
}

TEST_P(ConversationTest, ClearKeepsCountingVersions) {
  must(save(1, "{\"a\":1}", 0));
  EXPECT_EQ(must_run<std::int64_t>([&](Tx& tx) { return tx.conversations().clear(1, now()); }), 2);
  auto s = load(1);
  EXPECT_EQ(s->state_json, "");
  EXPECT_EQ(s->version, 2);
  EXPECT_FALSE(save(1, "{}", 1));  // a writer holding the old version still conflicts
  EXPECT_EQ(must(save(1, "{\"b\":2}", 2)), 3);
  EXPECT_EQ(must_run<std::int64_t>([&](Tx& tx) { return tx.conversations().clear(99, now()); }), 0);
}

TEST_P(ConversationTest, PurgeExpired) {
  must(save(1, "{}", 0, now() + 1000));
  must(save(2, "{}", 0, now() + 5000));
  must(save(3, "{}", 0));
  auto purged = must_run<std::int64_t>(
      [&](Tx& tx) { return tx.conversations().purge_expired_before(now() + 2000); });
  EXPECT_EQ(purged, 1);
  EXPECT_FALSE(load(1));
  EXPECT_TRUE(load(2));
  EXPECT_TRUE(load(3));
}

TEST_P(ConversationTest, RacingWritersOnOneVersionOneWins) {
  for (int round = 0; round < 20; ++round) {
    must(save(round, "{}", 0));
    std::atomic<int> won{0}, conflicted{0};
    auto writer = [&](int who) {
      auto r = save(round, fmt::format("{{\"by\":{}}}", who), 1);
      if (r)
        ++won;
      else if (r.error().code == Errc::conflict)
        ++conflicted;
    };
    std::thread a(writer, 1), b(writer, 2);
    a.join();
    b.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(conflicted.load(), 1);
    EXPECT_EQ(load(round)->version, 2);
  }
}

}  // namespace
}  // namespace kb::store::test
