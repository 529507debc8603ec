// The curl-based client against real local servers.
#include "net/http_client.hpp"

#include <atomic>
#include <set>

#include <gtest/gtest.h>

#include "core/with_timeout.hpp"
#include "net/http_range.hpp"
#include "support/async_test.hpp"

namespace kb::net {
namespace {

using namespace std::chrono_literals;

// Produces `remaining` bytes of a deterministic pattern in 64 KiB pieces, never holding more.
class PatternSource final : public BodySource {
 public:
  PatternSource(std::uint64_t offset, std::uint64_t length) : offset_(offset), remaining_(length) {}
  Task<Result<std::optional<std::string>>> next_chunk() override {
    if (remaining_ == 0) co_return std::optional<std::string>();
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, 64 * 1024));
    std::string chunk(n, '\0');
    for (std::size_t i = 0; i < n; ++i) chunk[i] = static_cast<char>((offset_ + i) % 251);
    offset_ += n;
    remaining_ -= n;
    co_return std::optional<std::string>(std::move(chunk));
  }

 private:
  std::uint64_t offset_;
  std::uint64_t remaining_;
};

char pattern_at(std::uint64_t i) {
  return static_cast<char>(i % 251);
}

// Serves a virtual file of `size` bytes with Range support.
void add_pattern_route(Router& router, std::uint64_t size) {
  router.add("GET", "/blob", [size](Request& r) -> Task<Response> {
    auto decision = decide_range(r.headers.get("Range"), size);
    Response res;
    res.headers.set("Accept-Ranges", "bytes");
    res.headers.set("Content-Type", "application/octet-stream");
    if (decision.outcome == RangeOutcome::unsatisfiable) {
      res.status = 416;
      res.headers.set("Content-Range", "bytes */" + std::to_string(size));
      co_return res;
    }
    std::uint64_t first = 0, length = size;
    if (decision.outcome == RangeOutcome::partial) {
      res.status = 206;
      res.headers.set("Content-Range", decision.range.content_range(size));
      first = decision.range.first;
      length = decision.range.length();
    }
    res.content_length = length;
    res.stream = std::make_shared<PatternSource>(first, length);
    co_return res;
  });
}

class HttpClientTest : public testing::Test {
 protected:
  Router router;
  HttpClient client;
  test::IoThread io;

  Result<ClientResponse> send(ClientRequest req) {
    return io.run<Result<ClientResponse>>([&]() { return client.send(req); });
  }
};

TEST_F(HttpClientTest, TotalTimeoutFiresAndIsClassifiedAsAmbiguous) {
  router.add("GET", "/slow", [](Request&) -> Task<Response> {
    co_await sleep_for(2s);
    co_return Response::text(200, "late");
  });
  test::TestServer server(router);
  ClientRequest req;
  req.url = server.url("/slow");
  req.timeout = 300ms;
  auto started = std::chrono::steady_clock::now();
  auto r = send(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout) << r.error().describe();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
}

TEST_F(HttpClientTest, RefusedConnectionIsClassifiedAsNotSent) {
  std::uint16_t port;
  {
    test::TestServer server(router);
    port = server.port();
  }
  ClientRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  auto r = send(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable) << r.error().describe();
}

TEST_F(HttpClientTest, KeepAliveConnectionIsReused) {
  std::mutex m;
  std::set<std::uint16_t> client_ports;
  router.add("GET", "/ping", [&](Request& r) -> Task<Response> {
    std::lock_guard lock(m);
    client_ports.insert(r.remote_port);
    co_return Response::text(200, "pong");
  });
  test::TestServer server(router);
  ClientRequest req;
  req.url = server.url("/ping");
  auto first = send(req);
  auto second = send(req);
  auto third = send(req);
  ASSERT_TRUE(first && second && third);
  EXPECT_FALSE(first->reused_connection);
  EXPECT_TRUE(second->reused_connection);
  EXPECT_TRUE(third->reused_connection);
  EXPECT_EQ(client_ports.size(), 1u);
}

