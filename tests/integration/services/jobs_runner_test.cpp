// The jobs runner end to end against the fake Bot API and the fake KIE: submission, polling,
// delivery, settlement, failures and the ambiguous-create policy.
#include <gtest/gtest.h>

#include "domain/job_state.hpp"
#include "runner_harness.hpp"

namespace kb::services {
namespace {

using test::RunnerHarness;

catalog::InputValues prompt(std::string text) { return {{"prompt", std::string(std::move(text))}}; }

bool state_is(RunnerHarness& h, std::int64_t job_id, std::string_view state) { return h.job(job_id).state == state; }

TEST(JobRunner, PaidImageIsDeliveredAndCapturedOnce) {
  RunnerHarness h;
  auto user = h.user_with_balance(100'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", prompt("a red fox"));
  ASSERT_EQ(confirmed.status, ConfirmStatus::created);
  auto job_id = confirmed.job->id;
  auto price = confirmed.job->price_kopecks;
  ASSERT_GT(price, 0);
  EXPECT_EQ(h.balance(user.id), (store::Balance{100'00 - price, price}));

  ASSERT_TRUE(h.run_until([&] { return state_is(h, job_id, "delivered"); }));
  EXPECT_EQ(h.balance(user.id), (store::Balance{100'00 - price, 0}));
  auto deliveries = h.deliveries(job_id);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_TRUE(deliveries[0].message_id.has_value());

  auto photos = 0;
  for (const auto& m : h.telegram->bot_messages(user.id)) photos += m.kind == "photo";
  EXPECT_EQ(photos, 1);
  auto last = h.telegram->last_bot_message(user.id);
  ASSERT_TRUE(last);
  EXPECT_FALSE(last->buttons().empty());  // Repeat / Edit / Other model / Home
  EXPECT_EQ(h.kie->create_calls(), 1u);
  // More runs change nothing: no second delivery, no second capture.
  h.run_until([] { return false; }, 5);
  EXPECT_EQ(h.deliveries(job_id).size(), 1u);
  EXPECT_EQ(h.balance(user.id), (store::Balance{100'00 - price, 0}));
}

TEST(JobRunner, FreeModelUsesAFreeGenerationAndMovesNoMoney) {
  RunnerHarness h;
  auto user = h.user_with_balance(0);
  auto confirmed = h.confirm(user, "z-image", {{"prompt", std::string("a cat")}, {"aspect_ratio", std::string("1:1")}});
  ASSERT_EQ(confirmed.status, ConfirmStatus::created);
  EXPECT_TRUE(confirmed.job->is_free);
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "delivered"); }));
  EXPECT_EQ(h.balance(user.id), (store::Balance{0, 0}));
}

TEST(JobRunner, ProviderFailureReleasesTheHoldAndOffersRetry) {
  RunnerHarness h;
  sandbox::Lifecycle failing;
  failing.fail = true;
  failing.fail_code = "501";
  failing.fail_msg = "Generation failed";
  h.kie->set_lifecycle("*", failing);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", prompt("a boat"));
  ASSERT_EQ(confirmed.status, ConfirmStatus::created);
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "failed"); }));
  EXPECT_EQ(h.balance(user.id), (store::Balance{50'00, 0}));
  auto last = h.telegram->last_bot_message(user.id);
  ASSERT_TRUE(last);
  bool has_retry = false;
  for (const auto& b : last->buttons()) has_retry |= b.callback_data.starts_with("1|jr|");
  EXPECT_TRUE(has_retry) << last->text;
}

TEST(JobRunner, SeveralOutputsArriveAsOneAlbum) {
  RunnerHarness h;
  sandbox::Lifecycle four;
  four.outputs = 4;
  h.kie->set_lifecycle("*", four);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", prompt("four views"));
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "delivered"); }));
  EXPECT_EQ(h.telegram->call_count("sendMediaGroup"), 1u);
  EXPECT_EQ(h.deliveries(confirmed.job->id).size(), 4u);
}

TEST(JobRunner, AmbiguousCreateIsNeverResentAndIsRefundedAfterTheWindow) {
  RunnerHarness h;
  sandbox::Fault cut;
  cut.accept_then_fail = true;
  cut.close_without_response = true;
  h.kie->fail_next("createTask", cut);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", prompt("maybe"));
  auto id = confirmed.job->id;
  ASSERT_TRUE(h.run_until([&] { return state_is(h, id, "create_unknown"); }, 5));
  // The window passes without a callback naming the job: released, never a second task.
  ASSERT_TRUE(h.run_until([&] { return state_is(h, id, "failed"); }, 40, std::chrono::minutes(1)));
  EXPECT_EQ(h.kie->create_calls(), 1u);
  EXPECT_EQ(h.balance(user.id), (store::Balance{50'00, 0}));
  EXPECT_EQ(h.job(id).failure_code.value_or(""), "create_uncertain");
}

TEST(JobRunner, RefusedUrlFallsBackToUploadingTheBytes) {
  RunnerHarness h;
  sandbox::tg::InjectedError refused;
  refused.error_code = 400;
  refused.description = "Bad Request: failed to get HTTP URL content";
  h.telegram->inject_error("sendPhoto", refused);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", prompt("upload me"));
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "delivered"); }));
  auto d = h.deliveries(confirmed.job->id);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].method, "upload");
}

TEST(JobRunner, ProviderOutageDelaysButRefundsNobody) {
  RunnerHarness h;
  sandbox::Fault maintenance;
  maintenance.code = 455;
  maintenance.msg = "Service unavailable: maintenance";
  h.kie->fail_next("createTask", maintenance, 30);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", prompt("after the outage"));
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "delivered"); }, 300, std::chrono::seconds(5)));
  EXPECT_EQ(h.balance(user.id).held, 0);
}

TEST(JobRunner, HardLimitExpiresAndReleases) {
  RunnerHarness h;
  sandbox::Lifecycle slow;
  slow.finish_after_ms = 10 * 3600 * 1000;
  h.kie->set_lifecycle("*", slow);
  auto user = h.user_with_balance(50'00);
  auto confirmed = h.confirm(user, "flux-2/pro-text-to-image", prompt("slow"));
  ASSERT_TRUE(h.run_until([&] { return state_is(h, confirmed.job->id, "expired"); }, 400, std::chrono::seconds(30)));
  EXPECT_EQ(h.balance(user.id), (store::Balance{50'00, 0}));
  EXPECT_TRUE(h.job(confirmed.job->id).notified_delayed);
}

TEST(JobRunner, DoubleConfirmFindsTheSameJob) {
  RunnerHarness h;
  auto user = h.user_with_balance(50'00);
  auto a = h.confirm(user, "flux-2/pro-text-to-image", prompt("once"), "cbq-1");
  auto b = h.confirm(user, "flux-2/pro-text-to-image", prompt("once"), "cbq-1");
  EXPECT_EQ(a.status, ConfirmStatus::created);
  EXPECT_EQ(b.status, ConfirmStatus::existing);
  EXPECT_EQ(a.job->id, b.job->id);
  EXPECT_EQ(h.balance(user.id).held, a.job->price_kopecks);
}

}  // namespace
}  // namespace kb::services
