// The Telegram client test fixture.
#include "client_fixture.hpp"

#include "sandbox/media/png_encoder.hpp"

namespace kb::telegram::test {

StaticFiles::StaticFiles() {
  router_.add("GET", "/files/{name}", [this](net::Request& r) -> Task<net::Response> {
    std::pair<std::string, std::string> file;
    {
      std::lock_guard lock(mu_);
      auto it = files_.find(std::string(r.param("name")));
      if (it == files_.end()) co_return net::Response::text(404, "no such file");
      file = it->second;
    }
    net::Response res;
    res.body = std::move(file.first);
    res.headers.set("Content-Type", file.second);
    co_return res;
  });
  server_ = std::make_unique<kb::test::TestServer>(router_);
}

void StaticFiles::put(const std::string& name, std::string body, std::string content_type) {
  std::lock_guard lock(mu_);
  files_[name] = {std::move(body), std::move(content_type)};
}

sandbox::FakeTelegramOptions ClientTest::unlimited() {
  sandbox::FakeTelegramOptions options;
  options.limits.enabled = false;
  return options;
}

RetryPolicy ClientTest::quick_retries() {
  RetryPolicy p;
  p.initial_backoff = std::chrono::milliseconds(20);
  p.max_backoff = std::chrono::milliseconds(100);
  p.jitter = 0;
  return p;
}

void ClientTest::start(sandbox::FakeTelegramOptions options, ClientConfig config) {
  fake = std::make_unique<sandbox::FakeTelegram>(io.io(), fake_http, options);
  auto port = fake->start();
  ASSERT_TRUE(port) << port.error().describe();
  config.token = fake->token();
  config.api_url = fake->api_url();
  if (config.file_url.empty()) config.file_url = fake->file_url();
  client = std::make_unique<BotClient>(io.io().get_executor(), http, config);
  alice = fake->add_user({5550001001, "Alice", "Moreau", "alice_m", "en", true});
}

void ClientTest::TearDown() {
  client.reset();
  if (fake) io.run<void>([this]() { return fake->stop(std::chrono::milliseconds(500)); });
  fake.reset();
}

std::string ClientTest::png(int width, int height) {
  std::string rgb(static_cast<std::size_t>(width) * height * 3, '\x7f');
  return media::encode_png_rgb(width, height, rgb);
}

}  // namespace kb::telegram::test