TEST_F(HttpClientTest, SendsJsonAndMultipartBodies) {
  router.add("POST", "/echo", [](Request& r) -> Task<Response> {
    co_return Response::text(200, r.headers.get_or("Content-Type") + "\n" + r.body);
  });
  test::TestServer server(router);
  ClientRequest json;
  json.method = "POST";
  json.url = server.url("/echo");
  json.headers.set("Content-Type", "application/json");
  json.body = R"({"a":1})";
  auto r = send(json);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "application/json\n{\"a\":1}");

  ClientRequest form;
  form.method = "POST";
  form.url = server.url("/echo");
  form.multipart.push_back({"chat_id", "", "", "42", ""});
  form.multipart.push_back({"photo", "p.png", "image/png", std::string("\x89PNG\r\n", 6), ""});
  r = send(form);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->body.starts_with("multipart/form-data; boundary=")) << r->body;
  EXPECT_NE(r->body.find("name=\"chat_id\"\r\n\r\n42\r\n"), std::string::npos);
  EXPECT_NE(r->body.find("filename=\"p.png\""), std::string::npos);
  EXPECT_NE(r->body.find("Content-Type: image/png"), std::string::npos);
}

TEST_F(HttpClientTest, RangeRequestsReturnTheRightBytes) {
  const std::uint64_t size = 100'000;
  add_pattern_route(router, size);
  test::TestServer server(router);
  auto fetch = [&](std::string range) {
    ClientRequest req;
    req.url = server.url("/blob");
    req.headers.set("Range", range);
    return send(req).value();
  };
  auto first = fetch("bytes=0-9");
  EXPECT_EQ(first.status, 206);
  EXPECT_EQ(first.headers.get_or("Content-Range"), "bytes 0-9/100000");
  ASSERT_EQ(first.body.size(), 10u);
  for (std::uint64_t i = 0; i < 10; ++i) EXPECT_EQ(first.body[i], pattern_at(i));
  auto middle = fetch("bytes=50000-50099");
  ASSERT_EQ(middle.body.size(), 100u);
  for (std::uint64_t i = 0; i < 100; ++i) EXPECT_EQ(middle.body[i], pattern_at(50000 + i));
  auto suffix = fetch("bytes=-5");
  ASSERT_EQ(suffix.body.size(), 5u);
  EXPECT_EQ(suffix.body[0], pattern_at(size - 5));
  EXPECT_EQ(fetch("bytes=200000-").status, 416);
}

TEST_F(HttpClientTest, FiftyMegabytesStreamWithBoundedMemory) {
  const std::uint64_t size = 50ull << 20;
  add_pattern_route(router, size);
  test::TestServer server(router);
  auto baseline = test::resident_bytes();
  std::size_t peak = baseline;
  std::uint64_t received = 0;
  bool content_ok = true;
  io.run<void>([&]() -> Task<void> {
    ClientRequest req;
    req.url = server.url("/blob");
    req.timeout = 60s;
    auto stream = co_await client.open(req);
    EXPECT_TRUE(stream) << stream.error().describe();
    if (!stream) co_return;
    EXPECT_EQ((*stream)->status(), 200);
    EXPECT_EQ((*stream)->content_length(), size);
    for (;;) {
      auto chunk = co_await (*stream)->next_chunk();
      EXPECT_TRUE(chunk);
      if (!chunk || !chunk->has_value()) break;
      const auto& data = **chunk;
      if (data[0] != pattern_at(received) || data.back() != pattern_at(received + data.size() - 1))
        content_ok = false;
      received += data.size();
      // A slow reader: the transfer must pause rather than buffer.
      if ((received >> 20) % 8 == 0) co_await sleep_for(1ms);
      peak = std::max(peak, test::resident_bytes());
    }
  });
  EXPECT_EQ(received, size);
  EXPECT_TRUE(content_ok);
  EXPECT_LT(peak - baseline, 8u << 20)
      << "resident memory grew by " << (peak - baseline) << " bytes";
}

TEST_F(HttpClientTest, AbandonedStreamCancelsTheTransfer) {
  add_pattern_route(router, 50ull << 20);
  router.add("GET", "/ok", [](Request&) -> Task<Response> { co_return Response::text(200, "ok"); });
  test::TestServer server(router);
  io.run<void>([&]() -> Task<void> {
    ClientRequest req;
    req.url = server.url("/blob");
    auto stream = co_await client.open(req);
    EXPECT_TRUE(stream);
    auto chunk = co_await (*stream)->next_chunk();
    EXPECT_TRUE(chunk && chunk->has_value());
  });
  // The client is still usable afterwards.
  ClientRequest req;
  req.url = server.url("/ok");
  auto r = send(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace kb::net
