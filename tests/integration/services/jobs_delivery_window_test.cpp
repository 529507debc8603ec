// Delivery through Telegram trouble (both backends): an outage delays a finished result without
// refunding it, only the end of the delivery window or a refusal for good ends the job, and the
// money moves exactly once either way.
#include <gtest/gtest.h>

#include "domain/schedule.hpp"
#include "integration/store/store_fixture.hpp"
#include "runner_harness.hpp"

namespace kb::services {
namespace {

using store::test::BackendKind;
using test::RunnerHarness;
using test::RunnerHarnessOptions;

constexpr int kForever = 1'000'000;  // injected failures: more than any test sends
constexpr std::int64_t kHourMs = 3'600'000;
const std::string kModel = "flux-2/pro-text-to-image";

class JobRunnerDeliveryWindow : public testing::TestWithParam<BackendKind> {
 protected:
  void SetUp() override {
    RunnerHarnessOptions options;
    if (GetParam() == BackendKind::postgres) {
      KB_REQUIRE_PG_OR_SKIP();
      pg_ = std::make_unique<kb::test::PgTestDatabase>(*kb::test::pg_admin_url());
      options.database_url = pg_->url();
    }
    h_ = std::make_unique<RunnerHarness>(options);
  }
  void TearDown() override {
    h_.reset();
    pg_.reset();
  }

  RunnerHarness& h() { return *h_; }

  // A paid job confirmed for `user`; returns its id.
  std::int64_t confirm(const sandbox::tg::User& user) {
    auto confirmed = h().confirm(user, kModel, {{"prompt", std::string("through the outage")}});
    EXPECT_EQ(confirmed.status, ConfirmStatus::created);
    price_ = confirmed.job->price_kopecks;
    EXPECT_GT(price_, 0);
    return confirmed.job->id;
  }

  // Runs the job until its result is confirmed (Telegram failing meanwhile); returns when that was.
  std::int64_t until_result_ready(std::int64_t id) {
    EXPECT_TRUE(h().run_until([&] { return h().job(id).state == "succeeded"; }));
    auto at = h().job(id).succeeded_at;
    EXPECT_TRUE(at.has_value());
    return at.value_or(0);
  }

  // The ledger entries of one job, by kind.
  int entries_of(std::int64_t user_id, std::int64_t job_id, store::LedgerKind kind) {
    auto entries = kb::test::must(h().db->read_blocking<std::vector<store::LedgerEntry>>(
        [&](store::Tx& tx) { return tx.ledger().entries(user_id, 1000); }));
    int n = 0;
    for (const auto& e : entries) n += e.job_id == job_id && e.kind == kind;
    return n;
  }
  // Every wallet equals the sum of its entries.
  void expect_ledger_consistent() {
    auto problems = kb::test::must(h().db->read_blocking<std::vector<store::LedgerProblem>>(
        [](store::Tx& tx) { return tx.ledger().verify(); }));
    for (const auto& p : problems) ADD_FAILURE() << "user " << p.user_id << ": " << p.problem;
  }
  std::size_t photos_to(std::int64_t chat) {
    std::size_t n = 0;
    for (const auto& m : h().telegram->bot_messages(chat)) n += m.kind == "photo";
    return n;
  }

  // Messages offering to retry a failed job (the failure notice).
  std::size_t retry_offers_to(std::int64_t chat) {
    std::size_t n = 0;
    for (const auto& m : h().telegram->bot_messages(chat)) {
      bool retry = false;
      for (const auto& b : m.buttons()) retry |= b.callback_data.starts_with("1|jr|");
      n += retry;
    }
    return n;
  }

  Kopecks price_ = 0;

