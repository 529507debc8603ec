// Shared fixture of the fake Bot API integration tests: the fake on a loopback port with its own
// io threads, an HTTP client speaking to it, a webhook receiver and a static file server.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "net/http_client.hpp"
#include "net/router.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "support/async_test.hpp"

namespace kb::sandbox::tg::test_support {

struct ApiReply {
  int status = 0;
  nlohmann::json body;
  net::Headers headers;
  bool ok() const { return body.is_object() && body.value("ok", false); }
  std::string description() const {
    return body.is_object() ? body.value("description", std::string()) : std::string();
  }
  // A copy, so that tests may index missing keys without undefined behaviour.
  nlohmann::json result() const {
    return body.is_object() ? body.value("result", nlohmann::json()) : nlohmann::json();
  }
};

// A bot's webhook endpoint: records every delivery and answers from a script of statuses.
class WebhookReceiver {
 public:
  struct Delivery {
    nlohmann::json update;
    std::string raw;
    std::string secret;
    std::string content_type;
  };
  WebhookReceiver();
  std::string url() const { return server_->url("/hook"); }
  // Statuses for the next deliveries (then 200); a Retry-After header on non-2xx when set.
  void script(std::vector<int> statuses, std::string retry_after = "");
  void set_delay(std::chrono::milliseconds delay);
  void set_reply_body(std::string body);
  std::vector<Delivery> deliveries() const;
  int max_concurrent() const;

 private:
  mutable std::mutex mu_;
  std::vector<Delivery> deliveries_;
  std::deque<int> statuses_;
  std::string retry_after_;
  std::string reply_body_;
  std::chrono::milliseconds delay_{0};
  int concurrent_ = 0;
  int max_concurrent_ = 0;
  net::Router router_;
  std::unique_ptr<test::TestServer> server_;
};

// Serves fixed bodies with fixed content types at /files/<name>.
class FileServer {
 public:
  FileServer();
  void put(const std::string& name, std::string body, std::string content_type);
  std::string url(const std::string& name) const { return server_->url("/files/" + name); }

 private:
  struct File {
    std::string body;
    std::string content_type;
  };
  mutable std::mutex mu_;
  std::map<std::string, File> files_;
  net::Router router_;
  std::unique_ptr<test::TestServer> server_;
};

class FakeTelegramTest : public testing::Test {
 protected:
  void SetUp() override {}
  void TearDown() override;

  // Starts the fake; by default with the fixture's FakeClock.
  void start(FakeTelegramOptions options = {}, bool fake_clock = true);
  // Options without flood limits, for tests that send many messages to one chat.
  static FakeTelegramOptions unlimited();

  ApiReply call(const std::string& method, const nlohmann::json& params = nlohmann::json::object());
  ApiReply call_form(const std::string& method, const std::string& body);
  ApiReply call_query(const std::string& method, const std::string& query);
  ApiReply call_multipart(const std::string& method, std::vector<net::MultipartPart> parts);
  ApiReply get(const std::string& path_and_query);
  net::ClientResponse raw_get(const std::string& path);
  std::string method_path(const std::string& method) const;

  // A PNG of the given size (real header, so the fake derives photo sizes from it).
  static std::string png(int width, int height);

  test::IoThread io{2};
  net::HttpClient http;
  FakeClock clock;
  std::unique_ptr<FakeTelegram> tg;
};

}  // namespace kb::sandbox::tg::test_support
