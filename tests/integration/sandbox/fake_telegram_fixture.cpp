// Fixture implementation for the fake Bot API tests.
#include "fake_telegram_fixture.hpp"

#include "core/with_timeout.hpp"
#include "sandbox/media/png_encoder.hpp"

namespace kb::sandbox::tg::test_support {

WebhookReceiver::WebhookReceiver() {
  router_.add("POST", "/hook", [this](net::Request& r) -> Task<net::Response> {
    std::chrono::milliseconds delay;
    {
      std::lock_guard lock(mu_);
      ++concurrent_;
      max_concurrent_ = std::max(max_concurrent_, concurrent_);
      delay = delay_;
    }
    if (delay.count() > 0) co_await sleep_for(delay);
    net::Response response;
    {
      std::lock_guard lock(mu_);
      --concurrent_;
      deliveries_.push_back(Delivery{nlohmann::json::parse(r.body, nullptr, false), r.body,
                                     r.headers.get_or("X-Telegram-Bot-Api-Secret-Token"),
                                     r.headers.get_or("Content-Type")});
      int status = 200;
      if (!statuses_.empty()) {
        status = statuses_.front();
        statuses_.pop_front();
      }
      response = net::Response::json(status, status < 300 ? reply_body_ : "{}");
      if (status >= 300 && !retry_after_.empty()) response.headers.set("Retry-After", retry_after_);
    }
    co_return response;
  });
  server_ = std::make_unique<test::TestServer>(router_);
}

void WebhookReceiver::script(std::vector<int> statuses, std::string retry_after) {
  std::lock_guard lock(mu_);
  statuses_.assign(statuses.begin(), statuses.end());
  retry_after_ = std::move(retry_after);
}

void WebhookReceiver::set_delay(std::chrono::milliseconds delay) {
  std::lock_guard lock(mu_);
  delay_ = delay;
}

void WebhookReceiver::set_reply_body(std::string body) {
  std::lock_guard lock(mu_);
  reply_body_ = std::move(body);
}

std::vector<WebhookReceiver::Delivery> WebhookReceiver::deliveries() const {
  std::lock_guard lock(mu_);
  return deliveries_;
}

int WebhookReceiver::max_concurrent() const {
  std::lock_guard lock(mu_);
  return max_concurrent_;
}

FileServer::FileServer() {
  router_.add("GET", "/files/{name}", [this](net::Request& r) -> Task<net::Response> {
    std::lock_guard lock(mu_);
    auto it = files_.find(std::string(r.param("name")));
    if (it == files_.end()) co_return net::Response::text(404, "not found");
    net::Response response;
    response.status = 200;
    response.body = it->second.body;
    response.headers.set("Content-Type", it->second.content_type);
    co_return response;
  });
  server_ = std::make_unique<test::TestServer>(router_);
}

void FileServer::put(const std::string& name, std::string body, std::string content_type) {
  std::lock_guard lock(mu_);
  files_[name] = File{std::move(body), std::move(content_type)};
}

void FakeTelegramTest::start(FakeTelegramOptions options, bool fake_clock) {
  if (fake_clock) options.clock = &clock;
  tg = std::make_unique<FakeTelegram>(io.io(), http, options);
  auto port = tg->start();
  ASSERT_TRUE(port) << port.error().describe();
}

FakeTelegramOptions FakeTelegramTest::unlimited() {
  FakeTelegramOptions options;
  options.limits.enabled = false;
  return options;
}

void FakeTelegramTest::TearDown() {
  if (tg) io.run<void>([this]() { return tg->stop(std::chrono::milliseconds(500)); });
  tg.reset();
}

std::string FakeTelegramTest::method_path(const std::string& method) const {
  return "/bot" + tg->token() + "/" + method;
}

namespace {

ApiReply to_reply(const Result<net::ClientResponse>& response) {
  ApiReply reply;
  if (!response) {
    ADD_FAILURE() << "transport error: " << response.error().describe();
    return reply;
  }
  reply.status = response->status;
  reply.headers = response->headers;
  reply.body = nlohmann::json::parse(response->body, nullptr, false);
  return reply;
}

}  // namespace

ApiReply FakeTelegramTest::call(const std::string& method, const nlohmann::json& params) {
  net::ClientRequest request;
  request.method = "POST";
  request.url = tg->api_url() + method_path(method);
  request.headers.set("Content-Type", "application/json");
  request.body = params.dump();
  return to_reply(io.run<Result<net::ClientResponse>>([&]() { return http.send(request); }));
}

ApiReply FakeTelegramTest::call_form(const std::string& method, const std::string& body) {
  net::ClientRequest request;
  request.method = "POST";
  request.url = tg->api_url() + method_path(method);
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  request.body = body;
  return to_reply(io.run<Result<net::ClientResponse>>([&]() { return http.send(request); }));
}

ApiReply FakeTelegramTest::call_query(const std::string& method, const std::string& query) {
  return get(method_path(method) + "?" + query);
}

ApiReply FakeTelegramTest::call_multipart(const std::string& method,
                                          std::vector<net::MultipartPart> parts) {
  net::ClientRequest request;
  request.method = "POST";
  request.url = tg->api_url() + method_path(method);
  request.multipart = std::move(parts);
  request.timeout = std::chrono::milliseconds(60'000);
  return to_reply(io.run<Result<net::ClientResponse>>([&]() { return http.send(request); }));
}

ApiReply FakeTelegramTest::get(const std::string& path_and_query) {
  return to_reply(raw_get(path_and_query));
}

net::ClientResponse FakeTelegramTest::raw_get(const std::string& path) {
  net::ClientRequest request;
  request.url = tg->api_url() + path;
  auto response = io.run<Result<net::ClientResponse>>([&]() { return http.send(request); });
  if (!response) {
    ADD_FAILURE() << "transport error: " << response.error().describe();
    return {};
  }
  return *response;
}

std::string FakeTelegramTest::png(int width, int height) {
  std::string rgb(static_cast<std::size_t>(width) * height * 3, '\x7f');
  return media::encode_png_rgb(width, height, rgb);
}

}  // namespace kb::sandbox::tg::test_support