 private:
  std::unique_ptr<kb::test::PgTestDatabase> pg_;  // outlives the harness that uses it
  std::unique_ptr<RunnerHarness> h_;
};
KB_STORE_BACKENDS(JobRunnerDeliveryWindow);

// Telegram answers every call with 502 for two hours after the result is ready: the job waits
// with its hold (the old rule gave up after 8 tries, ~4 minutes), then the result is delivered
// once, within the backoff cap of Telegram's recovery, and charged once.
TEST_P(JobRunnerDeliveryWindow, ATwoHourTelegramOutageDelaysTheResultAndRefundsNobody) {
  h().telegram->inject_error("*", sandbox::tg::InjectedError::server_error(502), kForever);
  auto user = h().user_with_balance(50'00);
  const auto id = confirm(user);
  const auto outage_end = until_result_ready(id) + 2 * kHourMs;
  ASSERT_FALSE(HasFailure());

  ASSERT_TRUE(h().run_until(
      [&] { return h().job(id).state != "succeeded" || h().clock.now_ms() >= outage_end; }, 1000,
      std::chrono::minutes(1)));
  auto during = h().job(id);
  EXPECT_EQ(during.state, "succeeded");
  EXPECT_EQ(during.failure_code, std::nullopt);
  EXPECT_GT(during.attempts, 8);  // tried all along, not given up
  EXPECT_EQ(h().balance(user.id), (store::Balance{50'00 - price_, price_}));
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::release), 0);
  EXPECT_EQ(photos_to(user.id), 0u);

  h().telegram->clear_faults();
  const auto recovered_at = h().clock.now_ms();
  ASSERT_TRUE(
      h().run_until([&] { return h().job(id).state == "delivered"; }, 10, std::chrono::minutes(1)));
  EXPECT_LE(h().clock.now_ms() - recovered_at, domain::DeliveryRetryPolicy{}.cap_ms);
  h().run_until([] { return false; }, 5, std::chrono::minutes(5));  // later runs change nothing

  EXPECT_EQ(photos_to(user.id), 1u);
  auto d = h().deliveries(id);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(d[0].message_id.has_value());
  EXPECT_EQ(h().balance(user.id), (store::Balance{50'00 - price_, 0}));
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::hold), 1);
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::capture), 1);
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::release), 0);
  expect_ledger_consistent();
}

// A result Telegram never takes is not held forever: kept until the delivery window (24 h from
// the result) has passed, then failed as undeliverable with the hold released exactly once.
TEST_P(JobRunnerDeliveryWindow, AResultTelegramNeverTakesIsGivenUpAndReleased) {
  h().telegram->inject_error("*", sandbox::tg::InjectedError::server_error(500), kForever);
  auto user = h().user_with_balance(50'00);
  const auto id = confirm(user);
  const auto window_end = until_result_ready(id) + domain::DeliveryRetryPolicy{}.window_ms;
  ASSERT_FALSE(HasFailure());

  // Minutes before the end of the window the result is still kept, its hold in place.
  ASSERT_TRUE(h().run_until(
      [&] {
        return h().job(id).state != "succeeded" || h().clock.now_ms() >= window_end - 300'000;
      },
      1000, std::chrono::minutes(3)));
  EXPECT_EQ(h().job(id).state, "succeeded");
  EXPECT_EQ(h().balance(user.id), (store::Balance{50'00 - price_, price_}));

  ASSERT_TRUE(
      h().run_until([&] { return h().job(id).state == "failed"; }, 20, std::chrono::minutes(1)));
  EXPECT_GE(h().clock.now_ms(), window_end);
  EXPECT_EQ(h().job(id).failure_code.value_or(""), "undeliverable");
  h().run_until([] { return false; }, 5, std::chrono::minutes(5));  // later runs change nothing

  EXPECT_EQ(h().balance(user.id), (store::Balance{50'00, 0}));
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::hold), 1);
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::release), 1);
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::capture), 0);
  EXPECT_EQ(photos_to(user.id), 0u);
  expect_ledger_consistent();
}

// The provider fails the job while Telegram answers every call with 502: the refund and the
// notice about it are stored together, and the notice reaches the user, once, when Telegram is
// back (it used to be tried once and lost, leaving the user with no word about the money).
TEST_P(JobRunnerDeliveryWindow, AFailureDuringATelegramOutageIsToldWhenTelegramIsBack) {
  sandbox::Lifecycle failing;
  failing.fail = true;
  failing.fail_code = "501";
  failing.fail_msg = "Generation failed";
  h().kie->set_lifecycle("*", failing);
  h().telegram->inject_error("*", sandbox::tg::InjectedError::server_error(502), kForever);
  auto user = h().user_with_balance(50'00);
  const auto id = confirm(user);
  ASSERT_TRUE(h().run_until([&] { return h().job(id).state == "failed"; }));
  EXPECT_EQ(h().balance(user.id), (store::Balance{50'00, 0}));
  EXPECT_EQ(retry_offers_to(user.id), 0u);

  h().telegram->clear_faults();
  ASSERT_TRUE(h().run_until([&] { return retry_offers_to(user.id) > 0; }, 10, std::chrono::minutes(1)));
  h().run_until([] { return false; }, 5, std::chrono::minutes(1));  // later runs change nothing
  EXPECT_EQ(retry_offers_to(user.id), 1u);
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::release), 1);
  expect_ledger_consistent();
}

// The user blocked the bot before the result: the job ends at once with the hold released, the
// user is marked, and no failure notice is queued for a chat that refuses everything.
TEST_P(JobRunnerDeliveryWindow, AUserWhoBlockedTheBotIsRefundedWithoutANotice) {
  auto user = h().user_with_balance(50'00);
  h().telegram->block_bot(user);
  const auto id = confirm(user);
  ASSERT_TRUE(h().run_until([&] { return h().job(id).state == "failed"; }));
  EXPECT_EQ(h().job(id).failure_code.value_or(""), "undeliverable");
  EXPECT_EQ(h().balance(user.id), (store::Balance{50'00, 0}));
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::release), 1);
  auto queued = kb::test::must(h().db->read_blocking<std::int64_t>([&](store::Tx& tx) -> Result<std::int64_t> {
    auto row = KB_TRY(tx.connection().query_one("SELECT count(*) FROM outbox WHERE chat_id = $1", user.id));
    return row ? row->i64(0) : 0;
  }));
  EXPECT_EQ(queued, 0);
}

// Telegram refuses the URL and then the uploaded bytes with a 400 that retrying cannot change
// (dimensions it will not take as a photo): the result still reaches the user, as a link, and is
// charged once.
TEST_P(JobRunnerDeliveryWindow, AFileTelegramRefusesAsAPhotoReachesTheUserAsALink) {
  h().telegram->inject_error(
      "sendPhoto", sandbox::tg::InjectedError::bad_request("wrong type of the web page content"));
  h().telegram->inject_error(
      "sendPhoto", sandbox::tg::InjectedError::bad_request("PHOTO_INVALID_DIMENSIONS"), kForever);
  auto user = h().user_with_balance(50'00);
  const auto id = confirm(user);
  ASSERT_TRUE(h().run_until([&] { return h().job(id).state == "delivered"; }));
  EXPECT_EQ(h().telegram->call_count("sendPhoto"), 2u);  // by URL, then uploaded
  auto d = h().deliveries(id);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].method, "link");
  EXPECT_EQ(photos_to(user.id), 0u);
  EXPECT_EQ(h().balance(user.id), (store::Balance{50'00 - price_, 0}));
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::capture), 1);
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::release), 0);
  expect_ledger_consistent();
}

// The URL, the upload and the link are all refused with 400s retrying cannot change: the job
// ends at once (no waiting out a window) and the hold is released once.
TEST_P(JobRunnerDeliveryWindow, ARequestTelegramRefusesForGoodEndsTheJobAtOnce) {
  h().telegram->inject_error(
      "sendPhoto", sandbox::tg::InjectedError::bad_request("wrong type of the web page content"));
  h().telegram->inject_error(
      "sendPhoto", sandbox::tg::InjectedError::bad_request("PHOTO_INVALID_DIMENSIONS"), kForever);
  h().telegram->inject_error(
      "sendMessage", sandbox::tg::InjectedError::bad_request("message text is empty"), kForever);
  auto user = h().user_with_balance(50'00);
  const auto id = confirm(user);
  ASSERT_TRUE(h().run_until([&] { return h().job(id).state == "failed"; }));
  auto job = h().job(id);
  EXPECT_EQ(job.failure_code.value_or(""), "undeliverable");
  EXPECT_EQ(job.attempts, 0);                            // no retry was scheduled
  EXPECT_EQ(h().telegram->call_count("sendPhoto"), 2u);  // by URL, then uploaded
  std::size_t link_offers = 0;  // the link fallback was tried (and refused too)
  for (const auto& call : h().telegram->calls("sendMessage"))
    link_offers += call.params.count("text") && call.params.at("text").find("/media/r/signed-") != std::string::npos;
  EXPECT_EQ(link_offers, 1u);
  EXPECT_EQ(h().balance(user.id), (store::Balance{50'00, 0}));
  EXPECT_EQ(entries_of(user.id, id, store::LedgerKind::release), 1);
  expect_ledger_consistent();
}

}  // namespace
}  // namespace kb::services
