// The security suite's rig: the whole Application (the same assembly `serve` and `kiebot sandbox`
// run: webhook, dispatcher, conversation, outbox, jobs runner, media proxy, provider callbacks,
// built-in endpoints) on a real HTTP server on loopback, against the fake Bot API and the fake
// provider, on SQLite or PostgreSQL. One instance per backend is started by the first test that
// needs it and shared by the whole suite (stopped when the test program ends), so tests use
// fresh users and compare counts with what they were before. Every test captures the log and, at
// the end, checks that no secret of the configuration appears in any line.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/components/application.hpp"
#include "app/config.hpp"
#include "bot/state.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "integration/store/store_fixture.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "store/database.hpp"
#include "store/repos/jobs.hpp"
#include "store/repos/ledger.hpp"
#include "support/async_test.hpp"

namespace kb::security_test {

using store::test::BackendKind;
using User = sandbox::tg::User;

// A raw blocking loopback socket, for requests an HTTP client library would refuse to send.
class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port,
                     std::chrono::milliseconds read_timeout = std::chrono::milliseconds(3000));
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  bool connected() const { return connected_; }
  bool send(std::string_view data);
  // Reads until the peer closes or the read timeout passes.
  std::string read_all();

 private:
  int fd_ = -1;
  bool connected_ = false;
};

class SecurityTest : public testing::TestWithParam<BackendKind> {
 protected:
  void SetUp() override;
  void TearDown() override;

  bool is_pg() const { return GetParam() == BackendKind::postgres; }
  store::Database& db();
  sandbox::FakeTelegram& telegram();
  sandbox::FakeKie& kie();
  app::Application& app();
  const app::Config& config() const;

  // The secrets of this instance (what must never reach a log line).
  std::string webhook_secret() const;
  std::string callback_token() const;
  std::vector<std::string> secrets() const;

  std::string url(std::string_view path) const;
  std::uint16_t port() const;
  net::ClientResponse request(std::string method, std::string path, std::string body = "",
                              std::vector<std::pair<std::string, std::string>> headers = {});
  // POSTs a raw body to the webhook with the given secret header (nullopt: no header).
  net::ClientResponse post_webhook(const std::string& body, std::optional<std::string> secret);

  // A simulated user who has said /start (the bot answered).
  User user(std::string name, std::string language = "en", std::string username = "");
  // The user's actions through the fake Bot API, each waited for until handled and answered.
  void command(const User& u, const std::string& command, const std::string& args = "");
  void text(const User& u, const std::string& text);
  // Presses a button with this callback data on the user's newest bot message.
  void press(const User& u, const std::string& data);
  // Presses the newest button whose callback data starts with `prefix` (e.g. "1|cg|"); false
  // when there is none.
  bool press_prefix(const User& u, std::string_view prefix);
  // The user opens z-image (free) by its deep link, types `prompt`, takes the first aspect ratio
  // and presses Generate; returns the job once the provider accepted it (a task id is stored).
  store::Job start_job(const User& u, const std::string& prompt);
  std::vector<store::Job> jobs(const User& u);
  // Waits until the update is handled (inbox row no longer pending) and the outbox is empty.
  void settle(std::int64_t update_id);
  // Waits for `condition` (polled every 5 ms) up to `timeout`.
  bool wait_for(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  bot::ConversationState state(const User& u);
  std::string screen_id(const User& u) { return state(u).screen; }
  std::int64_t newest_message_id(const User& u);

  // Raw reads for outcome checks (test code; the product's SQL lives in src/store/).
  std::int64_t count(const std::string& table, const std::string& where = "");
  std::int64_t ledger_sum(std::int64_t user_id);
  store::Balance balance(std::int64_t user_id);
  // Every table the schema has, with its row count; a dropped table fails the read.
  std::map<std::string, std::int64_t> table_counts();
  // Every wallet equals the sum of its ledger entries.
  void expect_ledger_consistent();

  // The admin of the instance (ADMIN_IDS; has said /start). Shared by every test of the suite:
  // each test starts from the admin panel.
  User admin_;
  SystemClock clock_;

 public:
  // The shared application, fakes and server of one backend (security_rig.cpp).
  struct Instance;

 private:
  std::unique_ptr<log::Capture> capture_;
  Instance* instance_ = nullptr;
};

// Test names start with "Security" without an instantiation prefix, so
// --gtest_filter='Security*' selects the whole suite (names end in /sqlite and /postgres).
#define KB_SECURITY_BACKENDS(Suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(, Suite,                                                   \
                           testing::Values(::kb::store::test::BackendKind::sqlite,    \
                                           ::kb::store::test::BackendKind::postgres), \
                           ::kb::store::test::backend_name)

}  // namespace kb::security_test
