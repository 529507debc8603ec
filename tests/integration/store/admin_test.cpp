// Referrals, admin audit, settings, broadcasts, rate limits and media refs (both backends).
#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace kb::store::test {
namespace {

class MiscStoreTest : public StoreTest {};
KB_STORE_BACKENDS(MiscStoreTest);

TEST_P(MiscStoreTest, ReferralsFirstReferrerOnlyAndRewardOnce) {
  add_user(1);
  add_user(2);
  add_user(3);
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.referrals().attach(2, 2, now()); }));
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.referrals().attach(2, 404, now()); }));
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.referrals().attach(2, 1, now()); }));
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.referrals().attach(2, 3, now()); }));
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.referrals().attach(3, 1, now()); }));
  auto r = must_run<std::optional<Referral>>([](Tx& tx) { return tx.referrals().get(2); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->referrer_id, 1);
  EXPECT_EQ(r->rewarded_at, std::nullopt);
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.referrals().mark_rewarded(2, now()); }));
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.referrals().mark_rewarded(2, now()); }));
  auto counts = must_run<ReferralCounts>([](Tx& tx) { return tx.referrals().counts(1); });
  EXPECT_EQ(counts.invited, 2);
  EXPECT_EQ(counts.rewarded, 1);
  EXPECT_FALSE(must_run<std::optional<Referral>>([](Tx& tx) { return tx.referrals().get(1); }));
}

TEST_P(MiscStoreTest, AdminActionsAreAudited) {
  auto a = must_run<std::int64_t>([&](Tx& tx) {
    return tx.admin_actions().record(900, "balance_adjust", 5, R"({"delta":100})", now());
  });
  must_run<std::int64_t>([&](Tx& tx) {
    return tx.admin_actions().record(900, "model_disable", std::nullopt, "", now());
  });
  auto all = must_run<std::vector<AdminAction>>([](Tx& tx) { return tx.admin_actions().list(10); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].action, "model_disable");
  EXPECT_EQ(all[0].payload_json, "{}");
  EXPECT_EQ(all[1].id, a);
  EXPECT_EQ(all[1].target_user_id, 5);
  auto mine = must_run<std::vector<AdminAction>>(
      [](Tx& tx) { return tx.admin_actions().list_for_user(5, 10); });
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].payload_json, R"({"delta":100})");
}

TEST_P(MiscStoreTest, SettingsAndModelOverrides) {
  EXPECT_FALSE(
      must_run<std::optional<std::string>>([](Tx& tx) { return tx.settings().get("free_limit"); }));
  auto set = [&](std::string v) {
    must_run<bool>([&](Tx& tx) -> Result<bool> {
      KB_TRY(tx.settings().set("free_limit", v, now()));
      return true;
    });
  };
  set("5");
  set("7");
  EXPECT_EQ(
      must_run<std::optional<std::string>>([](Tx& tx) { return tx.settings().get("free_limit"); }),
      "7");
  EXPECT_TRUE(must_run<bool>([](Tx& tx) { return tx.settings().erase("free_limit"); }));
  EXPECT_FALSE(must_run<bool>([](Tx& tx) { return tx.settings().erase("free_limit"); }));

  must_run<bool>([&](Tx& tx) -> Result<bool> {
    KB_TRY(tx.settings().set_model_override({"flux", false, std::nullopt, 900, 0}, now()));
    KB_TRY(tx.settings().set_model_override({"sora", std::nullopt, true, std::nullopt, 0}, now()));
    KB_TRY(tx.settings().set_model_override({"flux", true, false, 901, 0}, now()));
    return true;
  });
  auto flux = must_run<std::optional<ModelOverride>>(
      [](Tx& tx) { return tx.settings().model_override("flux"); });
  ASSERT_TRUE(flux);
  EXPECT_EQ(flux->enabled, true);
  EXPECT_EQ(flux->free, false);
  EXPECT_EQ(flux->updated_by, 901);
  auto all =
      must_run<std::vector<ModelOverride>>([](Tx& tx) { return tx.settings().model_overrides(); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].model_id, "sora");
  EXPECT_EQ(all[1].enabled, std::nullopt);
  EXPECT_EQ(all[1].free, true);
}

