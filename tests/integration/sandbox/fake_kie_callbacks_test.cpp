// Fake KIE callbacks over real HTTP: body shape, HMAC headers, duplicates, retries on non-200.
#include "core/crypto.hpp"
#include "fake_kie_fixture.hpp"

namespace kb::sandbox::test {
namespace {

class FakeKieCallbackTest : public FakeKieTest {
 protected:
  CallbackReceiver receiver;

  bool wait_for_callbacks(std::size_t n) {
    return wait_until([&] { return receiver.received().size() >= n; });
  }
};

TEST_F(FakeKieCallbackTest, SuccessCallbackCarriesTheRecord) {
  start();
  auto id = create_ok(z_image("a fox", receiver.url()));
  clock.advance(2s);
  ASSERT_TRUE(wait_for_callbacks(1));
  auto got = receiver.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].content_type, "application/json");
  EXPECT_TRUE(got[0].signature.empty());  // no HMAC key configured
  auto body = nlohmann::json::parse(got[0].body);
  EXPECT_EQ(body["code"], 200);
  EXPECT_EQ(body["msg"], "Playground task completed successfully.");
  EXPECT_EQ(body["data"]["taskId"], id);
  EXPECT_EQ(body["data"]["state"], "success");
  EXPECT_TRUE(body["data"]["param"].is_string());
  EXPECT_TRUE(body["data"]["resultJson"].is_string());
  // The same object recordInfo shows (the callback spells empty fail fields as null).
  auto rec = record(id)["data"];
  rec["failCode"] = nullptr;
  rec["failMsg"] = nullptr;
  EXPECT_EQ(body["data"], rec);

  ASSERT_TRUE(wait_until([&] { return kie->task(id)->callbacks.size() == 1; }));
  auto view = kie->task(id)->callbacks[0];
  EXPECT_EQ(view.http_status, 200);
  EXPECT_EQ(view.delivery, 1);
  EXPECT_EQ(view.attempt, 1);
  EXPECT_EQ(view.body, got[0].body);
  std::this_thread::sleep_for(150ms);  // a few background ticks: no second delivery
  EXPECT_EQ(receiver.received().size(), 1u);
}

TEST_F(FakeKieCallbackTest, FailedTaskCallsBackWith501) {
  start();
  kie->set_lifecycle("*", lifecycle_with([](Lifecycle& l) { l.fail = true; }));
  auto id = create_ok(z_image("x", receiver.url()));
  clock.advance(2s);
  ASSERT_TRUE(wait_for_callbacks(1));
  auto body = nlohmann::json::parse(receiver.received()[0].body);
  EXPECT_EQ(body["code"], 501);
  EXPECT_EQ(body["msg"], "Playground task failed.");
  EXPECT_EQ(body["data"]["failCode"], "500");
  EXPECT_EQ(body["data"]["failMsg"], "Internal server error");
  EXPECT_TRUE(body["data"]["resultJson"].is_null());
}

TEST_F(FakeKieCallbackTest, SignedCallbacksVerifyWithTheKey) {
  FakeKieOptions o;
  o.webhook_hmac_key = "hmac-secret";
  start(o);
  auto id = create_ok(z_image("x", receiver.url()));
  clock.advance(2s);
  ASSERT_TRUE(wait_for_callbacks(1));
  auto got = receiver.received()[0];
  EXPECT_EQ(got.timestamp, std::to_string(clock.now_seconds()));
  EXPECT_EQ(got.signature,
            crypto::base64(crypto::hmac_sha256("hmac-secret", id + "." + got.timestamp)));
  EXPECT_NE(got.signature,
            crypto::base64(crypto::hmac_sha256("other-key", id + "." + got.timestamp)));
}

TEST_F(FakeKieCallbackTest, DuplicateDelivery) {
  start();
  kie->set_lifecycle("z-image", lifecycle_with([](Lifecycle& l) { l.callbacks = 2; }));
  auto id = create_ok(z_image("x", receiver.url()));
  clock.advance(2s);
  ASSERT_TRUE(wait_for_callbacks(2));
  auto got = receiver.received();
  EXPECT_EQ(got[0].body, got[1].body);
  ASSERT_TRUE(wait_until([&] { return kie->task(id)->callbacks.size() == 2; }));
  EXPECT_EQ(kie->task(id)->callbacks[1].delivery, 2);
}

