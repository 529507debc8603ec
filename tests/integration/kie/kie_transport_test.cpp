// The client's transport behaviour: a connect that never completes is "not sent" and retried; the
// request carries Bearer auth and a User-Agent; the key never reaches a log line.
#include <gtest/gtest.h>

#include "core/log.hpp"
#include "kie_fixture.hpp"
#include "net/router.hpp"

namespace kb::kie::test {
namespace {

using namespace std::chrono_literals;

class KieTransportTest : public KieFakeTest {};

TEST_F(KieTransportTest, ConnectTimeoutBeforeSendingIsRetriedAndCreatesExactlyOneTask) {
  ConnectBlackhole blackhole;
  if (!blackhole.effective()) GTEST_SKIP() << "the kernel did not drop SYNs on a full backlog";
  const auto port = blackhole.port();

  auto co = client_options();
  co.connect_timeout = 300ms;
  co.base_url = "http://127.0.0.1:" + std::to_string(port);
  // Nothing listens usefully yet: the fake is started on the same port during the first backoff.
  fake = std::make_unique<sandbox::FakeKie>(io.io(), http, fake_options());
  client = std::make_unique<KieClient>(http, co, unlimited, sleeper, clock);
  Result<std::uint16_t> bound = fail(Errc::internal, "not started");
  sleeper.on_sleep([&](int call) {
    if (call != 1) return;
    blackhole.close();
    bound = fake->start("127.0.0.1", port);
  });

  auto r = create();
  ASSERT_TRUE(bound) << bound.error().describe();
  ASSERT_EQ(r.outcome, CreateOutcome::created) << r.failure.detail;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(sleeper.waits().size(), 1u) << "one backoff after the attempt that was never sent";
  EXPECT_EQ(fake->create_calls(), 1u);
  EXPECT_EQ(fake->tasks().size(), 1u);
}

TEST_F(KieTransportTest, ConnectTimeoutOnEveryAttemptIsRejectedNotAmbiguous) {
  ConnectBlackhole blackhole;
  if (!blackhole.effective()) GTEST_SKIP() << "the kernel did not drop SYNs on a full backlog";
  auto co = client_options();
  co.connect_timeout = 200ms;
  co.create_backoff.max_attempts = 2;
  co.base_url = "http://127.0.0.1:" + std::to_string(blackhole.port());
  client = std::make_unique<KieClient>(http, co, unlimited, sleeper, clock);
  auto r = create();
  EXPECT_EQ(r.outcome, CreateOutcome::rejected);
  EXPECT_EQ(r.failure.reason, FailureReason::provider_unavailable);
  EXPECT_EQ(r.failure.retry, Retry::later);
  EXPECT_EQ(r.attempts, 2);
}

TEST_F(KieTransportTest, RefusedConnectionIsRetried) {
  // Port 1 on loopback: nothing listens, connections are refused (never sent).
  auto co = client_options();
  co.base_url = "http://127.0.0.1:1";
  co.create_backoff.max_attempts = 3;
  client = std::make_unique<KieClient>(http, co, unlimited, sleeper, clock);
  auto r = create();
  EXPECT_EQ(r.outcome, CreateOutcome::rejected);
  EXPECT_EQ(r.failure.retry, Retry::later);
  EXPECT_EQ(r.attempts, 3);
}

struct Seen {
  std::mutex mutex;
  std::vector<net::Headers> headers;
  std::vector<std::string> targets;
};

TEST_F(KieTransportTest, SendsBearerAuthUserAgentAndJson) {
  Seen seen;
  net::Router router;
  auto remember = [&seen](net::Request& req) -> Task<net::Response> {
    std::lock_guard lock(seen.mutex);
    seen.headers.push_back(req.headers);
    seen.targets.push_back(req.target);
    co_return net::Response::json(200, R"({"code":422,"msg":"recordInfo is null","data":null})");
  };
  router.add("POST", "/api/v1/jobs/createTask", remember);
  router.add("GET", "/api/v1/jobs/recordInfo", remember);
  kb::test::TestServer server(router);
  auto co = client_options();
  co.api_key = "secret-kie-key-0123456789";
  co.base_url = server.url() + "/";  // a trailing slash is tolerated
  client = std::make_unique<KieClient>(http, co, unlimited, sleeper, clock);

  log::Capture capture;
  create();
  record("task/with?odd&chars");
  std::lock_guard lock(seen.mutex);
  ASSERT_EQ(seen.headers.size(), 2u);
  for (const auto& h : seen.headers) {
    EXPECT_EQ(h.get_or("Authorization"), "Bearer secret-kie-key-0123456789");
    EXPECT_EQ(h.get_or("User-Agent"), "kiebot/test");
  }
  EXPECT_EQ(seen.headers[0].get_or("Content-Type"), "application/json");
  EXPECT_EQ(seen.targets[1], "/api/v1/jobs/recordInfo?taskId=task%2Fwith%3Fodd%26chars");
  for (const auto& line : capture.lines())
    EXPECT_EQ(line.find("secret-kie-key"), std::string::npos) << line;
}

TEST_F(KieTransportTest, FailureDetailsNeverContainTheKey) {
  net::Router router;
  // A hostile or broken upstream echoing the Authorization header back.
  router.add("POST", "/api/v1/jobs/createTask", [](net::Request& req) -> Task<net::Response> {
    co_return net::Response::json(
        200,
        nlohmann::json{{"code", 401}, {"msg", "bad key " + req.headers.get_or("Authorization")}}
            .dump());
  });
  kb::test::TestServer server(router);
  auto co = client_options();
  co.api_key = "secret-kie-key-0123456789";
  co.base_url = server.url();
  client = std::make_unique<KieClient>(http, co, unlimited, sleeper, clock);
  log::Capture capture;
  auto r = create();
  EXPECT_EQ(r.failure.reason, FailureReason::provider_auth_failed);
  EXPECT_EQ(r.failure.detail, "bad key Bearer ***");
  for (const auto& line : capture.lines())
    EXPECT_EQ(line.find("secret-kie-key"), std::string::npos) << line;
}

}  // namespace
}  // namespace kb::kie::test
