// OutboxSender against the fake Bot API: order, hooks, the sweep after a crash, deadlines,
// expected refusals (not modified, vanished message, blocked user), retries and failures.
#include <mutex>

#include "integration/telegram/intake_fixture.hpp"
#include "services/outbox/outbox_drafts.hpp"
#include "services/outbox/outbox_sender.hpp"

namespace kb::intake_test {
namespace {

using services::OutboxSender;
using store::OutboxRow;
using store::OutboxStatus;
using store::Tx;

class OutboxSenderTest : public PipelineTest {
 protected:
  void SetUp() override {
    PipelineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    user = fake->make_user("Ann");
    add_user(user.id, "Ann");
    sender = make_sender("s1");
  }
  void TearDown() override {
    if (sender) io.run<void>([this]() { return sender->stop(std::chrono::seconds(1)); });
    sender.reset();
    PipelineTest::TearDown();
  }

  std::unique_ptr<OutboxSender> make_sender(std::string owner) {
    services::OutboxSenderOptions o;
    o.owner = std::move(owner);
    o.lease_ms = 10'000;
    auto s = std::make_unique<OutboxSender>(database(), *bot, clock_, o);
    // The screen hook as the conversation will use it: remember the message id.
    s->on_sent(std::string(services::kPurposeScreen),
               [](Tx& tx, const OutboxRow& row, std::optional<std::int64_t> message_id,
                  std::int64_t now) -> Result<void> {
                 return tx.settings().set("screen." + row.purpose_ref,
                                          std::to_string(message_id.value_or(-1)), now);
               });
    return s;
  }

  std::int64_t enqueue(Result<store::OutboxDraft> draft) {
    auto d = must(std::move(draft));
    return must_run<std::int64_t>([&](Tx& tx) { return tx.outbox().enqueue(d, now()); });
  }
  std::int64_t enqueue_text(std::string text, std::string purpose = {}) {
    telegram::SendMessage m;
    m.chat_id = user.id;
    m.text = std::move(text);
    return enqueue(services::outbox_draft(m, {purpose, std::to_string(user.id)}));
  }
  void flush(OutboxSender& s) {
    io.run<void>([&]() { return s.flush_now(user.id); });
  }
  OutboxRow row(std::int64_t id) {
    auto r = must_run<std::optional<OutboxRow>>([&](Tx& tx) { return tx.outbox().get(id); });
    if (!r) throw std::runtime_error("missing outbox row");
    return *r;
  }
  std::vector<std::string> bot_texts() {
    std::vector<std::string> out;
    for (const auto& m : fake->bot_messages(user.id)) out.push_back(m.text);
    return out;
  }
  std::optional<std::string> setting(std::string key) {
    return must_run<std::optional<std::string>>([&](Tx& tx) { return tx.settings().get(key); });
  }

