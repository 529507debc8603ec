// Jobs conformance: idempotent creation, state CAS, leases, deliveries (both backends).
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "store_fixture.hpp"

namespace kb::store::test {
namespace {

class JobsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    add_user(1);
    add_user(2);
  }
  JobDraft draft(std::string key, std::int64_t user = 1) {
    JobDraft d;
    d.user_id = user;
    d.chat_id = user * 10;
    d.model_id = "flux-dev";
    d.inputs_json = R"({"prompt":"a cat"})";
    d.price_kopecks = 1250;
    d.state = "reserved";
    d.idempotency_key = std::move(key);
    d.next_check_at = now();
    return d;
  }
  CreatedJob create(const JobDraft& d) {
    return must_run<CreatedJob>([&](Tx& tx) { return tx.jobs().create(d, now()); });
  }
  Result<Job> transition(std::int64_t id, std::vector<std::string_view> from, std::string to,
                         JobPatch patch = {}) {
    return run<Job>([&](Tx& tx) { return tx.jobs().transition(id, from, to, patch, now()); });
  }
  std::vector<Job> claim(std::string owner, int limit = 10, std::int64_t lease = 60'000) {
    return must_run<std::vector<Job>>(
        [&](Tx& tx) { return tx.jobs().claim_due(owner, now(), lease, limit); });
  }
};
KB_STORE_BACKENDS(JobsTest);

TEST_P(JobsTest, CreateIsIdempotentByKey) {
  auto d = draft("confirm:1:abc");
  d.is_free = true;
  d.free_day = "2026-01-01";
  d.progress_message_id = 555;
  auto first = create(d);
  EXPECT_TRUE(first.created);
  EXPECT_GT(first.job.id, 0);
  EXPECT_EQ(first.job.state, "reserved");
  EXPECT_EQ(first.job.price_kopecks, 1250);
  EXPECT_TRUE(first.job.is_free);
  EXPECT_EQ(first.job.free_day, "2026-01-01");
  EXPECT_EQ(first.job.progress_message_id, 555);
  EXPECT_EQ(first.job.inputs_json, R"({"prompt":"a cat"})");
  EXPECT_EQ(first.job.created_at, now());
  EXPECT_EQ(first.job.next_check_at, now());
  EXPECT_EQ(first.job.attempts, 0);
  EXPECT_FALSE(first.job.notified_delayed);
  EXPECT_EQ(first.job.finished_at, std::nullopt);
  auto second = create(d);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.job.id, first.job.id);
  auto stolen =
      run<CreatedJob>([&](Tx& tx) { return tx.jobs().create(draft("confirm:1:abc", 2), now()); });
  ASSERT_FALSE(stolen);
  EXPECT_EQ(stolen.error().code, Errc::conflict);
  auto by_key =
      must_run<std::optional<Job>>([](Tx& tx) { return tx.jobs().get_by_key("confirm:1:abc"); });
  EXPECT_EQ(by_key->id, first.job.id);
  EXPECT_FALSE(must_run<std::optional<Job>>([](Tx& tx) { return tx.jobs().get(987654); }));
}

