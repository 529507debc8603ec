// createTask against the fake KIE server: every body code with HTTP 200 and as a real HTTP code,
// malformed answers, timeouts after sending (no second task), the account-wide budget.
#include <gtest/gtest.h>

#include "kie_fixture.hpp"

namespace kb::kie::test {
namespace {

using namespace std::chrono_literals;
using sandbox::Fault;

Fault body_code(int code) {
  Fault f;
  f.code = code;
  return f;
}
Fault http_code(int code) {
  Fault f;
  f.http_status = code;
  f.code = code;
  return f;
}

class KieCreateTest : public KieFakeTest {};

TEST_F(KieCreateTest, CreatesOneTaskWithModelInputAndCallbackUrl) {
  start();
  auto r = create("google/nano-banana", {{"prompt", "a red fox"}, {"image_size", "1:1"}},
                  "https://bot.example/kie/callback/tok");
  ASSERT_EQ(r.outcome, CreateOutcome::created) << r.failure.detail;
  EXPECT_EQ(r.attempts, 1);
  auto tasks = fake->tasks();
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].task_id, r.task_id);
  EXPECT_EQ(tasks[0].model, "google/nano-banana");
  EXPECT_EQ(tasks[0].input["prompt"], "a red fox");
  EXPECT_EQ(tasks[0].input["image_size"], "1:1");
  EXPECT_EQ(tasks[0].callback_url, "https://bot.example/kie/callback/tok");
  EXPECT_TRUE(sleeper.waits().empty());
}

TEST_F(KieCreateTest, UnknownModelIsRejectedWithoutRetry) {
  auto fo = fake_options();
  fo.accept_any_model = false;
  fo.models = std::vector<sandbox::FakeModel>{{"google/nano-banana", {"prompt"}, {}, "image"}};
  start(fo, client_options());
  auto r = create("no/such-model");
  EXPECT_EQ(r.outcome, CreateOutcome::rejected);
  EXPECT_EQ(r.failure.reason, FailureReason::invalid_request);
  EXPECT_EQ(r.failure.code, 422);
  // The fake knows required inputs: "<field> is required" arrives as code 500 yet is no ambiguity.
  auto missing = create("google/nano-banana", nlohmann::json::object());
  EXPECT_EQ(missing.outcome, CreateOutcome::rejected);
  EXPECT_EQ(missing.failure.code, 500);
  EXPECT_EQ(missing.failure.reason, FailureReason::invalid_request);
  EXPECT_EQ(fake->create_calls(), 2u);
  EXPECT_TRUE(fake->tasks().empty());
}

TEST_F(KieCreateTest, WrongKeyIsRejectedBothAsBodyCodeAndAsHttp401) {
  auto co = client_options();
  co.api_key = "wrong-key-123456";
  start(fake_options(), co);
  auto r = create();
  EXPECT_EQ(r.outcome, CreateOutcome::rejected);
  EXPECT_EQ(r.failure.reason, FailureReason::provider_auth_failed);
  EXPECT_EQ(r.failure.http_status, 200);
  TearDown();
  auto fo = fake_options();
  fo.auth_error_as_http_401 = true;
  start(fo, co);
  auto r401 = create();
  EXPECT_EQ(r401.failure.reason, FailureReason::provider_auth_failed);
  EXPECT_EQ(r401.failure.http_status, 401);
  EXPECT_EQ(fake->create_calls(), 1u);
}

struct CodeCase {
  int code;
  CreateOutcome outcome;  // when the fault is permanent
  FailureReason reason;
  bool retried;  // clearly not accepted: retried with backoff
};

const CodeCase kCodeCases[] = {
    {402, CreateOutcome::rejected, FailureReason::provider_out_of_credits, false},
    {422, CreateOutcome::rejected, FailureReason::invalid_request, false},
    {429, CreateOutcome::rejected, FailureReason::provider_busy, true},
    {455, CreateOutcome::rejected, FailureReason::provider_busy, true},
    {500, CreateOutcome::ambiguous, FailureReason::outcome_unknown, false},
    {501, CreateOutcome::rejected, FailureReason::generation_failed, false},
    {505, CreateOutcome::rejected, FailureReason::model_unavailable, false},
};

class KieCreateCodeTest : public KieFakeTest, public testing::WithParamInterface<bool> {};

// Each code, permanently: the outcome, and exactly how many calls reached the fake.
TEST_P(KieCreateCodeTest, EveryDocumentedCode) {
  const bool as_http = GetParam();
  for (const auto& c : kCodeCases) {
    start();
    const int attempts = c.retried ? client->options().create_backoff.max_attempts : 1;
    fake->fail_next("createTask", as_http ? http_code(c.code) : body_code(c.code), 10);
    auto r = create();
    EXPECT_EQ(create_outcome_name(r.outcome), create_outcome_name(c.outcome)) << c.code;
    EXPECT_EQ(failure_reason_name(r.failure.reason), failure_reason_name(c.reason)) << c.code;
    EXPECT_EQ(r.failure.code, c.code);
    EXPECT_EQ(r.failure.http_status, as_http ? c.code : 200);
    EXPECT_EQ(r.attempts, attempts) << c.code;
    EXPECT_EQ(fake->create_calls(), static_cast<std::size_t>(attempts)) << c.code;
    EXPECT_TRUE(fake->tasks().empty()) << c.code;
    TearDown();
  }
}

INSTANTIATE_TEST_SUITE_P(BodyCodeAndHttpCode, KieCreateCodeTest, testing::Values(false, true),
                         [](const auto& info) { return info.param ? "http" : "body"; });

