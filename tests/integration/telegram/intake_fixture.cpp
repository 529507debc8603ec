// The pipeline fixture.
#include "intake_fixture.hpp"

namespace kb::intake_test {

void PipelineTest::SetUp() {
  StoreTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  sandbox::FakeTelegramOptions options;
  options.limits.enabled = false;
  fake = std::make_unique<sandbox::FakeTelegram>(io.io(), http, options);
  must(fake->start());
  bot = std::make_unique<telegram::BotClient>(io.io().get_executor(), http, client_config(*fake));
}

void PipelineTest::TearDown() {
  // The fake ends pending long polls first; the client's coroutines then finish before it goes.
  if (fake) io.run<void>([this]() { return fake->stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  bot.reset();
  fake.reset();
  StoreTest::TearDown();
}

telegram::ClientConfig PipelineTest::client_config(const sandbox::FakeTelegram& fake) {
  telegram::ClientConfig c;
  c.token = fake.token();
  c.api_url = fake.api_url();
  c.limits.global_per_second = 1000;
  c.limits.global_burst = 1000;
  c.limits.chat_per_second = 1000;
  c.limits.chat_burst = 1000;
  c.retry.max_attempts = 1;
  c.retry.max_rate_limit_wait = std::chrono::milliseconds(0);
  c.request_timeout = std::chrono::milliseconds(5000);
  return c;
}

}  // namespace kb::intake_test