TEST_P(JobsTest, TransitionIsACompareAndSetOnTheState) {
  auto job = create(draft("k")).job;
  clock_.advance(std::chrono::seconds(2));
  JobPatch submitted;
  submitted.kie_task_id = "task-123";
  submitted.mark_submitted = true;
  submitted.increment_attempts = true;
  submitted.next_check_at = now() + 2000;
  auto moved = must(transition(job.id, {"reserved"}, "submitted", submitted));
  EXPECT_EQ(moved.state, "submitted");
  EXPECT_EQ(moved.kie_task_id, "task-123");
  EXPECT_EQ(moved.submitted_at, now());
  EXPECT_EQ(moved.updated_at, now());
  EXPECT_EQ(moved.attempts, 1);
  EXPECT_EQ(moved.next_check_at, now() + 2000);

  auto wrong = transition(job.id, {"reserved", "confirmed"}, "submitted");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::conflict);
  EXPECT_NE(wrong.error().message.find("submitted"), std::string::npos);
  auto missing = transition(424242, {"reserved"}, "submitted");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);

  auto found =
      must_run<std::optional<Job>>([](Tx& tx) { return tx.jobs().get_by_task_id("task-123"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, job.id);
}

TEST_P(JobsTest, FinishingClearsScheduleAndLease) {
  auto job = create(draft("k")).job;
  ASSERT_EQ(claim("runner").size(), 1u);
  JobPatch done;
  done.finish = true;
  done.result_json = R"({"urls":["https://x/1.png"]})";
  done.notified_delayed = true;
  auto finished = must(transition(job.id, {"reserved"}, "succeeded", done));
  EXPECT_EQ(finished.finished_at, now());
  EXPECT_EQ(finished.next_check_at, std::nullopt);
  EXPECT_EQ(finished.lease_owner, std::nullopt);
  EXPECT_EQ(finished.result_json, R"({"urls":["https://x/1.png"]})");
  EXPECT_TRUE(finished.notified_delayed);
  JobPatch failure;
  failure.failure_code = "kie_422";
  failure.failure_reason = "bad input";
  auto failed = must(transition(job.id, {"succeeded"}, "failed", failure));
  EXPECT_EQ(failed.failure_code, "kie_422");
  EXPECT_EQ(failed.failure_reason, "bad input");
  EXPECT_EQ(must_run<std::int64_t>([](Tx& tx) { return tx.jobs().count_active_for_user(1); }), 0);
}

// The delivery window starts when the result is confirmed: stamped once, kept by later updates.
TEST_P(JobsTest, SucceededAtIsStampedWhenAsked) {
  auto job = create(draft("k")).job;
  EXPECT_EQ(job.succeeded_at, std::nullopt);
  clock_.advance(std::chrono::seconds(5));
  const auto confirmed_at = now();
  JobPatch success;
  success.mark_succeeded = true;
  auto succeeded = must(transition(job.id, {"reserved"}, "succeeded", success));
  EXPECT_EQ(succeeded.succeeded_at, confirmed_at);
  clock_.advance(std::chrono::minutes(30));
  JobPatch retry;
  retry.increment_attempts = true;
  retry.next_check_at = std::optional<std::int64_t>(now() + 1000);
  auto later = must_run<Job>([&](Tx& tx) { return tx.jobs().update(job.id, retry, now()); });
  EXPECT_EQ(later.succeeded_at, confirmed_at);
  EXPECT_EQ(later.updated_at, now());
}

TEST_P(JobsTest, UpdateChangesFieldsWithoutAState) {
  auto job = create(draft("k")).job;
  JobPatch p;
  p.progress_message_id = 77;
  p.next_check_at = std::optional<std::int64_t>();  // clear
  auto updated = must_run<Job>([&](Tx& tx) { return tx.jobs().update(job.id, p, now()); });
  EXPECT_EQ(updated.state, "reserved");
  EXPECT_EQ(updated.progress_message_id, 77);
  EXPECT_EQ(updated.next_check_at, std::nullopt);
  EXPECT_TRUE(claim("w").empty());  // no longer scheduled
}

TEST_P(JobsTest, TaskIdsAreUnique) {
  auto a = create(draft("a")).job;
  auto b = create(draft("b")).job;
  JobPatch p;
  p.kie_task_id = "same";
  must(transition(a.id, {"reserved"}, "submitted", p));
  auto dup = transition(b.id, {"reserved"}, "submitted", p);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::conflict);
}

TEST_P(JobsTest, ClaimDueLeasesOnlyDueFreeJobs) {
  auto due = create(draft("due")).job;
  auto later_draft = draft("later");
  later_draft.next_check_at = now() + 10'000;
  auto later = create(later_draft).job;
  auto unscheduled_draft = draft("unscheduled");
  unscheduled_draft.next_check_at.reset();
  create(unscheduled_draft);

  auto claimed = claim("runner-a", 10, 5000);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, due.id);
  EXPECT_EQ(claimed[0].lease_owner, "runner-a");
  EXPECT_EQ(claimed[0].lease_until, now() + 5000);
  EXPECT_TRUE(claim("runner-b").empty());

  EXPECT_TRUE(must_run<bool>(
      [&](Tx& tx) { return tx.jobs().renew_lease(due.id, "runner-a", now() + 20'000); }));
  EXPECT_FALSE(must_run<bool>(
      [&](Tx& tx) { return tx.jobs().renew_lease(due.id, "runner-b", now() + 20'000); }));
  clock_.advance(std::chrono::seconds(10));
  auto second = claim("runner-b");
  ASSERT_EQ(second.size(), 1u);  // "later" became due; "due" is still leased until +20 s
  EXPECT_EQ(second[0].id, later.id);
  clock_.advance(std::chrono::seconds(10));
  auto taken_over = claim("runner-b");  // runner-a's lease expired
  ASSERT_EQ(taken_over.size(), 1u);
  EXPECT_EQ(taken_over[0].id, due.id);
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.jobs().release_lease(due.id, "runner-a"); }));
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.jobs().release_lease(due.id, "runner-b"); }));
  EXPECT_EQ(claim("runner-c").size(), 1u);
}

TEST_P(JobsTest, ClaimDueRespectsTheLimit) {
  for (int i = 0; i < 5; ++i) create(draft(fmt::format("job{}", i)));
  EXPECT_EQ(claim("a", 2).size(), 2u);
  EXPECT_EQ(claim("b", 10).size(), 3u);
  EXPECT_TRUE(claim("c", 10).empty());
}

TEST_P(JobsTest, ConcurrentRunnersClaimEachJobOnce) {
  for (int i = 0; i < 40; ++i) create(draft(fmt::format("job{}", i)));
  std::mutex mutex;
  std::multiset<std::int64_t> claimed;
  auto runner = [&](std::string owner) {
    for (int round = 0; round < 30; ++round) {
      auto jobs = claim(owner, 3);
      std::lock_guard lock(mutex);
      for (const auto& j : jobs) claimed.insert(j.id);
    }
  };
  std::thread a(runner, "a"), b(runner, "b");
  a.join();
  b.join();
  EXPECT_EQ(claimed.size(), 40u);
  for (auto id : claimed) EXPECT_EQ(claimed.count(id), 1u) << id;
}

TEST_P(JobsTest, ActiveCountsAndHistory) {
  for (int i = 0; i < 5; ++i) create(draft(fmt::format("k{}", i)));
  create(draft("other", 2));
  EXPECT_EQ(must_run<std::int64_t>([](Tx& tx) { return tx.jobs().count_active_for_user(1); }), 5);
  auto page = must_run<std::vector<Job>>([](Tx& tx) { return tx.jobs().list_for_user(1, 2, 1); });
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].idempotency_key, "k3");
  EXPECT_EQ(page[1].idempotency_key, "k2");
  auto stats = must_run<std::vector<ModelStateCount>>(
      [](Tx& tx) { return tx.jobs().count_by_model_and_state_since(0); });
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].model_id, "flux-dev");
  EXPECT_EQ(stats[0].state, "reserved");
  EXPECT_EQ(stats[0].count, 6);
}