TEST_F(FakeKieCallbackTest, RetriedOnNon200UntilAccepted) {
  start();
  receiver.answer_next({500, 404});
  auto id = create_ok(z_image("x", receiver.url()));
  // Each step waits until the fake has seen the answer (and scheduled the retry by its clock).
  auto attempts_seen = [&](std::size_t n) {
    return wait_until([&] { return kie->task(id)->callbacks.size() == n; });
  };
  clock.advance(2s);
  ASSERT_TRUE(attempts_seen(1));
  // The retry waits for the retry delay on the fake clock.
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(receiver.received().size(), 1u);
  clock.advance(1s);
  ASSERT_TRUE(attempts_seen(2));
  clock.advance(1s);
  ASSERT_TRUE(wait_for_callbacks(3));
  ASSERT_TRUE(wait_until([&] { return kie->task(id)->callbacks.size() == 3; }));
  auto views = kie->task(id)->callbacks;
  EXPECT_EQ(views[0].http_status, 500);
  EXPECT_EQ(views[1].http_status, 404);
  EXPECT_EQ(views[2].http_status, 200);
  EXPECT_EQ(views[2].attempt, 3);
  clock.advance(10s);
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(receiver.received().size(), 3u);
}

TEST_F(FakeKieCallbackTest, GivesUpAfterThreeFailedAttempts) {
  start();
  receiver.answer_next({503, 503, 503, 503});
  auto id = create_ok(z_image("x", receiver.url()));
  for (int i = 0; i < 100 && kie->task(id)->callbacks.size() < 3; ++i) {
    clock.advance(2s);
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(kie->task(id)->callbacks.size(), 3u);
  clock.advance(60s);
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(receiver.received().size(), 3u);
  EXPECT_EQ(kie->task(id)->callbacks.size(), 3u);
  EXPECT_EQ(kie->pending_outbound(), 0u);
}

TEST_F(FakeKieCallbackTest, UnreachableCallbackUrlCountsAsAFailedAttempt) {
  FakeKieOptions o;
  o.callback_attempts = 2;
  start(o);
  auto id = create_ok(z_image("x", "http://127.0.0.1:1/unreachable"));
  clock.advance(2s);
  ASSERT_TRUE(wait_until([&] { return kie->task(id)->callbacks.size() == 1; }));
  auto first = kie->task(id)->callbacks[0];
  EXPECT_EQ(first.http_status, 0);
  EXPECT_FALSE(first.error.empty());
  clock.advance(1s);
  ASSERT_TRUE(wait_until([&] { return kie->task(id)->callbacks.size() == 2; }));
}

TEST_F(FakeKieCallbackTest, NoCallbacksForPollingOnlyLifecycles) {
  start();
  kie->set_lifecycle("*", lifecycle_with([](Lifecycle& l) { l.callbacks = 0; }));
  auto id = create_ok(z_image("x", receiver.url()));
  clock.advance(2s);
  kie->tick();
  std::this_thread::sleep_for(150ms);
  EXPECT_TRUE(receiver.received().empty());
  EXPECT_EQ(kie->task(id)->state, "success");
}

TEST_F(FakeKieCallbackTest, MessageKeyVariantInCallbacks) {
  start();
  kie->set_lifecycle("*", lifecycle_with([](Lifecycle& l) { l.use_message_key = true; }));
  create_ok(z_image("x", receiver.url()));
  clock.advance(2s);
  ASSERT_TRUE(wait_for_callbacks(1));
  auto body = nlohmann::json::parse(receiver.received()[0].body);
  EXPECT_EQ(body["message"], "Playground task completed successfully.");
  EXPECT_FALSE(body.contains("msg"));
}

}  // namespace
}  // namespace kb::sandbox::test
