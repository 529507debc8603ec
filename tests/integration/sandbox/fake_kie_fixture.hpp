// Shared fixture of the fake KIE integration tests: the fake on a FakeClock, an HTTP client, a
// callback receiver and a media origin (both real servers on loopback).
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "net/http_client.hpp"
#include "net/router.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "support/async_test.hpp"

namespace kb::sandbox::test {

using namespace std::chrono_literals;

// Records every callback POST and answers with queued statuses (200 once the queue is empty).
class CallbackReceiver {
 public:
  struct Received {
    std::string body;
    std::string timestamp;
    std::string signature;
    std::string content_type;
  };

  CallbackReceiver() {
    router_.add("POST", "/kie/callback", [this](net::Request& req) -> Task<net::Response> {
      int status = 200;
      {
        std::lock_guard lock(mutex_);
        received_.push_back({req.body, req.headers.get_or("X-Webhook-Timestamp"),
                             req.headers.get_or("X-Webhook-Signature"),
                             req.headers.get_or("Content-Type")});
        if (!statuses_.empty()) {
          status = statuses_.front();
          statuses_.pop_front();
        }
      }
      co_return net::Response::json(status, R"({"ok":true})");
    });
    server_ = std::make_unique<kb::test::TestServer>(router_);
  }

  std::string url() const { return server_->url("/kie/callback"); }
  void answer_next(std::vector<int> statuses) {
    std::lock_guard lock(mutex_);
    statuses_.insert(statuses_.end(), statuses.begin(), statuses.end());
  }
  std::vector<Received> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  net::Router router_;
  mutable std::mutex mutex_;
  std::vector<Received> received_;
  std::deque<int> statuses_;
  std::unique_ptr<kb::test::TestServer> server_;
};

// Serves fixed bytes at /media/<name>; unknown names get 404.
class MediaOrigin {
 public:
  MediaOrigin() {
    router_.add("GET", "/media/{name}", [this](net::Request& req) -> Task<net::Response> {
      std::lock_guard lock(mutex_);
      auto it = files_.find(std::string(req.param("name")));
      if (it == files_.end()) co_return net::Response::text(404, "no such file\n");
      auto r = net::Response::text(200, it->second);
      r.headers.set("Content-Type", "image/png");
      co_return r;
    });
    server_ = std::make_unique<kb::test::TestServer>(router_);
  }
  std::string put(const std::string& name, std::string bytes) {
    std::lock_guard lock(mutex_);
    files_[name] = std::move(bytes);
    return server_->url("/media/" + name);
  }
  std::string url(const std::string& name) const { return server_->url("/media/" + name); }

 private:
  net::Router router_;
  std::mutex mutex_;
  std::map<std::string, std::string> files_;
  std::unique_ptr<kb::test::TestServer> server_;
};

// A default lifecycle with one change, e.g. lifecycle_with([](Lifecycle& l) { l.fail = true; }).
template <class Edit>
Lifecycle lifecycle_with(Edit edit) {
  Lifecycle lc;
  edit(lc);
  return lc;
}

class FakeKieTest : public testing::Test {
 protected:
  static constexpr const char* kKey = "test-kie-key";

  void start(FakeKieOptions options = {}) {
    if (!options.clock) options.clock = &clock;
    kie = std::make_unique<FakeKie>(io.io(), client, std::move(options));
    auto port = kie->start();
    ASSERT_TRUE(port) << port.error().describe();
  }

  void TearDown() override {
    if (kie) io.run<void>([this]() { return kie->stop(); });
  }

  Result<net::ClientResponse> send(net::ClientRequest request) {
    return io.run<Result<net::ClientResponse>>([this, request]() { return client.send(request); });
  }

  net::ClientResponse must_send(net::ClientRequest request) {
    auto r = send(std::move(request));
    EXPECT_TRUE(r) << r.error().describe();
    return r ? *r : net::ClientResponse{};
  }

  net::ClientRequest api(std::string method, std::string path, std::string body = {},
                         std::string key = kKey) {
    net::ClientRequest r;
    r.method = std::move(method);
    r.url = kie->base_url() + path;
    r.body = std::move(body);
    if (!key.empty()) r.headers.set("Authorization", "Bearer " + key);
    if (!r.body.empty()) r.headers.set("Content-Type", "application/json");
    r.timeout = 5s;
    return r;
  }

  static nlohmann::json body_of(const net::ClientResponse& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body;
    return j;
  }

  net::ClientResponse create(const nlohmann::json& request, std::string key = kKey) {
    return must_send(api("POST", "/api/v1/jobs/createTask", request.dump(), std::move(key)));
  }

  // Creates a task that must be accepted; returns its id.
  std::string create_ok(const nlohmann::json& request) {
    auto r = create(request);
    auto j = body_of(r);
    EXPECT_EQ(j["code"], 200) << r.body;
    return j["data"]["taskId"].is_string() ? j["data"]["taskId"].get<std::string>() : "";
  }

  nlohmann::json record(const std::string& task_id) {
    return body_of(must_send(api("GET", "/api/v1/jobs/recordInfo?taskId=" + task_id)));
  }

  static nlohmann::json z_image(std::string prompt = "a cat", std::string callback = {}) {
    nlohmann::json j = {{"model", "z-image"},
                        {"input", {{"prompt", prompt}, {"aspect_ratio", "1:1"}}}};
    if (!callback.empty()) j["callBackUrl"] = callback;
    return j;
  }

  // Polls `done` (real time) until it holds or `timeout` passes.
  static bool wait_until(const std::function<bool()>& done,
                         std::chrono::milliseconds timeout = 5s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(5ms);
    }
    return done();
  }

  kb::test::IoThread io;
  net::HttpClient client;
  FakeClock clock;
  std::unique_ptr<FakeKie> kie;
};

}  // namespace kb::sandbox::test
