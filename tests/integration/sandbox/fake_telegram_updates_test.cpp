// getUpdates (offsets, long polling, conflicts) and webhook configuration and delivery.
#include <future>
#include <set>
#include <thread>

#include "fake_telegram_fixture.hpp"

namespace kb::sandbox::tg::test_support {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const User kBob{5550001002, "Bob", "", "", "de", false};
const User kAlice{5550001001, "Alice", "Moreau", "alice_m", "en", true};

std::vector<std::int64_t> ids_of(const json& updates) {
  std::vector<std::int64_t> ids;
  for (const auto& u : updates) ids.push_back(u["update_id"].get<std::int64_t>());
  return ids;
}

TEST_F(FakeTelegramTest, GetUpdatesOffsetsAndLimits) {
  start();
  for (int i = 0; i < 5; ++i) tg->send_text(kBob, "m" + std::to_string(i));
  auto all = call("getUpdates");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all.result().size(), 5u);
  auto first = all.result()[0]["update_id"].get<std::int64_t>();
  EXPECT_EQ(ids_of(all.result()),
            (std::vector<std::int64_t>{first, first + 1, first + 2, first + 3, first + 4}));
  EXPECT_EQ(all.result()[0]["message"]["text"], "m0");
  EXPECT_EQ(
      all.result()[0]["message"]["from"],
      json::parse(R"({"id":5550001002,"is_bot":false,"first_name":"Bob","language_code":"de"})"));
  EXPECT_EQ(call("getUpdates", {{"limit", 2}}).result().size(), 2u);
  EXPECT_EQ(call("getUpdates", {{"limit", 0}}).result().size(), 1u);  // clamped to 1
  // Confirming 3 updates removes them for good.
  auto rest = call("getUpdates", {{"offset", first + 3}});
  EXPECT_EQ(ids_of(rest.result()), (std::vector<std::int64_t>{first + 3, first + 4}));
  EXPECT_EQ(call("getUpdates").result().size(), 2u);
  EXPECT_EQ(tg->pending_update_count(), 2u);
  // A negative offset keeps only the last N.
  tg->send_text(kBob, "m5");
  auto last = call("getUpdates", {{"offset", -1}});
  EXPECT_EQ(ids_of(last.result()), (std::vector<std::int64_t>{first + 5}));
  EXPECT_EQ(tg->pending_update_count(), 1u);
  auto empty = call("getUpdates", {{"offset", first + 6}, {"timeout", 0}});
  EXPECT_TRUE(empty.ok());
  EXPECT_TRUE(empty.result().empty());
}

