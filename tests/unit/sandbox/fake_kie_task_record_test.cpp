// Lifecycle progress and JSON shapes of fake KIE tasks (kie-api.md §3.2, §4.3).
#include "sandbox/fake_kie/task_record.hpp"

#include <gtest/gtest.h>

namespace kb::sandbox {
namespace {

constexpr std::int64_t kT0 = 1767225600000;

TaskRecord make_task(Lifecycle lc = {}) {
  TaskRecord t;
  t.task_id = "0123456789abcdef0123456789abcdef";
  t.model = "z-image";
  t.request = {{"model", "z-image"},
               {"callBackUrl", "http://cb/x"},
               {"input", {{"prompt", "a cat"}, {"aspect_ratio", "1:1"}}}};
  t.callback_url = "http://cb/x";
  t.output_kind = "image";
  t.seed = "a cat";
  t.lifecycle = std::move(lc);
  t.create_ms = t.update_ms = t.downloads_done_ms = kT0;
  return t;
}

TEST(FakeKieLifecycle, RunningStatesFollowTheirOffsets) {
  Lifecycle lc;
  EXPECT_EQ(running_state_at(lc, 0).first, "waiting");
  EXPECT_EQ(running_state_at(lc, 199).first, "waiting");
  EXPECT_EQ(running_state_at(lc, 200).first, "queuing");
  EXPECT_EQ(running_state_at(lc, 450), (std::pair<std::string, std::int64_t>{"generating", 400}));
  lc.states.clear();
  EXPECT_EQ(running_state_at(lc, 5000).first, "waiting");
}

TEST(FakeKieLifecycle, AdvanceReachesSuccessOnceWithResultUrls) {
  Lifecycle lc;
  lc.outputs = 2;
  lc.credits = 3.5;
  auto t = make_task(lc);
  EXPECT_FALSE(advance(t, kT0 + 500, "http://f/files"));
  EXPECT_EQ(t.state, "generating");
  EXPECT_EQ(t.update_ms, kT0 + 400);
  EXPECT_TRUE(advance(t, kT0 + 5000, "http://f/files"));
  EXPECT_EQ(t.state, "success");
  EXPECT_EQ(t.complete_ms, kT0 + 1000);  // when it finished, not when it was looked at
  EXPECT_EQ(t.credits_consumed, 3.5);
  EXPECT_EQ(t.result_urls,
            (std::vector<std::string>{"http://f/files/0123456789abcdef0123456789abcdef/0.png",
                                      "http://f/files/0123456789abcdef0123456789abcdef/1.png"}));
  EXPECT_FALSE(advance(t, kT0 + 9000, "http://f/files"));  // terminal stays terminal
}

TEST(FakeKieLifecycle, PendingDownloadsHoldTheTaskBack) {
  auto t = make_task();
  t.pending_downloads = 1;
  EXPECT_FALSE(advance(t, kT0 + 5000, "b"));
  EXPECT_EQ(t.state, "generating");
  t.pending_downloads = 0;
  t.downloads_done_ms = kT0 + 6000;
  EXPECT_TRUE(advance(t, kT0 + 7000, "b"));
  EXPECT_EQ(t.complete_ms, kT0 + 6000);
}

TEST(FakeKieLifecycle, FailedDownloadFailsWith451) {
  auto t = make_task();
  t.pending_downloads = 1;
  t.download_failure =
      TaskRecord::DownloadFailure{"Failed to fetch the file of input image: HTTP 404", kT0 + 30};
  EXPECT_TRUE(advance(t, kT0 + 40, "b"));
  EXPECT_EQ(t.state, "fail");
  EXPECT_EQ(t.fail_code, "451");
  EXPECT_EQ(t.complete_ms, kT0 + 30);
  EXPECT_EQ(t.credits_consumed, 0);
}

TEST(FakeKieRecord, RunningRecordShape) {
  auto t = make_task();
  advance(t, kT0 + 250, "b");
  auto d = record_data(t);
  EXPECT_EQ(d["taskId"], t.task_id);
  EXPECT_EQ(d["model"], "z-image");
  EXPECT_EQ(d["state"], "queuing");
  ASSERT_TRUE(d["param"].is_string());  // JSON text of the whole create request
  EXPECT_EQ(nlohmann::json::parse(d["param"].get<std::string>()), t.request);
  EXPECT_EQ(d["resultJson"], "");
  EXPECT_EQ(d["failCode"], "");
  EXPECT_EQ(d["failMsg"], "");
  EXPECT_EQ(d["createTime"], kT0);
  EXPECT_EQ(d["updateTime"], kT0 + 200);
  EXPECT_TRUE(d["completeTime"].is_null());
  EXPECT_EQ(d["costTime"], 0);
  EXPECT_EQ(d["successFlag"], 0);
  EXPECT_FALSE(d.contains("creditsConsumed"));
}

TEST(FakeKieRecord, SuccessRecordHasResultJsonAsAString) {
  auto t = make_task();
  advance(t, kT0 + 2000, "http://f/files");
  auto d = record_data(t);
  EXPECT_EQ(d["state"], "success");
  ASSERT_TRUE(d["resultJson"].is_string());
  auto result = nlohmann::json::parse(d["resultJson"].get<std::string>());
  EXPECT_EQ(result["resultUrls"].size(), 1u);
  EXPECT_EQ(d["costTime"], 1000);
  EXPECT_EQ(d["completeTime"], kT0 + 1000);
  EXPECT_EQ(d["creditsConsumed"], 1.0);
  EXPECT_EQ(d["successFlag"], 1);
  EXPECT_EQ(d["failCode"], "");
}

TEST(FakeKieRecord, DocConflictVariants) {
  Lifecycle lc;
  lc.result_json_as_object = true;
  lc.cost_time_in_seconds = true;
  lc.finish_after_ms = 2500;
  auto t = make_task(lc);
  advance(t, kT0 + 3000, "b");
  auto d = record_data(t);
  ASSERT_TRUE(d["resultJson"].is_object());
  EXPECT_TRUE(d["resultJson"]["resultUrls"].is_array());
  EXPECT_EQ(d["costTime"], 2);
}

TEST(FakeKieRecord, FailedRecordAndCallbackBody) {
  Lifecycle lc;
  lc.fail = true;
  lc.fail_code = "501";
  lc.fail_msg = "Generation failed";
  lc.use_message_key = true;
  auto t = make_task(lc);
  advance(t, kT0 + 2000, "b");
  auto d = record_data(t);
  EXPECT_EQ(d["state"], "fail");
  EXPECT_TRUE(d["resultJson"].is_null());
  EXPECT_EQ(d["failCode"], "501");
  EXPECT_EQ(d["failMsg"], "Generation failed");
  EXPECT_EQ(d["successFlag"], 3);
  EXPECT_EQ(d["creditsConsumed"], 0.0);

  auto body = callback_body(t);
  EXPECT_EQ(body["code"], 501);
  EXPECT_EQ(body["message"], "Playground task failed.");
  EXPECT_FALSE(body.contains("msg"));
  EXPECT_EQ(body["data"]["taskId"], t.task_id);
}

TEST(FakeKieRecord, SuccessCallbackCarriesNullFailFields) {
  auto t = make_task();
  advance(t, kT0 + 2000, "b");
  auto body = callback_body(t);
  EXPECT_EQ(body["code"], 200);
  EXPECT_EQ(body["msg"], "Playground task completed successfully.");
  EXPECT_TRUE(body["data"]["failCode"].is_null());
  EXPECT_TRUE(body["data"]["failMsg"].is_null());
  EXPECT_TRUE(body["data"]["resultJson"].is_string());
}

TEST(FakeKieCallbacks, RetriesThenGivesUpAfterMaxAttempts) {
  auto t = make_task();
  advance(t, kT0 + 2000, "b");
  schedule_first_callback(t, kT0 + 2000);
  ASSERT_TRUE(t.callback_due_ms);
  EXPECT_EQ(*t.callback_due_ms, kT0 + 2000);
  schedule_after_attempt(t, 500, kT0 + 2100, 3, 1000);
  EXPECT_EQ(t.callback_attempt, 2);
  EXPECT_EQ(*t.callback_due_ms, kT0 + 3100);
  schedule_after_attempt(t, 0, kT0 + 3200, 3, 1000);
  EXPECT_EQ(t.callback_attempt, 3);
  schedule_after_attempt(t, 404, kT0 + 4300, 3, 1000);
  EXPECT_FALSE(t.callback_due_ms);  // three failures: no more
}

TEST(FakeKieCallbacks, DuplicateDeliveryAfterASuccessfulOne) {
  Lifecycle lc;
  lc.callbacks = 2;
  auto t = make_task(lc);
  advance(t, kT0 + 2000, "b");
  schedule_first_callback(t, kT0 + 2000);
  schedule_after_attempt(t, 200, kT0 + 2010, 3, 1000);
  EXPECT_EQ(t.callback_delivery, 2);
  EXPECT_EQ(t.callback_attempt, 1);
  EXPECT_EQ(*t.callback_due_ms, kT0 + 2010);
  schedule_after_attempt(t, 200, kT0 + 2020, 3, 1000);
  EXPECT_FALSE(t.callback_due_ms);
}

TEST(FakeKieCallbacks, NoCallbackWithoutUrlOrWhenDisabled) {
  auto t = make_task();
  t.callback_url.clear();
  schedule_first_callback(t, kT0);
  EXPECT_FALSE(t.callback_due_ms);
  Lifecycle lc;
  lc.callbacks = 0;
  auto u = make_task(lc);
  schedule_first_callback(u, kT0);
  EXPECT_FALSE(u.callback_due_ms);
}

}  // namespace
}  // namespace kb::sandbox
