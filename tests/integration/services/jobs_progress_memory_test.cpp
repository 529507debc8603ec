// What the jobs runner keeps in memory about progress messages stays bounded: a job that ended on
// another instance (or whose row ended some other way) is forgotten after a while, on SQLite and
// with a real second instance on PostgreSQL.
#include <gtest/gtest.h>

#include "runner_harness.hpp"
#include "support/must.hpp"
#include "support/pg_test_db.hpp"

namespace kb::services {
namespace {

using kb::test::must;
using test::RunnerHarness;
using test::RunnerHarnessOptions;

catalog::InputValues prompt() {
  return {{"prompt", std::string("a slow lighthouse")}};
}

bool shows_progress(RunnerHarness& h, std::int64_t job_id) {
  auto job = h.job(job_id);
  return job.state == "submitted" && job.progress_message_id.has_value();
}

// Longer than the runner keeps a progress entry nobody refreshes (an hour).
constexpr auto kLater = std::chrono::hours(2);

TEST(JobRunnerProgressMemory, AJobThatEndedOutsideThisRunnerIsForgotten) {
  RunnerHarness h;
  sandbox::Lifecycle slow;
  slow.finish_after_ms = 600'000;
  h.kie->set_lifecycle("*", slow);
  auto first = h.confirm(h.user_with_balance(100'00), "flux-2/pro-text-to-image", prompt());
  ASSERT_EQ(first.status, ConfirmStatus::created);
  ASSERT_TRUE(h.run_until([&] { return shows_progress(h, first.job->id); }));
  ASSERT_EQ(h.runner->remembered_progress(), 1u);

  // The row ends without this runner (as another instance's transition would end it).
  auto now = h.clock.now_ms();
  must(h.db->transact_blocking<store::Job>([&](store::Tx& tx) {
    store::JobPatch patch;
    patch.finish = true;
    return tx.jobs().transition(first.job->id, {"submitted"}, "failed", patch, now);
  }));

  h.clock.advance(kLater);
  auto second = h.confirm(h.user_with_balance(100'00), "flux-2/pro-text-to-image", prompt());
  ASSERT_TRUE(h.run_until([&] { return shows_progress(h, second.job->id); }));
  EXPECT_EQ(h.runner->remembered_progress(), 1u);  // the second job only
}

TEST(JobRunnerProgressMemory, AJobDeliveredByAnotherInstanceIsForgotten) {
  KB_REQUIRE_PG_OR_SKIP();
  test::PgTestDatabase pg(*test::pg_admin_url());
  RunnerHarnessOptions options;
  options.database_url = pg.url();
  options.owner = "instance-a";
  RunnerHarness h(options);
  auto b = h.another_instance("instance-b");
  sandbox::Lifecycle slow;
  slow.finish_after_ms = 60'000;
  h.kie->set_lifecycle("*", slow);

  // Instance A submits the job and shows its progress; instance B finishes it.
  auto first = h.confirm(h.user_with_balance(100'00), "flux-2/pro-text-to-image", prompt());
  ASSERT_TRUE(h.run_until([&] { return shows_progress(h, first.job->id); }));
  ASSERT_EQ(h.runner->remembered_progress(), 1u);
  for (int step = 0; step < 300 && h.job(first.job->id).state != "delivered"; ++step) {
    h.io.run<int>([&]() { return b.runner->run_once(); });
    h.clock.advance(std::chrono::seconds(1));
    h.kie->tick();
    h.telegram->tick();
  }
  ASSERT_EQ(h.job(first.job->id).state, "delivered");
  ASSERT_EQ(h.runner->remembered_progress(), 1u);  // A never saw it end

  h.clock.advance(kLater);
  auto second = h.confirm(h.user_with_balance(100'00), "flux-2/pro-text-to-image", prompt());
  ASSERT_TRUE(h.run_until([&] { return shows_progress(h, second.job->id); }));
  EXPECT_EQ(h.runner->remembered_progress(), 1u);
  b.runner.reset();
  b.db.reset();
}

}  // namespace
}  // namespace kb::services