TEST_P(MiscStoreTest, BroadcastsAreResumableBatches) {
  ASSERT_TRUE(db().features().broadcasts);
  for (int id = 1; id <= 5; ++id) add_user(id);
  must_run<bool>([&](Tx& tx) { return tx.users().set_blocked(2, true, now()); });
  must_run<bool>([&](Tx& tx) { return tx.users().set_banned(3, true, now()); });
  auto id = must_run<std::int64_t>(
      [&](Tx& tx) { return tx.broadcasts().create(900, R"({"text":"hi"})", now()); });
  EXPECT_EQ(must_run<std::int64_t>([&](Tx& tx) { return tx.broadcasts().enqueue_all(id); }), 3);
  EXPECT_EQ(must_run<std::int64_t>([&](Tx& tx) { return tx.broadcasts().enqueue_all(id); }), 0);
  auto batch = must_run<std::vector<std::int64_t>>(
      [&](Tx& tx) { return tx.broadcasts().next_batch(id, 2); });
  EXPECT_EQ(batch, (std::vector<std::int64_t>{1, 4}));
  EXPECT_TRUE(must_run<bool>(
      [&](Tx& tx) { return tx.broadcasts().mark(id, 1, RecipientStatus::sent, now()); }));
  EXPECT_TRUE(must_run<bool>(
      [&](Tx& tx) { return tx.broadcasts().mark(id, 4, RecipientStatus::blocked, now()); }));
  EXPECT_FALSE(must_run<bool>(
      [&](Tx& tx) { return tx.broadcasts().mark(id, 1, RecipientStatus::failed, now()); }));
  auto counts = must_run<BroadcastCounts>([&](Tx& tx) { return tx.broadcasts().counts(id); });
  EXPECT_EQ(counts.sent, 1);
  EXPECT_EQ(counts.blocked, 1);
  EXPECT_EQ(counts.pending, 1);
  EXPECT_EQ(counts.total(), 3);
  EXPECT_TRUE(
      must_run<bool>([&](Tx& tx) { return tx.broadcasts().set_status(id, "running", now()); }));
  auto active =
      must_run<std::vector<Broadcast>>([](Tx& tx) { return tx.broadcasts().list_active(); });
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].status, "running");
  EXPECT_EQ(active[0].content_json, R"({"text":"hi"})");
  // Setting a status is a transition: repeating it, or leaving a final one, changes nothing (of
  // two instances finishing a broadcast at once, one sends the report).
  EXPECT_FALSE(
      must_run<bool>([&](Tx& tx) { return tx.broadcasts().set_status(id, "running", now()); }));
  EXPECT_TRUE(
      must_run<bool>([&](Tx& tx) { return tx.broadcasts().set_status(id, "done", now()); }));
  EXPECT_FALSE(
      must_run<bool>([&](Tx& tx) { return tx.broadcasts().set_status(id, "done", now()); }));
  EXPECT_FALSE(
      must_run<bool>([&](Tx& tx) { return tx.broadcasts().set_status(id, "running", now()); }));
  auto b = must_run<std::optional<Broadcast>>([&](Tx& tx) { return tx.broadcasts().get(id); });
  EXPECT_EQ(b->finished_at, now());
  EXPECT_TRUE(must_run<std::vector<Broadcast>>([](Tx& tx) {
                return tx.broadcasts().list_active();
              }).empty());
}

TEST_P(MiscStoreTest, RateLimitBucketsRefillWithTime) {
  ASSERT_TRUE(db().features().rate_limits);
  auto take = [&](std::int64_t user) {
    return must_run<std::optional<std::int64_t>>(
        [&](Tx& tx) { return tx.rate_limits().take_user(user, 1, 2, 60, now()); });
  };
  EXPECT_FALSE(take(1));
  EXPECT_FALSE(take(1));
  auto wait = take(1);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 1000);
  EXPECT_FALSE(take(2));  // another user's bucket
  clock_.advance(std::chrono::milliseconds(1000));
  EXPECT_FALSE(take(1));
  auto bad = run<std::optional<std::int64_t>>(
      [&](Tx& tx) { return tx.rate_limits().take("k", 5, 2, 60, now()); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_input);
}

TEST_P(MiscStoreTest, RacingTakersNeverExceedTheBucket) {
  std::atomic<int> granted{0};
  auto taker = [&] {
    for (int i = 0; i < 15; ++i) {
      auto r = must_run<std::optional<std::int64_t>>(
          [&](Tx& tx) { return tx.rate_limits().take("telegram:global", 1, 10, 1, now()); });
      if (!r) ++granted;
    }
  };
  std::thread a(taker), b(taker);
  a.join();
  b.join();
  EXPECT_EQ(granted.load(), 10);
}

TEST_P(MiscStoreTest, MediaRefsKeepOneIdPerFile) {
  MediaRef m;
  m.telegram_file_id = "AgAC-old";
  m.file_unique_id = "uniq-1";
  m.mime_type = "image/jpeg";
  m.file_size = 12345;
  auto id = must_run<std::int64_t>([&](Tx& tx) { return tx.media().put(m, now()); });
  m.telegram_file_id = "AgAC-new";
  m.mime_type.reset();
  EXPECT_EQ(must_run<std::int64_t>([&](Tx& tx) { return tx.media().put(m, now()); }), id);
  auto got = must_run<std::optional<MediaRef>>([&](Tx& tx) { return tx.media().get(id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->telegram_file_id, "AgAC-new");
  EXPECT_EQ(got->mime_type, "image/jpeg");
  EXPECT_EQ(got->file_size, 12345);
  EXPECT_FALSE(must_run<std::optional<MediaRef>>([](Tx& tx) { return tx.media().get(999); }));
}

}  // namespace
}  // namespace kb::store::test
