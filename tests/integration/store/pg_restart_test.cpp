// PostgreSQL going away and coming back: readiness says so, calls fail fast with
// Errc::unavailable, and everything recovers without restarting kiebot. Uses a private server
// (stopping the shared one would disturb tests running in parallel).
#include <thread>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "core/log.hpp"
#include "net/builtin_endpoints.hpp"
#include "net/readiness.hpp"
#include "store_fixture.hpp"
#include "support/async_test.hpp"
#include "support/pg_server.hpp"

namespace kb::store::test {
namespace {

using namespace std::chrono_literals;

// Polls until `probe` is true or `limit` passes.
template <class F>
bool eventually(F probe, std::chrono::milliseconds limit = 20s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return probe();
}

Result<UpsertedUser> upsert(Database& db, std::int64_t id, std::int64_t now) {
  return db.transact_blocking<UpsertedUser>([&](Tx& tx) {
    return tx.users().upsert_seen({id, std::nullopt, "U", std::nullopt, std::nullopt}, now);
  });
}

// The database check of a /readyz body: ok, and the detail when not.
std::pair<bool, std::string> database_check(const HttpReply& reply) {
  auto j = nlohmann::json::parse(reply.body, nullptr, false);
  if (j.is_discarded() || !j.contains("checks") || !j["checks"].contains("database"))
    return {false, "no database check in: " + reply.body};
  const auto& c = j["checks"]["database"];
  return {c.value("ok", false), c.value("detail", "")};
}

TEST(PostgresRestartTest, DatabaseReportsTheOutageAndRecovers) {
  KB_REQUIRE_PG_OR_SKIP();
  kb::test::PgTestServer server;
  FakeClock clock;
  DatabaseOptions o;
  o.url = server.url();
  o.pool_size = 2;
  auto db = must(open_database(o, clock, nullptr));
  must(upsert(*db, 1, clock.now_ms()));

  net::Router router;
  net::MetricsRegistry metrics;
  net::Readiness readiness;
  readiness.add(
      "database", [&db]() { return db->ping(); }, 1s);
  readiness.set_phase(net::Phase::ready);
  net::add_builtin_routes(router, readiness, metrics, {"test", "test", ""});
  kb::test::TestServer http(router);
  EXPECT_EQ(http_get(http.port(), "/readyz").status, 200);

  log::Capture capture;
  server.stop();
  auto down = http_get(http.port(), "/readyz");
  EXPECT_EQ(down.status, 503);
  auto [ok, detail] = database_check(down);
  EXPECT_FALSE(ok);
  EXPECT_NE(detail.find("postgres"), std::string::npos) << detail;
  // Every pool connection notices on its own; each call fails fast with unavailable.
  for (int i = 0; i < 4; ++i) {
    auto r = upsert(*db, 2, clock.now_ms());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::unavailable) << r.error().describe();
  }
  EXPECT_GE(capture.count(log::Level::warn), 1u);
  EXPECT_TRUE(capture.contains("database_unavailable"));

  server.start();
  EXPECT_TRUE(eventually([&] { return http_get(http.port(), "/readyz").status == 200; }));
  auto again = upsert(*db, 2, clock.now_ms());
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_TRUE(again->created);
  auto first = db->read_blocking<std::optional<User>>([](Tx& tx) { return tx.users().get(1); });
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->has_value());
  EXPECT_TRUE(capture.contains("database_recovered"));
}

std::map<std::string, std::string> serve_env(std::uint16_t port, const std::string& url,
                                             const std::string& data_dir) {
  return {{"PORT", std::to_string(port)}, {"BIND_ADDRESS", "127.0.0.1"}, {"DATABASE_URL", url},
          {"DATA_DIR", data_dir},         {"LOG_LEVEL", "info"},         {"PATH", "/usr/bin:/bin"}};
}

// The real binary: PostgreSQL restarted under a running kiebot.
TEST(PostgresRestartTest, ServeKeepsRunningAcrossAPostgresRestart) {
  KB_REQUIRE_PG_OR_SKIP();
  auto binary = kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  kb::test::PgTestServer server;
  auto port = free_tcp_port();
  ChildProcess kiebot({*binary, "serve"}, serve_env(port, server.url(), "/tmp"));
  ASSERT_TRUE(eventually([&] { return database_check(http_get(port, "/readyz")).first; }))
      << kiebot.output();
  server.stop();
  auto down = http_get(port, "/readyz");
  EXPECT_EQ(down.status, 503);
  EXPECT_FALSE(database_check(down).first) << down.body;
  EXPECT_TRUE(eventually(
      [&] { return kiebot.output().find("database_unavailable") != std::string::npos; }, 5s))
      << kiebot.output();
  server.start();
  EXPECT_TRUE(eventually([&] { return database_check(http_get(port, "/readyz")).first; }))
      << kiebot.output();
  EXPECT_TRUE(kiebot.running());
  kiebot.terminate();
  EXPECT_EQ(kiebot.wait(30s), 0) << kiebot.output();
}

// The real binary started while PostgreSQL is down: it serves, says why it is not ready, and
// connects (and migrates) once the server is up.
TEST(PostgresRestartTest, ServeStartsWhilePostgresIsDownAndConnectsLater) {
  KB_REQUIRE_PG_OR_SKIP();
  auto binary = kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  kb::test::PgTestServer server;
  server.stop();
  auto port = free_tcp_port();
  ChildProcess kiebot({*binary, "serve"}, serve_env(port, server.url(), "/tmp"));
  ASSERT_TRUE(eventually([&] { return http_get(port, "/healthz").status == 200; }))
      << kiebot.output();
  auto waiting = http_get(port, "/readyz");
  EXPECT_EQ(waiting.status, 503);
  auto [ok, detail] = database_check(waiting);
  EXPECT_FALSE(ok);
  EXPECT_NE(detail.find("not connected yet"), std::string::npos) << detail;
  EXPECT_NE(kiebot.output().find("database_unreachable_at_start"), std::string::npos)
      << kiebot.output();
  server.start();
  EXPECT_TRUE(eventually([&] { return database_check(http_get(port, "/readyz")).first; }, 30s))
      << kiebot.output();
  EXPECT_NE(kiebot.output().find("migration_applied"), std::string::npos);
  kiebot.terminate();
  EXPECT_EQ(kiebot.wait(30s), 0) << kiebot.output();
}

}  // namespace
}  // namespace kb::store::test