TEST_P(JobsTest, DeliveriesAreRecordedOncePerFile) {
  auto job = create(draft("k")).job;
  EXPECT_TRUE(must_run<bool>(
      [&](Tx& tx) { return tx.jobs().record_delivery(job.id, 0, 1001, "sendPhoto", now()); }));
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) {
    return tx.jobs().record_delivery(job.id, 1, std::nullopt, "sendDocument", now());
  }));
  EXPECT_FALSE(must_run<bool>(
      [&](Tx& tx) { return tx.jobs().record_delivery(job.id, 0, 1002, "sendPhoto", now()); }));
  auto list = must_run<std::vector<Delivery>>([&](Tx& tx) { return tx.jobs().deliveries(job.id); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].message_id, 1001);
  EXPECT_EQ(list[0].method, "sendPhoto");
  EXPECT_EQ(list[1].message_id, std::nullopt);
  EXPECT_EQ(list[1].sent_at, now());
}

TEST_P(JobsTest, DeliveryIntentsAreCompletedOrForgotten) {
  auto job = create(draft("k")).job;
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(must_run<bool>([&](Tx& tx) {
      return tx.jobs().record_delivery(job.id, i, std::nullopt, "intent", now());
    }));
  clock_.advance(std::chrono::seconds(3));
  EXPECT_TRUE(must_run<bool>(
      [&](Tx& tx) { return tx.jobs().complete_delivery(job.id, 0, 501, "url", now()); }));
  EXPECT_FALSE(must_run<bool>(
      [&](Tx& tx) { return tx.jobs().complete_delivery(job.id, 7, 502, "url", now()); }));
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.jobs().forget_delivery(job.id, 1); }));
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.jobs().forget_delivery(job.id, 0); }));
  auto list = must_run<std::vector<Delivery>>([&](Tx& tx) { return tx.jobs().deliveries(job.id); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].file_index, 0);
  EXPECT_EQ(list[0].method, "url");
  EXPECT_EQ(list[0].message_id, 501);
  EXPECT_EQ(list[0].sent_at, now());
  EXPECT_EQ(list[1].file_index, 2);
  EXPECT_EQ(list[1].method, "intent");
  // A forgotten file can be recorded again.
  EXPECT_TRUE(must_run<bool>(
      [&](Tx& tx) { return tx.jobs().record_delivery(job.id, 1, std::nullopt, "intent", now()); }));
}

}  // namespace
}  // namespace kb::store::test
