// Admin alerts, on SQLite and PostgreSQL: a low provider balance and a job past its hard limit
// reach every admin once per cool-down; real jobs failing at the fake provider raise exactly one
// failure-spike alert (not one per failure), and a new spike after the cool-down raises another.
#include <gtest/gtest.h>

#include <thread>

#include <fmt/format.h>

#include "admin_rig.hpp"
#include "services/admin/alerts.hpp"
#include "services/jobs/confirm.hpp"

namespace kb::test {
namespace {

class AdminAlertChecks : public AdminBackendTest {};
KB_STORE_BACKENDS(AdminAlertChecks);

TEST_P(AdminAlertChecks, LowCreditsAndStuckJobsAreSentOncePerCooldown) {
  AdminRig r(harness_options());
  auto& h = r.h;
  h.command(r.admin, "start");
  h.kie->set_credits(10);
  auto user = h.user("Stu", "en");
  h.command(user, "start");
  store::JobDraft draft;
  draft.user_id = user.id;
  draft.chat_id = user.id;
  draft.model_id = h.catalog->get()->models.front().id;
  draft.inputs_json = "{}";
  draft.state = "submitted";
  draft.idempotency_key = "stuck-job";
  auto created_at = h.clock.now_ms();
  ASSERT_TRUE(h.db->transact_blocking<store::CreatedJob>(
      [&](store::Tx& tx) { return tx.jobs().create(draft, created_at); }));
  h.clock.advance(std::chrono::hours(3));

  services::admin::AlertOptions options;
  options.thresholds.low_credits = 500;
  options.admin_ids = h.settings.admin_ids;
  services::admin::AdminAlerts alerts(*h.db, r.credits.get(), *h.catalog, h.clock, *h.texts,
                                      h.outbox.get(), options);
  auto kinds = h.io.run<Result<int>>([&] { return alerts.check_once(); });
  ASSERT_TRUE(kinds);
  EXPECT_EQ(*kinds, 2);
  h.pump();
  int low = 0, stuck = 0;
  for (const auto& m : h.telegram->bot_messages(r.admin.id)) {
    if (m.text.find("10 credits") != std::string::npos) ++low;
    if (m.text.find("stuck-job") != std::string::npos || m.text.find("#1 ") != std::string::npos)
      ++stuck;
  }
  EXPECT_EQ(low, 1);
  EXPECT_EQ(stuck, 1);
  // Within the cool-down nothing is repeated; after it, the alert comes again.
  h.clock.advance(std::chrono::minutes(2));
  kinds = h.io.run<Result<int>>([&] { return alerts.check_once(); });
  ASSERT_TRUE(kinds);
  EXPECT_EQ(*kinds, 0);
  h.clock.advance(std::chrono::hours(4));
  kinds = h.io.run<Result<int>>([&] { return alerts.check_once(); });
  ASSERT_TRUE(kinds);
  EXPECT_EQ(*kinds, 2);
}

TEST_P(AdminAlertChecks, FailingJobsRaiseOneSpikeAlertAndANewSpikeAfterTheCooldownAnother) {
  AdminRig r(harness_options());
  auto& h = r.h;
  h.command(r.admin, "start");
  // Every task fails at the provider shortly after it was created.
  sandbox::Lifecycle failing;
  failing.states = {{"waiting", 0}, {"generating", 200}};
  failing.finish_after_ms = 500;
  failing.fail = true;
  h.kie->set_lifecycle("*", failing);
  auto payer = h.user("Fay", "en", 10'000'00);
  const auto* model = h.catalog->get()->find("flux-2/pro-text-to-image");
  ASSERT_NE(model, nullptr);

  services::admin::AlertOptions options;
  options.admin_ids = h.settings.admin_ids;
  // No credits cache: only the failure rule can fire.
  services::admin::AdminAlerts alerts(*h.db, nullptr, *h.catalog, h.clock, *h.texts, h.outbox.get(),
                                      options);
  const auto spike_text = [&](int failed) {
    return r.t("admin.alert.failures", {{"failed", std::to_string(failed)},
                                        {"finished", std::to_string(failed)},
                                        {"minutes", "15"}});
  };
  auto spike_alerts = [&] {
    int n = 0;
    for (const auto& m : h.telegram->bot_messages(r.admin.id))
      if (m.text.find("generations failed in the last") != std::string::npos) ++n;
    return n;
  };
  int serial = 0;
  // `count` jobs confirmed at once, then the runner works them while the periodic check runs
  // after every step (as the one-minute timer would), until every one of them has failed.
  auto fail_jobs = [&](int count) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < count; ++i) {
      services::ConfirmRequest request;
      request.user_id = payer.id;
      request.chat_id = payer.id;
      request.model = model;
      request.values = {{"prompt", std::string("a storm at sea")}};
      request.idempotency_key = fmt::format("spike-{}", ++serial);
      request.max_active_jobs = 100;
      auto now = h.clock.now_ms();
      auto confirmed = h.db->transact_blocking<services::ConfirmResult>(
          [&](store::Tx& tx) { return services::confirm_job(tx, request, now); });
      if (!confirmed || confirmed->status != services::ConfirmStatus::created || !confirmed->job)
        throw std::runtime_error("confirm did not create a job");
      ids.push_back(confirmed->job->id);
    }
    return h.run_jobs_until([&] {
      auto checked = h.io.run<Result<int>>([&] { return alerts.check_once(); });
      if (!checked) throw std::runtime_error(checked.error().describe());
      h.pump();
      for (auto id : ids) {
        auto job = h.db->read_blocking<std::optional<store::Job>>(
            [id](store::Tx& tx) { return tx.jobs().get(id); });
        if (!job || !*job || (*job)->state != "failed") return false;
      }
      return true;
    });
  };

