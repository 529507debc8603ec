// The real binary: an update acknowledged with 200 survives a kill -9 before it was processed,
// and is processed exactly once after the restart.
#include <signal.h>
#include <sys/types.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "support/child_process.hpp"
#include "integration/store/store_fixture.hpp"
#include "net/http_client.hpp"
#include "support/async_test.hpp"

namespace kb::intake_test {
namespace {

using store::test::ChildProcess;
using store::test::free_tcp_port;
using store::test::http_get;
using store::test::kiebot_binary;
using store::test::must;

constexpr const char* kSecret = "restart-test-secret";

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class IntakeRestartTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kiebot-intake-" + crypto::hex(crypto::random_bytes(6)));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::map<std::string, std::string> env(std::uint16_t port, int dispatch_delay_ms) const {
    return {{"PORT", std::to_string(port)},
            {"BIND_ADDRESS", "127.0.0.1"},
            {"DATA_DIR", dir_.string()},
            {"SQLITE_SYNCHRONOUS", "full"},
            {"TELEGRAM_BOT_TOKEN", "7000000009:AAIntakeRestartTestToken-0123456789abcdef"},
            // Telegram is unreachable: the start-up keeps retrying, the webhook still works.
            {"TELEGRAM_API_URL", "http://127.0.0.1:1"},
            {"WEBHOOK_BASE_URL", "http://127.0.0.1:" + std::to_string(port)},
            {"TELEGRAM_WEBHOOK_SECRET_TOKEN", kSecret},
            {"KIEBOT_TEST_DISPATCH_DELAY_MS", std::to_string(dispatch_delay_ms)},
            // The intake is under test, not the bot's replies: the handler logs and completes.
            {"KIEBOT_TEST_HANDLER", "logging"},
            {"LOG_LEVEL", "info"},
            {"PATH", "/usr/bin:/bin"}};
  }

  static void wait_up(ChildProcess& child, std::uint16_t port) {
    bool up = false;
    for (int i = 0; i < 400 && !up; ++i) {
      up = http_get(port, "/healthz").status == 200;
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(up) << child.output();
  }

  int post_update(std::uint16_t port, std::int64_t update_id) {
    net::ClientRequest r;
    r.method = "POST";
    r.url = "http://127.0.0.1:" + std::to_string(port) + "/telegram/webhook";
    r.headers.set("Content-Type", "application/json");
    r.headers.set("X-Telegram-Bot-Api-Secret-Token", kSecret);
    r.body = fmt::format(
        R"({{"update_id":{},"message":{{"message_id":1,"from":{{"id":42,"is_bot":false,"first_name":"A"}},"chat":{{"id":42,"type":"private"}},"date":1,"text":"hi"}}}})",
        update_id);
    auto reply = io_.run<Result<net::ClientResponse>>([&]() { return http_.send(r); });
    return reply ? reply->status : 0;
  }

  std::filesystem::path dir_;
  kb::test::IoThread io_;
  net::HttpClient http_;
};

TEST_F(IntakeRestartTest, AnAcknowledgedUpdateSurvivesKill9AndIsProcessedOnce) {
  auto binary = kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  auto port = free_tcp_port();
  std::string first_output;
  {
    // The dispatcher waits a minute: the update is stored and acknowledged, not processed.
    ChildProcess first({*binary, "serve"}, env(port, 60'000));
    wait_up(first, port);
    ASSERT_EQ(post_update(port, 424242), 200) << first.output();
    ASSERT_EQ(::kill(first.pid(), SIGKILL), 0);
    first.wait(std::chrono::seconds(10));
    first_output = first.output();
  }
  EXPECT_EQ(count_of(first_output, "update_received"), 0u) << first_output;
  {
    FakeClock clock;
    store::DatabaseOptions o;
    o.data_dir = dir_.string();
    auto db = must(store::open_database(o, clock, nullptr));
    EXPECT_EQ(must(db->read_blocking<std::int64_t>(
                  [](store::Tx& tx) { return tx.inbox().pending_count(); })),
              1);
  }

  ChildProcess second({*binary, "serve"}, env(port, 0));
  wait_up(second, port);
  for (int i = 0; i < 200 && count_of(second.output(), "update_received") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // A redelivery of the same update after processing changes nothing.
  EXPECT_EQ(post_update(port, 424242), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  second.terminate();
  auto code = second.wait(std::chrono::seconds(30));
  ASSERT_TRUE(code) << second.output();
  EXPECT_EQ(*code, 0) << second.output();
  auto out = second.output();
  EXPECT_EQ(count_of(out, "update_received"), 1u) << out;
  EXPECT_NE(out.find("424242"), std::string::npos) << out;

  FakeClock clock;
  store::DatabaseOptions o;
  o.data_dir = dir_.string();
  auto db = must(store::open_database(o, clock, nullptr));
  EXPECT_EQ(must(db->read_blocking<std::int64_t>(
                [](store::Tx& tx) { return tx.inbox().pending_count(); })),
            0);
}

}  // namespace
}  // namespace kb::intake_test
