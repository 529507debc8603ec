// The jobs runner on every path the provider can take: output kinds, callbacks versus polling,
// slow tasks, Telegram throttling during delivery, and two runner instances on one database.
#include <thread>

#include <gtest/gtest.h>

#include "runner_harness.hpp"
#include "services/jobs/cancel.hpp"
#include "support/pg_test_db.hpp"

namespace kb::services {
namespace {

using test::RunnerHarness;
using test::RunnerHarnessOptions;

bool state_is(RunnerHarness& h, std::int64_t job_id, std::string_view state) { return h.job(job_id).state == state; }

std::size_t sent_of_kind(RunnerHarness& h, std::int64_t chat, std::string_view kind) {
  std::size_t n = 0;
  for (const auto& m : h.telegram->bot_messages(chat)) n += m.kind == kind;
  return n;
}

TEST(JobRunnerPaths, VideoModelIsDeliveredAsAVideo) {
  RunnerHarness h;
  auto user = h.user_with_balance(500'00);
  auto confirmed = h.confirm(user, "kling/v2-5-turbo-text-to-video-pro", {{"prompt", std::string("waves")}});
  ASSERT_EQ(confirmed.status, ConfirmStatus::created);
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "delivered"); }));
  EXPECT_EQ(sent_of_kind(h, user.id, "video"), 1u);
  EXPECT_EQ(h.balance(user.id), (store::Balance{500'00 - confirmed.job->price_kopecks, 0}));
}

TEST(JobRunnerPaths, AudioModelIsDeliveredAsAnAudio) {
  RunnerHarness h;
  auto user = h.user_with_balance(500'00);
  auto confirmed = h.confirm(user, "elevenlabs/sound-effect-v2", {{"text", std::string("rain on a roof")}});
  ASSERT_EQ(confirmed.status, ConfirmStatus::created);
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "delivered"); }));
  EXPECT_EQ(sent_of_kind(h, user.id, "audio"), 1u);
  EXPECT_EQ(h.balance(user.id).held, 0);
}

// The first safety-net poll is far away: only the callback can make the job finish this early.
TEST(JobRunnerPaths, CallbackAloneTriggersTheConfirmationAndDelivery) {
  RunnerHarnessOptions options;
  options.callbacks = true;
  options.poll.first_ms = 30 * 60'000;
  options.poll.callback_safety_ms = 30 * 60'000;
  RunnerHarness h(options);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("a fox")}});
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "delivered"); }, 60));
  EXPECT_LE(h.kie->calls("recordInfo"), 2u);
  EXPECT_EQ(h.deliveries(confirmed.job->id).size(), 1u);
}

TEST(JobRunnerPaths, PollingAloneFindsTheResult) {
  RunnerHarness h;
  sandbox::Lifecycle silent;
  silent.callbacks = 0;
  h.kie->set_lifecycle("*", silent);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("a fox")}});
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "delivered"); }));
  EXPECT_GE(h.kie->calls("recordInfo"), 1u);
  EXPECT_EQ(sent_of_kind(h, user.id, "photo"), 1u);
}

// Duplicated callbacks and frequent polls race for the same result: one delivery, one capture.
TEST(JobRunnerPaths, CallbacksAndPollingTogetherDeliverExactlyOnce) {
  RunnerHarnessOptions options;
  options.callbacks = true;
  options.poll.first_ms = 500;
  options.poll.callback_safety_ms = 1'000;
  RunnerHarness h(options);
  sandbox::Lifecycle duplicated;
  duplicated.callbacks = 2;
  h.kie->set_lifecycle("*", duplicated);
  auto user = h.user_with_balance(50'00);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("twice?")}}).job->id);
  ASSERT_TRUE(h.run_until([&] {
    for (auto id : ids)
      if (!state_is(h, id, "delivered")) return false;
    return true;
  }));
  h.run_until([] { return false; }, 5);
  for (auto id : ids) EXPECT_EQ(h.deliveries(id).size(), 1u);
  EXPECT_EQ(sent_of_kind(h, user.id, "photo"), 3u);
  EXPECT_EQ(h.kie->create_calls(), 3u);
  EXPECT_EQ(h.balance(user.id).held, 0);
}

TEST(JobRunnerPaths, ThrottledDeliveryWaitsAndDeliversOnce) {
  RunnerHarness h;
  h.telegram->inject_error("sendPhoto", sandbox::tg::InjectedError::too_many_requests(1), 2);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("busy")}});
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "delivered"); }));
  EXPECT_EQ(sent_of_kind(h, user.id, "photo"), 1u);
  EXPECT_EQ(h.deliveries(confirmed.job->id).size(), 1u);
  EXPECT_EQ(h.balance(user.id).held, 0);
}

