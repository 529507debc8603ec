// Admin alerts: a low provider balance and a job past its hard limit reach every admin once per
// cool-down.
#include <gtest/gtest.h>

#include "admin_rig.hpp"
#include "services/admin/alerts.hpp"

namespace kb::test {
namespace {

TEST(AdminAlerts, LowCreditsAndStuckJobsAreSentOncePerCooldown) {
  AdminRig r;
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

}  // namespace
}  // namespace kb::test
