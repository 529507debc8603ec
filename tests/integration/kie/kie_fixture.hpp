// A KieClient wired to a real FakeKie on loopback, sharing one FakeClock (the client's sleeper
// moves it, so backoff and lifecycles run without real waiting).
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "kie/create_budget.hpp"
#include "kie/kie_client.hpp"
#include "kie_test_support.hpp"
#include "net/http_client.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "support/async_test.hpp"

namespace kb::kie::test {

class KieFakeTest : public testing::Test {
 protected:
  // Tests adjust these before calling start().
  sandbox::FakeKieOptions fake_options() {
    sandbox::FakeKieOptions o;
    o.clock = &clock;
    o.accept_any_model = true;
    o.tick_interval = std::chrono::milliseconds(20);
    return o;
  }
  KieClientOptions client_options() {
    KieClientOptions o;
    o.api_key = "test-kie-key";
    o.user_agent = "kiebot/test";
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.request_timeout = std::chrono::milliseconds(5000);
    o.create_backoff.jitter = 0;
    o.query_backoff.jitter = 0;
    return o;
  }

  void start(sandbox::FakeKieOptions fo, KieClientOptions co, CreateBudget* budget = nullptr,
             std::uint16_t port = 0) {
    fake = std::make_unique<sandbox::FakeKie>(io.io(), http, std::move(fo));
    auto bound = fake->start("127.0.0.1", port);
    ASSERT_TRUE(bound) << bound.error().describe();
    if (co.base_url == KieClientOptions{}.base_url) co.base_url = fake->base_url();
    if (co.upload_base_url == KieClientOptions{}.upload_base_url)
      co.upload_base_url = fake->base_url();
    client = std::make_unique<KieClient>(http, std::move(co), budget ? *budget : unlimited, sleeper,
                                         clock);
  }
  void start() { start(fake_options(), client_options()); }

  void TearDown() override {
    client.reset();
    if (fake) io.run<void>([this]() { return fake->stop(); });
    fake.reset();
  }

  template <class T>
  T run(std::function<Task<T>()> make) {
    return io.run<T>(std::move(make));
  }
  CreateResult create(std::string model = "google/nano-banana",
                      nlohmann::json input = {{"prompt", "a red fox"}},
                      std::string callback_url = "") {
    return run<CreateResult>([&]() {
      return client->create_task(CreateTaskRequest{model, input, callback_url});
    });
  }
  KieResult<TaskRecord> record(const std::string& task_id,
                               std::optional<SystemTime> created_at = std::nullopt) {
    return run<KieResult<TaskRecord>>([&]() {
      return client->record_info(RecordQuery{task_id, created_at});
    });
  }

  FakeClock clock;
  RecordingSleeper sleeper{clock};
  UnlimitedCreateBudget unlimited;
  net::HttpClient http;
  kb::test::IoThread io{2};
  std::unique_ptr<sandbox::FakeKie> fake;
  std::unique_ptr<KieClient> client;
};

}  // namespace kb::kie::test