TEST(JobRunnerPaths, SlowTaskIsAnnouncedAsDelayedThenDelivered) {
  RunnerHarness h;
  auto model = h.catalog->get()->find("flux-2/pro-text-to-image");
  ASSERT_NE(model, nullptr);
  sandbox::Lifecycle slow;
  slow.finish_after_ms = static_cast<int>((model->patience.count() + 120) * 1000);
  ASSERT_LT(slow.finish_after_ms, model->hard_limit.count() * 1000);
  h.kie->set_lifecycle("*", slow);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("patience")}});
  auto id = confirmed.job->id;
  ASSERT_TRUE(h.run_until([&] { return h.job(id).notified_delayed; }, 400, std::chrono::seconds(5)));
  EXPECT_EQ(h.job(id).state, "submitted");
  ASSERT_TRUE(h.run_until([&] { return state_is(h, id, "delivered"); }, 400, std::chrono::seconds(5)));
  EXPECT_EQ(h.balance(user.id), (store::Balance{50'00 - confirmed.job->price_kopecks, 0}));
}

// Two instances (own pools, own lease owners) on one PostgreSQL database work every job once.
TEST(JobRunnerPaths, TwoInstancesOnOnePostgresDatabaseWorkEachJobOnce) {
  KB_REQUIRE_PG_OR_SKIP();
  test::PgTestDatabase pg(*test::pg_admin_url());
  RunnerHarnessOptions options;
  options.database_url = pg.url();
  options.owner = "instance-a";
  RunnerHarness h(options);
  auto b = h.another_instance("instance-b");
  constexpr int kUsers = 8;
  constexpr int kJobsPerUser = 3;
  constexpr int kJobs = kUsers * kJobsPerUser;
  std::vector<sandbox::tg::User> users;
  std::vector<std::int64_t> ids;
  for (int u = 0; u < kUsers; ++u) {
    users.push_back(h.user_with_balance(1000'00));
    for (int i = 0; i < kJobsPerUser; ++i) {
      auto confirmed = h.confirm(users.back(), "flux-2/pro-text-to-image", {{"prompt", std::string("many")}});
      ASSERT_EQ(confirmed.status, ConfirmStatus::created);
      ids.push_back(confirmed.job->id);
    }
  }
  auto all_delivered = [&] {
    for (auto id : ids)
      if (!state_is(h, id, "delivered")) return false;
    return true;
  };
  for (int step = 0; step < 200 && !all_delivered(); ++step) {
    std::thread other([&] { h.io.run<int>([&]() { return b.runner->run_once(); }); });
    h.io.run<int>([&]() { return h.runner->run_once(); });
    other.join();
    h.clock.advance(std::chrono::seconds(1));
    h.kie->tick();
    h.telegram->tick();
  }
  ASSERT_TRUE(all_delivered());
  // Creates refused by the provider's rate limit are retried; accepted tasks are one per job.
  EXPECT_EQ(h.kie->tasks().size(), static_cast<std::size_t>(kJobs));
  for (const auto& user : users) {
    EXPECT_EQ(sent_of_kind(h, user.id, "photo"), static_cast<std::size_t>(kJobsPerUser));
    EXPECT_EQ(h.balance(user.id).held, 0);
  }
  for (auto id : ids) EXPECT_EQ(h.deliveries(id).size(), 1u);
  b.runner.reset();
  b.db.reset();
}

}  // namespace
}  // namespace kb::services

namespace kb::services {
namespace {

using test::RunnerHarness;

CancelResult cancel(RunnerHarness& h, std::int64_t job_id, std::int64_t user_id) {
  auto now = h.clock.now_ms();
  auto r = h.db->transact_blocking<CancelResult>(
      [&](store::Tx& tx) { return cancel_job(tx, job_id, user_id, ReferralSettings{}, now); });
  if (!r) throw std::runtime_error(r.error().describe());
  return *r;
}

TEST(JobRunnerCancel, BeforeTheProviderAcceptedItTheHoldIsReleasedAndNothingIsSent) {
  RunnerHarness h;
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("never mind")}});
  ASSERT_EQ(confirmed.status, ConfirmStatus::created);
  EXPECT_EQ(cancel(h, confirmed.job->id, user.id + 1).status, CancelStatus::not_found);  // not theirs
  EXPECT_EQ(cancel(h, confirmed.job->id, user.id).status, CancelStatus::cancelled);
  EXPECT_EQ(h.balance(user.id), (store::Balance{50'00, 0}));
  h.run_until([] { return false; }, 5);
  EXPECT_EQ(h.job(confirmed.job->id).state, "cancelled");
  EXPECT_EQ(h.kie->create_calls(), 0u);
  // A second cancel changes nothing.
  EXPECT_NE(cancel(h, confirmed.job->id, user.id).status, CancelStatus::cancelled);
  EXPECT_EQ(h.balance(user.id), (store::Balance{50'00, 0}));
}

TEST(JobRunnerCancel, OnceTheProviderHasTheTaskItIsTooLate) {
  RunnerHarness h;
  sandbox::Lifecycle slow;
  slow.finish_after_ms = 60'000;
  h.kie->set_lifecycle("*", slow);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("too late")}});
  ASSERT_TRUE(h.run_until([&] { return h.job(confirmed.job->id).state == "submitted"; }, 5));
  EXPECT_EQ(cancel(h, confirmed.job->id, user.id).status, CancelStatus::too_late);
  ASSERT_TRUE(h.run_until([&] { return h.job(confirmed.job->id).state == "delivered"; }, 200));
  EXPECT_EQ(h.balance(user.id).held, 0);
}

TEST(JobRunnerLimits, AThirdConcurrentJobIsRefusedWithoutWritingAnything) {
  RunnerHarness h;
  auto user = h.user_with_balance(500'00);
  auto cat = h.catalog->get();
  auto confirm_with_limit = [&](int n) {
    ConfirmRequest r;
    r.user_id = user.id;
    r.chat_id = user.id;
    r.model = cat->find("flux-2/pro-text-to-image");
    r.values = {{"prompt", std::string("busy")}};
    r.idempotency_key = "limit-" + std::to_string(n);
    r.max_active_jobs = 2;
    auto now = h.clock.now_ms();
    return *h.db->transact_blocking<ConfirmResult>([&](store::Tx& tx) { return confirm_job(tx, r, now); });
  };
  EXPECT_EQ(confirm_with_limit(1).status, ConfirmStatus::created);
  EXPECT_EQ(confirm_with_limit(2).status, ConfirmStatus::created);
  auto before = h.balance(user.id);
  EXPECT_EQ(confirm_with_limit(3).status, ConfirmStatus::too_many_active);
  EXPECT_EQ(h.balance(user.id), before);
  // When one finishes, a new one is accepted.
  ASSERT_TRUE(h.run_until([&] { return h.balance(user.id).held == 0; }));
  EXPECT_EQ(confirm_with_limit(4).status, ConfirmStatus::created);
}

}  // namespace
}  // namespace kb::services

namespace kb::services {
namespace {

using test::RunnerHarness;

// Telegram fails the result a few times (beyond the client's own retries): the runner reschedules
// and delivers exactly once.
TEST(JobRunnerDelivery, ServerErrorsAreRetriedByTheRunnerAndDeliverOnce) {
  RunnerHarness h;
  h.telegram->inject_error("sendPhoto", sandbox::tg::InjectedError{}, 3);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("flaky chat")}});
  ASSERT_TRUE(h.run_until([&] { return h.job(confirmed.job->id).state == "delivered"; }, 200, std::chrono::seconds(10)));
  EXPECT_GE(h.telegram->call_count("sendPhoto"), 4u);
  EXPECT_EQ(h.deliveries(confirmed.job->id).size(), 1u);
  std::size_t photos = 0;
  for (const auto& m : h.telegram->bot_messages(user.id)) photos += m.kind == "photo";
  EXPECT_EQ(photos, 1u);
  EXPECT_EQ(h.balance(user.id), (store::Balance{50'00 - confirmed.job->price_kopecks, 0}));
}

// A result Telegram never accepts: jobs_delivery_window_test.cpp (held for the delivery window,
// then released once).

}  // namespace
}  // namespace kb::services

namespace kb::services {
namespace {

using test::RunnerHarness;
using test::RunnerHarnessOptions;

// A crash after recording "sending file 0" and before learning the outcome: the next worker sends
// a link, never a possible second copy of the file.
TEST(JobRunnerRecovery, AnInterruptedSendBecomesALinkNotASecondFile) {
  RunnerHarness h;
  // One refused send keeps the job in `succeeded` (delivery happens right after success otherwise).
  h.telegram->inject_error("sendPhoto", sandbox::tg::InjectedError{}, 50);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("crash")}});
  auto id = confirmed.job->id;
  ASSERT_TRUE(h.run_until([&] { return h.job(id).state == "succeeded"; }));
  ASSERT_TRUE(h.deliveries(id).empty());
  ASSERT_TRUE(h.db->transact_blocking<bool>([&](store::Tx& tx) {
    return tx.jobs().record_delivery(id, 0, std::nullopt, "sending", h.clock.now_ms());
  }).value());
  h.telegram->clear_faults();
  ASSERT_TRUE(h.run_until([&] { return h.job(id).state == "delivered"; }));
  std::size_t photos = 0;
  for (const auto& m : h.telegram->bot_messages(user.id)) photos += m.kind == "photo";
  EXPECT_EQ(photos, 0u);
  auto d = h.deliveries(id);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].method, "link_after_interruption");
  EXPECT_TRUE(d[0].message_id.has_value());
  EXPECT_EQ(h.balance(user.id).held, 0);
}

// The create call's answer is lost; the provider's callback names the job and reveals its task:
// delivered, with a single task and no refund.
TEST(JobRunnerRecovery, ACallbackNamingTheJobResolvesAnUnknownCreate) {
  RunnerHarnessOptions options;
  options.callbacks = true;
  RunnerHarness h(options);
  sandbox::Fault cut;
  cut.accept_then_fail = true;
  cut.close_without_response = true;
  h.kie->fail_next("createTask", cut);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", {{"prompt", std::string("who knows")}});
  auto id = confirmed.job->id;
  ASSERT_TRUE(h.run_until([&] { return h.job(id).state == "delivered"; }, 60));
  EXPECT_EQ(h.kie->create_calls(), 1u);
  EXPECT_EQ(h.balance(user.id), (store::Balance{50'00 - confirmed.job->price_kopecks, 0}));
}

}  // namespace
}  // namespace kb::services
