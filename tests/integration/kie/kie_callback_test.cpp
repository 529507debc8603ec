// POST /kie/callback/{token} on a real server, called by the fake KIE server (signed, duplicated,
// forged, stale) and by hand (wrong token, oversized, garbage).
#include <gtest/gtest.h>

#include "kie/callback_route.hpp"
#include "kie_fixture.hpp"
#include "net/router.hpp"

namespace kb::kie::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHmacKey = "webhook-hmac-key-0001";

class KieCallbackTest : public KieFakeTest {
 protected:
  // The bot side: the callback route on its own server, verifying with `verifier_clock`.
  void start_endpoint(std::string hmac_key, const Clock& verifier_clock) {
    CallbackVerifierOptions o;
    o.token = derive_callback_token("bot-root-secret");
    o.hmac_key = std::move(hmac_key);
    verifier = std::make_unique<CallbackVerifier>(o, verifier_clock);
    add_kie_callback_route(router, *verifier, sink);
    endpoint = std::make_unique<kb::test::TestServer>(router);
    callback_url = verifier->callback_url(endpoint->url());
  }

  // Creates a task with our callback URL and lets it finish on the fake clock.
  std::string run_task_to_completion() {
    auto r = create("google/nano-banana", {{"prompt", "x"}}, callback_url);
    EXPECT_EQ(r.outcome, CreateOutcome::created) << r.failure.detail;
    clock.advance(2s);
    fake->tick();
    return r.task_id;
  }

  // Callback attempts the fake has finished for a task.
  std::vector<sandbox::CallbackView> callbacks_of(const std::string& id) {
    auto t = fake->task(id);
    return t ? t->callbacks : std::vector<sandbox::CallbackView>{};
  }

  net::ClientResponse post(const std::string& url, std::string body, net::Headers headers = {}) {
    auto r = run<Result<net::ClientResponse>>([&]() {
      net::ClientRequest req;
      req.method = "POST";
      req.url = url;
      req.body = body;
      req.headers = headers;
      req.headers.set("Content-Type", "application/json");
      return http.send(req);
    });
    EXPECT_TRUE(r) << r.error().describe();
    return r.value_or(net::ClientResponse{});
  }

  net::Router router;
  RecordingSink sink;
  std::unique_ptr<CallbackVerifier> verifier;
  std::unique_ptr<kb::test::TestServer> endpoint;
  std::string callback_url;
};

TEST_F(KieCallbackTest, SignedDuplicateCallbacksAreAcceptedAndHandedOver) {
  auto fo = fake_options();
  fo.webhook_hmac_key = kHmacKey;
  start(fo, client_options());
  start_endpoint(kHmacKey, clock);
  sandbox::Lifecycle life;
  life.callbacks = 2;  // duplicate delivery
  fake->set_lifecycle("*", life);

  auto id = run_task_to_completion();
  ASSERT_TRUE(eventually([&] { return sink.hints().size() == 2; }));
  EXPECT_EQ(sink.hints(), (std::vector<std::string>{id, id}));
  ASSERT_TRUE(eventually([&] { return callbacks_of(id).size() == 2; }));
  for (const auto& cb : callbacks_of(id)) {
    EXPECT_EQ(cb.http_status, 200);
    EXPECT_FALSE(cb.signature.empty());
  }
}

TEST_F(KieCallbackTest, UnsignedCallbacksAreAcceptedWhenNoKeyIsConfigured) {
  start();
  start_endpoint("", clock);
  auto id = run_task_to_completion();
  ASSERT_TRUE(eventually([&] { return sink.hints().size() == 1; }));
  EXPECT_EQ(sink.hints()[0], id);
}

TEST_F(KieCallbackTest, ForgedSignatureIsRejectedAndNothingIsHandedOver) {
  auto fo = fake_options();
  fo.webhook_hmac_key = "a-different-hmac-key";
  fo.callback_retry_delay = 100ms;
  start(fo, client_options());
  start_endpoint(kHmacKey, clock);
  auto id = run_task_to_completion();
  // The fake retries on non-200: let its clock move until all three attempts are done.
  ASSERT_TRUE(eventually([&] {
    clock.advance(200ms);
    return callbacks_of(id).size() == 3;
  }));
  for (const auto& cb : callbacks_of(id)) EXPECT_EQ(cb.http_status, 401);
  EXPECT_TRUE(sink.hints().empty());
}

TEST_F(KieCallbackTest, MissingSignatureIsRejected) {
  start();  // the fake signs nothing
  start_endpoint(kHmacKey, clock);
  auto id = run_task_to_completion();
  ASSERT_TRUE(eventually([&] { return !callbacks_of(id).empty(); }));
  EXPECT_EQ(callbacks_of(id)[0].http_status, 401);
  EXPECT_TRUE(sink.hints().empty());
}

TEST_F(KieCallbackTest, StaleTimestampIsRejected) {
  auto fo = fake_options();
  fo.webhook_hmac_key = kHmacKey;
  start(fo, client_options());
  FakeClock ours(clock.now_ms() + 10 * 60 * 1000);  // our clock is 10 minutes ahead
  start_endpoint(kHmacKey, ours);
  auto id = run_task_to_completion();
  ASSERT_TRUE(eventually([&] { return !callbacks_of(id).empty(); }));
  EXPECT_EQ(callbacks_of(id)[0].http_status, 401);
  EXPECT_TRUE(sink.hints().empty());
  // Replaying the captured, correctly signed delivery within the window is accepted.
  auto cb = callbacks_of(id)[0];
  ours.set_ms(clock.now_ms());
  net::Headers h;
  h.set("X-Webhook-Timestamp", cb.timestamp);
  h.set("X-Webhook-Signature", cb.signature);
  EXPECT_EQ(post(callback_url, cb.body, h).status, 200);
  EXPECT_EQ(sink.hints(), std::vector<std::string>{id});
}

TEST_F(KieCallbackTest, WrongTokenLooksLikeAnUnknownPath) {
  start_endpoint("", clock);
  auto body = R"({"code":200,"data":{"taskId":"t1","state":"success"}})";
  auto wrong = post(endpoint->url("/kie/callback/not-the-token"), body);
  auto unknown = post(endpoint->url("/no/such/path"), body);
  EXPECT_EQ(wrong.status, 404);
  EXPECT_EQ(wrong.body, unknown.body);
  auto get = run<Result<net::ClientResponse>>([&]() {
    net::ClientRequest req;
    req.url = callback_url;
    return http.send(req);
  });
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 404) << "no 405 that would confirm the route exists";
  EXPECT_TRUE(sink.hints().empty());
}

TEST_F(KieCallbackTest, OversizedGarbageAndValidBodies) {
  start_endpoint("", clock);
  std::string big = R"({"data":{"taskId":"t1"},"pad":")" + std::string(1 << 20, 'x') + "\"}";
  EXPECT_EQ(post(callback_url, big).status, 413);
  EXPECT_EQ(post(callback_url, "not json").status, 400);
  EXPECT_EQ(post(callback_url, R"({"data":{}})").status, 400);
  auto ok = post(callback_url, R"({"code":200,"data":{"taskId":"t1","state":"success"}})");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"ok":true})");
  EXPECT_EQ(sink.hints(), std::vector<std::string>{"t1"});
}

}  // namespace
}  // namespace kb::kie::test