  sandbox::tg::User user;
  std::unique_ptr<OutboxSender> sender;
};
KB_STORE_BACKENDS(OutboxSenderTest);

TEST_P(OutboxSenderTest, FlushSendsTheChatInOrderAndRunsThePurposeHook) {
  auto a = enqueue_text("one");
  auto b = enqueue_text("two");
  auto c = enqueue_text("three", std::string(services::kPurposeScreen));
  flush(*sender);
  EXPECT_EQ(bot_texts(), (std::vector<std::string>{"one", "two", "three"}));
  for (auto id : {a, b, c}) EXPECT_EQ(row(id).status, OutboxStatus::sent);
  auto last = fake->last_bot_message(user.id);
  ASSERT_TRUE(last);
  EXPECT_EQ(row(c).result_message_id, last->message_id);
  EXPECT_EQ(setting("screen." + std::to_string(user.id)), std::to_string(last->message_id));
  // Flushing again sends nothing twice.
  flush(*sender);
  EXPECT_EQ(fake->bot_messages(user.id).size(), 3u);
}

TEST_P(OutboxSenderTest, TheSweepSendsRowsACrashLeftBehind) {
  // Committed, then the process died before flushing: a new sender's sweep sends it.
  auto committed = enqueue_text("after the crash");
  // Another row was claimed by a sender that died mid-send: sent once its lease expires.
  auto leased = enqueue(services::outbox_draft(telegram::SendMessage{.chat_id = 5, .text = "x"}));
  must_run<std::vector<OutboxRow>>(
      [&](Tx& tx) { return tx.outbox().claim_chat(5, "dead", now(), 10'000, 10); });
  auto restarted = make_sender("s2");
  EXPECT_EQ(io.run<int>([&]() { return restarted->sweep_once(); }), 1);
  EXPECT_EQ(bot_texts(), (std::vector<std::string>{"after the crash"}));
  EXPECT_EQ(row(committed).status, OutboxStatus::sent);
  EXPECT_EQ(row(leased).status, OutboxStatus::pending);
  clock_.advance(std::chrono::seconds(10));
  EXPECT_EQ(io.run<int>([&]() { return restarted->sweep_once(); }), 1);
  EXPECT_EQ(row(leased).status, OutboxStatus::sent);
  EXPECT_EQ(row(leased).attempts, 2);  // the lost attempt, then this one
}

TEST_P(OutboxSenderTest, AnswersGoFirstAndLateOnesAreDropped) {
  auto sent = must(io.run<Result<telegram::Message>>([&]() {
    return bot->send_message(telegram::SendMessage{.chat_id = user.id, .text = "menu"});
  }));
  auto fresh = fake->press_button(user, sent.message_id, "a");
  auto stale = fake->press_button(user, sent.message_id, "b");
  auto text = enqueue_text("reply");
  telegram::AnswerCallbackQuery answer_fresh{.callback_query_id = fresh.callback_query_id};
  telegram::AnswerCallbackQuery answer_stale{.callback_query_id = stale.callback_query_id};
  auto fresh_row = enqueue(services::outbox_draft(user.id, answer_fresh, now()));
  auto stale_row =
      enqueue(services::outbox_draft(user.id, answer_stale, now() - 20'000));  // 20 s ago
  flush(*sender);
  EXPECT_EQ(row(fresh_row).status, OutboxStatus::sent);
  EXPECT_EQ(row(stale_row).status, OutboxStatus::dropped);
  EXPECT_EQ(row(text).status, OutboxStatus::sent);
  EXPECT_TRUE(fake->callback_query(fresh.callback_query_id)->answered);
  EXPECT_FALSE(fake->callback_query(stale.callback_query_id)->answered);
  // The answer went out before the reply that was enqueued earlier.
  auto calls = fake->calls();
  std::vector<std::string> methods;
  for (const auto& call : calls)
    if (call.method == "answerCallbackQuery" || call.method == "sendMessage")
      methods.push_back(call.method);
  ASSERT_GE(methods.size(), 3u);
  EXPECT_EQ(methods[methods.size() - 2], "answerCallbackQuery");
  EXPECT_EQ(methods.back(), "sendMessage");
}

TEST_P(OutboxSenderTest, NotModifiedCompletesTheRowAndAVanishedMessageIsSentAsNew) {
  auto sent = must(io.run<Result<telegram::Message>>([&]() {
    return bot->send_message(telegram::SendMessage{.chat_id = user.id, .text = "same"});
  }));
  telegram::EditMessageText same{.chat_id = user.id, .message_id = sent.message_id, .text = "same"};
  auto unchanged = enqueue(services::outbox_draft(same, {"screen", std::to_string(user.id)}));
  telegram::EditMessageText gone{.chat_id = user.id, .message_id = 999'999, .text = "fresh screen"};
  auto replaced = enqueue(services::outbox_draft(gone, {"screen", std::to_string(user.id)}));
  flush(*sender);
  EXPECT_EQ(row(unchanged).status, OutboxStatus::sent);
  EXPECT_EQ(row(unchanged).result_message_id, sent.message_id);
  EXPECT_EQ(row(replaced).status, OutboxStatus::sent);
  auto last = fake->last_bot_message(user.id);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->text, "fresh screen");
  EXPECT_NE(last->message_id, sent.message_id);
  EXPECT_EQ(row(replaced).result_message_id, last->message_id);
  EXPECT_EQ(setting("screen." + std::to_string(user.id)), std::to_string(last->message_id));
}

// An edit Telegram will not make (an old message, a media message) is sent as a new message,
// as for a vanished one: the text (a job's failure notice, a screen) still reaches the user.
TEST_P(OutboxSenderTest, AnEditTelegramRefusesIsSentAsANewMessage) {
  auto sent = must(io.run<Result<telegram::Message>>([&]() {
    return bot->send_message(telegram::SendMessage{.chat_id = user.id, .text = "progress"});
  }));
  fake->inject_error("editMessageText",
                     sandbox::tg::InjectedError::bad_request("message can't be edited"));
  telegram::EditMessageText edit{.chat_id = user.id, .message_id = sent.message_id, .text = "failed, money returned"};
  auto id = enqueue(services::outbox_draft(edit));
  flush(*sender);
  EXPECT_EQ(row(id).status, OutboxStatus::sent);
  auto last = fake->last_bot_message(user.id);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->text, "failed, money returned");
  EXPECT_NE(last->message_id, sent.message_id);
  EXPECT_EQ(row(id).result_message_id, last->message_id);
}

TEST_P(OutboxSenderTest, ABlockedUserIsMarkedAndTheChatsRowsAreDropped) {
  fake->block_bot(user);
  auto a = enqueue_text("one");
  auto b = enqueue_text("two");
  flush(*sender);
  EXPECT_EQ(row(a).status, OutboxStatus::dropped);
  EXPECT_EQ(row(b).status, OutboxStatus::dropped);
  EXPECT_EQ(fake->call_count("sendMessage"), 1u);  // the second was not even tried
  auto stored =
      must_run<std::optional<store::User>>([&](Tx& tx) { return tx.users().get(user.id); });
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->blocked_bot);
}

TEST_P(OutboxSenderTest, ServerErrorsAreRetriedLaterInOrder) {
  fake->inject_error("sendMessage", sandbox::tg::InjectedError::server_error(502));
  auto a = enqueue_text("one");
  auto b = enqueue_text("two");
  flush(*sender);
  EXPECT_TRUE(bot_texts().empty());
  auto first = row(a);
  EXPECT_EQ(first.status, OutboxStatus::pending);
  EXPECT_EQ(first.attempts, 1);
  EXPECT_GT(first.next_attempt_at, now());
  EXPECT_EQ(row(b).status, OutboxStatus::pending);  // held back behind the first
  flush(*sender);
  EXPECT_TRUE(bot_texts().empty());  // not due yet
  clock_.advance(std::chrono::milliseconds(first.next_attempt_at - now()));
  io.run<int>([&]() { return sender->sweep_once(); });
  EXPECT_EQ(bot_texts(), (std::vector<std::string>{"one", "two"}));
}

// Through a Telegram outage a row without a deadline is given up after the attempt limit; a row
// with one (a job's failure notice) is retried until its deadline and sent when Telegram is back.
TEST_P(OutboxSenderTest, ARowWithADeadlineOutlastsTheAttemptLimit) {
  fake->inject_error("sendMessage", sandbox::tg::InjectedError::server_error(502), 1'000'000);
  telegram::SendMessage notice{.chat_id = user.id, .text = "failed, money returned"};
  auto draft = must(services::outbox_draft(notice));
  draft.deadline_at = now() + 24 * 3'600'000LL;
  auto with_deadline = enqueue(draft);
  auto other = fake->make_user("Bob");
  add_user(other.id, "Bob");
  telegram::SendMessage reply{.chat_id = other.id, .text = "menu"};
  auto without = enqueue(services::outbox_draft(reply));
  for (int i = 0; i < 30; ++i) {  // 30 minutes of 502s, a sweep every minute
    io.run<int>([&]() { return sender->sweep_once(); });
    clock_.advance(std::chrono::minutes(1));
  }
  EXPECT_EQ(row(without).status, OutboxStatus::failed);
  EXPECT_EQ(row(without).attempts, 8);
  EXPECT_EQ(row(with_deadline).status, OutboxStatus::pending);
  EXPECT_GT(row(with_deadline).attempts, 8);

  fake->clear_faults();
  clock_.advance(std::chrono::minutes(1));
  io.run<int>([&]() { return sender->sweep_once(); });
  EXPECT_EQ(row(with_deadline).status, OutboxStatus::sent);
  EXPECT_EQ(bot_texts(), (std::vector<std::string>{"failed, money returned"}));
}

TEST_P(OutboxSenderTest, BugsAndFatalErrorsFailTheRowWithoutBlockingTheChat) {
  fake->inject_error("sendMessage", sandbox::tg::InjectedError::bad_request("BUTTON_DATA_INVALID"));
  auto bad = enqueue_text("one");
  auto good = enqueue_text("two");
  flush(*sender);
  EXPECT_EQ(row(bad).status, OutboxStatus::failed);
  EXPECT_EQ(row(good).status, OutboxStatus::sent);
  EXPECT_EQ(bot_texts(), (std::vector<std::string>{"two"}));
}

TEST_P(OutboxSenderTest, BackgroundFlushAfterCommitIsFast) {
  io.run<void>([this]() -> Task<void> { sender->start(co_await asio::this_coro::executor); });
  auto id = enqueue_text("quick");
  sender->flush(user.id);
  // Well under the 2 s sweep interval: only the flush itself can have sent it this soon.
  ASSERT_TRUE(fake->wait_until([&] { return fake->bot_messages(user.id).size() == 1; },
                               std::chrono::milliseconds(1000)));
  for (int i = 0; i < 100 && row(id).status != OutboxStatus::sent; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(row(id).status, OutboxStatus::sent);
}

}  // namespace
}  // namespace kb::intake_test