TEST_F(FakeTelegramTest, LongPollWakesUpOnANewUpdate) {
  start();
  auto started = std::chrono::steady_clock::now();
  auto poll = std::async(std::launch::async, [&] { return call("getUpdates", {{"timeout", 20}}); });
  std::this_thread::sleep_for(150ms);  // let the poll start waiting
  tg->send_text(kBob, "wake up");
  auto r = poll.get();
  ASSERT_TRUE(r.ok()) << r.body;
  ASSERT_EQ(r.result().size(), 1u);
  EXPECT_EQ(r.result()[0]["message"]["text"], "wake up");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(FakeTelegramTest, LongPollTimesOutWithAnEmptyArray) {
  start();
  auto started = std::chrono::steady_clock::now();
  auto r = call("getUpdates", {{"timeout", 1}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.result().empty());
  EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
}

TEST_F(FakeTelegramTest, SecondPollerTerminatesTheFirst) {
  start();
  auto first = std::async(std::launch::async, [&] {
    return call("getUpdates", {{"timeout", 10}});
  });
  std::this_thread::sleep_for(300ms);
  auto second = std::async(std::launch::async, [&] {
    return call("getUpdates", {{"timeout", 1}});
  });
  auto r1 = first.get();
  EXPECT_EQ(r1.status, 409);
  EXPECT_EQ(r1.description(),
            "Conflict: terminated by other getUpdates request; make sure that only one bot "
            "instance is running");
  EXPECT_TRUE(second.get().ok());
}

TEST_F(FakeTelegramTest, WebhookAndGetUpdatesConflict) {
  WebhookReceiver receiver;
  start();
  auto poll = std::async(std::launch::async, [&] { return call("getUpdates", {{"timeout", 10}}); });
  std::this_thread::sleep_for(300ms);
  auto set = call("setWebhook", {{"url", receiver.url()}});
  ASSERT_TRUE(set.ok()) << set.body;
  auto terminated = poll.get();
  EXPECT_EQ(terminated.status, 409);
  EXPECT_EQ(terminated.description(), "Conflict: terminated by setWebhook request");
  auto blocked = call("getUpdates");
  EXPECT_EQ(blocked.status, 409);
  EXPECT_EQ(blocked.description(),
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
            "delete the webhook first");
}

TEST_F(FakeTelegramTest, SetWebhookDescriptionsAndValidation) {
  WebhookReceiver receiver;
  start();
  auto expect = [&](const ApiReply& r, const std::string& description) {
    EXPECT_TRUE(r.ok()) << r.body;
    EXPECT_EQ(r.result(), true);
    EXPECT_EQ(r.description(), description);
  };
  expect(call("deleteWebhook"), "Webhook is already deleted");
  expect(call("setWebhook", {{"url", receiver.url()}, {"secret_token", "s3cret"}}),
         "Webhook was set");
  expect(call("setWebhook", {{"url", receiver.url()}, {"secret_token", "s3cret"}}),
         "Webhook is already set");
  auto too_fast = call("setWebhook", {{"url", receiver.url() + "?v=2"}});
  EXPECT_EQ(too_fast.status, 429);
  EXPECT_EQ(too_fast.body["parameters"]["retry_after"], 1);
  clock.advance(1s);
  expect(call("setWebhook", {{"url", receiver.url() + "?v=2"},
                             {"max_connections", 500},
                             {"allowed_updates", json::array({"message", "callback_query"})}}),
         "Webhook was set");
  auto info = call("getWebhookInfo");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.result()["url"], receiver.url() + "?v=2");
  EXPECT_EQ(info.result()["has_custom_certificate"], false);
  EXPECT_EQ(info.result()["pending_update_count"], 0);
  EXPECT_EQ(info.result()["max_connections"], 100);  // clamped
  EXPECT_EQ(info.result()["allowed_updates"], json::array({"message", "callback_query"}));
  EXPECT_FALSE(info.result().contains("last_error_date"));

  EXPECT_EQ(call("setWebhook", {{"url", "not a url"}}).description(),
            "Bad Request: invalid webhook URL specified");
  EXPECT_EQ(
      call("setWebhook", {{"url", receiver.url()}, {"secret_token", "no spaces"}}).description(),
      "Bad Request: secret token contains unallowed characters");
  EXPECT_EQ(call("setWebhook", {{"url", receiver.url()}, {"secret_token", std::string(300, 'a')}})
                .description(),
            "Bad Request: secret token is too long");
  expect(call("deleteWebhook"), "Webhook was deleted");
  expect(call("setWebhook", {{"url", ""}}), "Webhook is already deleted");
  EXPECT_EQ(call("getWebhookInfo").result()["url"], "");
}

TEST_F(FakeTelegramTest, StrictWebhookUrlsFollowTheCloudRules) {
  start(FakeTelegramOptions{.strict_webhook_url = true});
  EXPECT_EQ(call("setWebhook", {{"url", "http://bot.example.com/hook"}}).description(),
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
  EXPECT_EQ(call("setWebhook", {{"url", "https://bot.example.com:8080/hook"}}).description(),
            "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
  EXPECT_EQ(call("setWebhook", {{"url", "https://127.0.0.1/hook"}}).description(),
            "Bad Request: bad webhook: IP address 127.0.0.1 is reserved");
}

TEST_F(FakeTelegramTest, WebhookDeliversWithTheSecretHeader) {
  WebhookReceiver receiver;
  start();
  ASSERT_TRUE(call("setWebhook", {{"url", receiver.url()}, {"secret_token", "Secret_1-x"}}).ok());
  tg->send_text(kAlice, "hello");
  tg->send_text(kBob, "hallo");
  ASSERT_TRUE(tg->wait_until([&] { return receiver.deliveries().size() == 2; }));
  auto d = receiver.deliveries();
  EXPECT_EQ(d[0].secret, "Secret_1-x");
  EXPECT_EQ(d[0].content_type, "application/json");
  std::set<std::string> texts{d[0].update["message"]["text"], d[1].update["message"]["text"]};
  EXPECT_EQ(texts, (std::set<std::string>{"hello", "hallo"}));
  EXPECT_EQ(d[0].raw.rfind("{\"update_id\":", 0), 0u) << d[0].raw;  // update_id first
  ASSERT_TRUE(tg->wait_until([&] { return tg->pending_update_count() == 0; }));
  EXPECT_EQ(call("getWebhookInfo").result()["pending_update_count"], 0);
  auto attempts = tg->deliveries();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].status, 200);
  EXPECT_EQ(attempts[0].secret_header, "Secret_1-x");
}

TEST_F(FakeTelegramTest, WebhookRedeliversWithBackoffAndKeepsChatOrder) {
  WebhookReceiver receiver;
  start();
  receiver.script({500, 502});
  ASSERT_TRUE(call("setWebhook", {{"url", receiver.url()}}).ok());
  auto first = tg->send_text(kAlice, "first");
  tg->send_text(kAlice, "second");
  // Attempt 1 fails, attempt 2 (immediately) fails, attempt 3 waits 2 s of the fake clock.
  ASSERT_TRUE(tg->wait_until([&] { return tg->deliveries().size() == 2; }));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(receiver.deliveries().size(), 2u);  // "second" is held behind "first"
  auto info = call("getWebhookInfo").result();
  EXPECT_EQ(info["pending_update_count"], 2);
  EXPECT_EQ(info["last_error_message"], "Wrong response from the webhook: 502 Bad Gateway");
  EXPECT_EQ(info["last_error_date"], clock.now_seconds());
  clock.advance(2s);
  ASSERT_TRUE(tg->wait_until([&] { return receiver.deliveries().size() == 4; }));
  auto d = receiver.deliveries();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(d[i].update["update_id"], first.update_id);
  EXPECT_EQ(d[3].update["message"]["text"], "second");
  auto attempts = tg->deliveries();
  EXPECT_EQ(attempts[0].error, "Wrong response from the webhook: 500 Internal Server Error");
  EXPECT_EQ(attempts[2].attempt, 3);
  ASSERT_TRUE(tg->wait_until([&] { return tg->pending_update_count() == 0; }));
}

TEST_F(FakeTelegramTest, WebhookHonoursRetryAfter) {
  WebhookReceiver receiver;
  start();
  receiver.script({429}, "30");
  ASSERT_TRUE(call("setWebhook", {{"url", receiver.url()}}).ok());
  tg->send_text(kAlice, "x");
  ASSERT_TRUE(tg->wait_until([&] { return tg->deliveries().size() == 1; }));
  clock.advance(29s);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(receiver.deliveries().size(), 1u);  // a first failure would retry at once without it
  clock.advance(1s);
  ASSERT_TRUE(tg->wait_until([&] { return receiver.deliveries().size() == 2; }));
}

TEST_F(FakeTelegramTest, WebhookDropsExpiredCallbackQueries) {
  WebhookReceiver receiver;
  start();
  receiver.script({500, 500, 500, 500, 500, 500, 500, 500, 500, 500});
  ASSERT_TRUE(call("setWebhook", {{"url", receiver.url()}}).ok());
  tg->press_button(kAlice, 1, "x");
  // Failures push the next attempt out (0, 2, 4, … s); after 150 s the query is dropped.
  for (int i = 0; i < 20 && tg->pending_update_count() > 0; ++i) {
    tg->wait_until([&] { return tg->deliveries().size() > static_cast<std::size_t>(i); }, 500ms);
    clock.advance(64s);
  }
  EXPECT_EQ(tg->pending_update_count(), 0u);
  EXPECT_LT(receiver.deliveries().size(), 10u);
}

TEST_F(FakeTelegramTest, WebhookRespectsMaxConnections) {
  WebhookReceiver receiver;
  receiver.set_delay(200ms);
  start();
  ASSERT_TRUE(call("setWebhook", {{"url", receiver.url()}, {"max_connections", 2}}).ok());
  for (int i = 0; i < 6; ++i) tg->send_text(User{5550002000 + i, "U", "", "", "", false}, "x");
  ASSERT_TRUE(tg->wait_until([&] { return receiver.deliveries().size() == 6; }, 10s));
  EXPECT_EQ(receiver.max_concurrent(), 2);
}

TEST_F(FakeTelegramTest, WebhookReplyCanCallAMethod) {
  WebhookReceiver receiver;
  receiver.set_reply_body(R"({"method":"sendMessage","chat_id":5550001001,"text":"ack"})");
  start();
  ASSERT_TRUE(call("setWebhook", {{"url", receiver.url()}}).ok());
  tg->send_text(kAlice, "hi");
  ASSERT_TRUE(tg->wait_until([&] {
    auto last = tg->last_bot_message(kAlice.id);
    return last && last->text == "ack" && tg->call_count("sendMessage") == 1;
  }));
  EXPECT_EQ(tg->calls("sendMessage").back().encoding, "webhook_reply");
}

TEST_F(FakeTelegramTest, DropPendingUpdatesAndAllowedUpdates) {
  start();
  tg->send_text(kAlice, "a");
  tg->send_text(kAlice, "b");
  ASSERT_TRUE(call("deleteWebhook", {{"drop_pending_updates", true}}).ok());
  EXPECT_EQ(tg->pending_update_count(), 0u);
  ASSERT_TRUE(call("getUpdates", {{"allowed_updates", json::array({"callback_query"})}}).ok());
  auto message = tg->send_text(kAlice, "filtered");
  EXPECT_EQ(message.update_id, 0);
  auto press = tg->press_button(kAlice, message.message_id, "d");
  EXPECT_NE(press.update_id, 0);
  EXPECT_EQ(call("getUpdates").result().size(), 1u);
}

}  // namespace
}  // namespace kb::sandbox::tg::test_support