TEST_F(KieCreateTest, RateLimitAndMaintenanceAreRetriedUntilAccepted) {
  start();
  fake->fail_next("createTask", body_code(429), 1);
  fake->fail_next("createTask", http_code(455), 1);
  auto r = create();
  ASSERT_EQ(r.outcome, CreateOutcome::created) << r.failure.detail;
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(fake->create_calls(), 3u);
  EXPECT_EQ(fake->tasks().size(), 1u);
  EXPECT_EQ(sleeper.waits(), (std::vector<std::chrono::milliseconds>{1000ms, 2000ms}));
}

TEST_F(KieCreateTest, Code500AcceptedByTheServerIsAmbiguousAndNotRepeated) {
  start();
  Fault f = body_code(500);
  f.accept_then_fail = true;
  fake->fail_next("createTask", f);
  auto r = create();
  EXPECT_EQ(r.outcome, CreateOutcome::ambiguous);
  EXPECT_EQ(fake->create_calls(), 1u);
  ASSERT_EQ(fake->tasks().size(), 1u);  // the task exists and would be billed
  EXPECT_TRUE(fake->tasks()[0].answered_with_fault);
  EXPECT_TRUE(sleeper.waits().empty());
}

TEST_F(KieCreateTest, MalformedJsonAfterSendingIsAmbiguous) {
  start();
  Fault f;
  f.malformed_json = true;
  f.accept_then_fail = true;
  fake->fail_next("createTask", f);
  auto r = create();
  EXPECT_EQ(r.outcome, CreateOutcome::ambiguous);
  EXPECT_EQ(r.failure.reason, FailureReason::outcome_unknown);
  EXPECT_EQ(fake->create_calls(), 1u);
  EXPECT_EQ(fake->tasks().size(), 1u);
}

TEST_F(KieCreateTest, ConnectionCutAfterTheRequestIsAmbiguous) {
  start();
  Fault f;
  f.close_without_response = true;
  f.accept_then_fail = true;
  fake->fail_next("createTask", f);
  auto r = create();
  EXPECT_EQ(r.outcome, CreateOutcome::ambiguous) << r.failure.detail;
  EXPECT_EQ(fake->create_calls(), 1u);
  EXPECT_EQ(fake->tasks().size(), 1u);
}

TEST_F(KieCreateTest, TimeoutAfterSendingIsAmbiguousAndCreatesNoSecondTask) {
  auto co = client_options();
  co.request_timeout = 300ms;
  start(fake_options(), co);
  Fault slow;
  slow.delay_ms = 1200;  // the server processes the request after our timeout
  fake->fail_next("createTask", slow);
  auto r = create();
  EXPECT_EQ(r.outcome, CreateOutcome::ambiguous);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.failure.http_status, 0);
  // The slow call does create its task; no retry creates another.
  ASSERT_TRUE(eventually([&] { return fake->tasks().size() == 1; }, 5000ms));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(fake->tasks().size(), 1u);
  EXPECT_EQ(fake->create_calls(), 1u);
  EXPECT_TRUE(sleeper.waits().empty());
}

TEST_F(KieCreateTest, AccountBudgetKeepsCreatesUnderTheProviderLimit) {
  auto fo = fake_options();
  fo.create_limit_per_10s = 20;
  LocalCreateBudget budget(18, 10s, clock);
  start(fo, client_options(), &budget);
  for (int i = 0; i < 40; ++i) {
    auto r = create();
    ASSERT_EQ(r.outcome, CreateOutcome::created) << i << ": " << r.failure.detail;
    EXPECT_EQ(r.attempts, 1) << "the provider never had to refuse one";
  }
  EXPECT_EQ(fake->create_calls(), 40u);
  EXPECT_EQ(fake->tasks().size(), 40u);
  // Two full windows were waited out, on the fake clock.
  std::chrono::milliseconds waited{0};
  for (auto w : sleeper.waits()) waited += w;
  EXPECT_GE(waited, 19s);
  auto tasks = fake->tasks();
  for (std::size_t i = 18; i < tasks.size(); ++i)
    EXPECT_GE(tasks[i].create_time_ms - tasks[i - 18].create_time_ms, 10'000) << i;
}

TEST_F(KieCreateTest, ProviderRateLimitWithoutOurBudgetIsRetriedAfterBackoff) {
  auto fo = fake_options();
  fo.create_limit_per_10s = 2;
  auto co = client_options();
  co.create_backoff.initial = 10s;  // one backoff outlasts the provider's 10 s window
  co.create_backoff.max = 10s;
  start(fo, co);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(create().outcome, CreateOutcome::created) << i;
  EXPECT_EQ(fake->create_calls(), 4u);  // the third was refused once with 429
  EXPECT_EQ(fake->tasks().size(), 3u);
}

TEST_F(KieCreateTest, ExhaustedBudgetWaitReportsBusyWithoutCalling) {
  auto co = client_options();
  co.max_budget_wait = 1s;
  LocalCreateBudget budget(1, 10s, clock);
  start(fake_options(), co, &budget);
  ASSERT_EQ(create().outcome, CreateOutcome::created);
  auto r = create();
  EXPECT_EQ(r.outcome, CreateOutcome::rejected);
  EXPECT_EQ(r.failure.reason, FailureReason::provider_busy);
  EXPECT_EQ(r.failure.retry, Retry::later);
  EXPECT_EQ(r.attempts, 0);
  EXPECT_EQ(fake->create_calls(), 1u);
}

TEST_F(KieCreateTest, InvalidRequestsNeverReachTheProvider) {
  start();
  EXPECT_EQ(create("", {{"prompt", "x"}}).outcome, CreateOutcome::rejected);
  EXPECT_EQ(create("m", nlohmann::json::array()).outcome, CreateOutcome::rejected);
  EXPECT_EQ(fake->create_calls(), 0u);
}

}  // namespace
}  // namespace kb::kie::test
