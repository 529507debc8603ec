// Shared fixture of the Telegram client integration tests: the fake Bot API on a loopback port,
// a BotClient pointed at it, and a static file server for media sent by URL.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <gtest/gtest.h>

#include "net/http_client.hpp"
#include "net/router.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "support/async_test.hpp"
#include "telegram/client.hpp"

namespace kb::telegram::test {

// Serves fixed bodies at /files/<name> with a given content type.
class StaticFiles {
 public:
  StaticFiles();
  void put(const std::string& name, std::string body, std::string content_type);
  std::string url(const std::string& name) const { return server_->url("/files/" + name); }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::string>> files_;
  net::Router router_;
  std::unique_ptr<kb::test::TestServer> server_;
};

class ClientTest : public testing::Test {
 protected:
  void TearDown() override;

  // Starts the fake (real clock) and a client configured for it.
  void start(sandbox::FakeTelegramOptions options = unlimited(), ClientConfig config = {});
  static sandbox::FakeTelegramOptions unlimited();
  // Fast retries so failure paths do not slow the suite down.
  static RetryPolicy quick_retries();

  template <class T>
  T run(std::function<Task<T>()> make) {
    return io.run<T>(std::move(make));
  }

  // A real PNG of the given size (the fake derives photo sizes from its header).
  static std::string png(int width, int height);

  kb::test::IoThread io{2};
  net::HttpClient fake_http;  // the fake's own downloads
  net::HttpClient http;       // the client's
  std::unique_ptr<sandbox::FakeTelegram> fake;
  std::unique_ptr<BotClient> client;
  sandbox::tg::User alice;
};

}  // namespace kb::telegram::test