  ASSERT_TRUE(fail_jobs(12));
  EXPECT_EQ(spike_alerts(), 1);
  // The alert names the spike as seen by the first check that crossed the threshold.
  bool named = false;
  for (int failed = 10; failed <= 12; ++failed)
    for (const auto& m : h.telegram->bot_messages(r.admin.id))
      if (m.text == spike_text(failed)) named = true;
  EXPECT_TRUE(named);
  EXPECT_EQ(h.balance(payer).held, 0);  // every failed job released its hold

  // More failures within the cool-down: still the one alert.
  h.clock.advance(std::chrono::minutes(20));
  ASSERT_TRUE(fail_jobs(12));
  EXPECT_EQ(spike_alerts(), 1);

  // After the cool-down, quiet checks send nothing (the old failures left the window)…
  h.clock.advance(std::chrono::hours(3));
  auto kinds = h.io.run<Result<int>>([&] { return alerts.check_once(); });
  ASSERT_TRUE(kinds);
  EXPECT_EQ(*kinds, 0);
  // …and a new spike alerts again, once.
  ASSERT_TRUE(fail_jobs(12));
  EXPECT_EQ(spike_alerts(), 2);
}

// Two instances on one PostgreSQL database check at the same moment: the cool-down's
// compare-and-set lets one of them send.
TEST(AdminAlertsAcrossInstances, TwoInstancesCheckingAtOnceSendOneAlert) {
  KB_REQUIRE_PG_OR_SKIP();
  PgTestDatabase pg(*pg_admin_url());
  BotHarnessOptions harness;
  harness.database_url = pg.url();
  AdminRig r(harness);
  auto& h = r.h;
  h.command(r.admin, "start");
  h.kie->set_credits(10);
  store::DatabaseOptions o;
  o.url = pg.url();
  auto other_db = store::open_database(o, h.clock, nullptr);
  ASSERT_TRUE(other_db);
  services::admin::AlertOptions options;
  options.admin_ids = h.settings.admin_ids;
  for (int round = 0; round < 5; ++round) {
    // Each instance has its own credits cache, filled before the race.
    services::admin::CreditsCache credits_a(*h.kie_client, h.clock);
    services::admin::CreditsCache credits_b(*h.kie_client, h.clock);
    h.io.run<std::optional<services::admin::CreditsSnapshot>>(
        [&] { return credits_a.refresh_if_stale(); });
    h.io.run<std::optional<services::admin::CreditsSnapshot>>(
        [&] { return credits_b.refresh_if_stale(); });
    services::admin::AdminAlerts a(*h.db, &credits_a, *h.catalog, h.clock, *h.texts, nullptr,
                                   options);
    services::admin::AdminAlerts b(**other_db, &credits_b, *h.catalog, h.clock, *h.texts, nullptr,
                                   options);
    Result<int> from_b = 0;
    std::thread other([&] { from_b = h.io.run<Result<int>>([&] { return b.check_once(); }); });
    auto from_a = h.io.run<Result<int>>([&] { return a.check_once(); });
    other.join();
    ASSERT_TRUE(from_a);
    ASSERT_TRUE(from_b);
    EXPECT_EQ(*from_a + *from_b, 1) << "round " << round;
    h.clock.advance(std::chrono::hours(4));  // the next round is past the cool-down
  }
  h.pump();
  int low = 0;
  for (const auto& m : h.telegram->bot_messages(r.admin.id))
    if (m.text.find("10 credits") != std::string::npos) ++low;
  EXPECT_EQ(low, 5);
}

}  // namespace
}  // namespace kb::test
