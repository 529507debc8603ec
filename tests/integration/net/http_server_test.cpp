// The HTTP server over real loopback sockets.
#include "net/http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "core/with_timeout.hpp"
#include "net/builtin_endpoints.hpp"
#include "net/http_client.hpp"
#include "support/async_test.hpp"
#include "support/prometheus_check.hpp"

namespace kb::net {
namespace {

using namespace std::chrono_literals;

// A raw blocking socket, for behaviour an HTTP client library would hide.
class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawSocket() { ::close(fd_); }
  bool connected() const { return connected_; }
  bool send(std::string_view data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // Reads until the peer closes or the receive timeout passes.
  std::string read_all() {
    std::string out;
    char buf[4096];
    for (;;) {
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

ClientResponse get(HttpClient& client, test::IoThread& io, std::string url,
                   std::string method = "GET", std::string body = "") {
  ClientRequest req;
  req.method = method;
  req.url = std::move(url);
  req.body = std::move(body);
  auto r = io.run<Result<ClientResponse>>([&]() { return client.send(req); });
  if (!r) throw std::runtime_error(r.error().describe());
  return *r;
}

class HttpServerTest : public testing::Test {
 protected:
  Router router;
  MetricsRegistry metrics;
  Readiness readiness;
  HttpClient client;
  test::IoThread client_io;
};

TEST_F(HttpServerTest, RoutesByMethodAndPathWithParameters) {
  router.add("GET", "/items/{id}", [](Request& r) -> Task<Response> {
    co_return Response::text(
        200, "item " + std::string(r.param("id")) + " q=" + r.query_param("q").value_or(""));
  });
  router.add("POST", "/items/{id}", [](Request& r) -> Task<Response> {
    co_return Response::text(201, "posted " + r.body);
  });
  test::TestServer server(router);
  auto a = get(client, client_io, server.url("/items/42?q=a%20b"));
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "item 42 q=a b");
  auto b = get(client, client_io, server.url("/items/7"), "POST", "hello");
  EXPECT_EQ(b.status, 201);
  EXPECT_EQ(b.body, "posted hello");
  auto c = get(client, client_io, server.url("/items/7"), "DELETE");
  EXPECT_EQ(c.status, 405);
  EXPECT_EQ(c.headers.get_or("Allow"), "GET, POST");
  EXPECT_EQ(get(client, client_io, server.url("/nope")).status, 404);
  auto head = get(client, client_io, server.url("/items/1"), "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.headers.get_or("Content-Length"), "9");  // "item 1 q="
}

TEST_F(HttpServerTest, OversizedBodyGets413) {
  std::atomic<int> handled{0};
  router.add("POST", "/in", [&](Request&) -> Task<Response> {
    ++handled;
    co_return Response::text(200, "ok");
  });
  ServerOptions options;
  options.max_body_bytes = 1024;
  test::TestServer server(router, options);
  EXPECT_EQ(get(client, client_io, server.url("/in"), "POST", std::string(1024, 'x')).status, 200);
  EXPECT_EQ(get(client, client_io, server.url("/in"), "POST", std::string(1025, 'x')).status, 413);
  // A chunked body that grows past the limit without announcing its size.
  RawSocket s(server.port());
  ASSERT_TRUE(s.connected());
  std::string chunk(800, 'y');
  s.send("POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  s.send("320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  auto reply = s.read_all();
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 413")) << reply;
  EXPECT_EQ(handled.load(), 1);
}

TEST_F(HttpServerTest, SlowHeaderClientIsCutOff) {
  router.add("GET", "/", [](Request&) -> Task<Response> { co_return Response::text(200, "ok"); });
  ServerOptions options;
  options.header_timeout = 1500ms;
  test::TestServer server(router, options);
  RawSocket s(server.port());
  ASSERT_TRUE(s.connected());
  std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: aaaaaaaaaaaaaaaa\r\n\r\n";
  auto started = std::chrono::steady_clock::now();
  std::size_t sent = 0;
  for (char c : request) {
    if (!s.send(std::string_view(&c, 1))) break;
    ++sent;
    std::this_thread::sleep_for(250ms);  // 4 bytes per second
    if (std::chrono::steady_clock::now() - started > 6s) break;
  }
  auto elapsed = std::chrono::steady_clock::now() - started;
  // The server closed the connection long before the client could finish its head.
  EXPECT_LT(sent, request.size());
  EXPECT_LT(elapsed, 5s);
  EXPECT_EQ(s.read_all().find("200 OK"), std::string::npos);
}

TEST_F(HttpServerTest, ConnectionsOverTheCapGet503) {
  router.add("GET", "/", [](Request&) -> Task<Response> { co_return Response::text(200, "ok"); });
  ServerOptions options;
  options.max_connections = 2;
  test::TestServer server(router, options);
  RawSocket a(server.port()), b(server.port());
  std::this_thread::sleep_for(200ms);  // both accepted and idle
  RawSocket c(server.port());
  auto reply = c.read_all();
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 503")) << reply;
}

TEST_F(HttpServerTest, DrainFinishesInFlightRefusesNewAndEndsWithinTheBound) {
  std::atomic<bool> entered{false};
  router.add("GET", "/slow", [&](Request&) -> Task<Response> {
    entered = true;
    co_await sleep_for(700ms);
    co_return Response::text(200, "finished");
  });
  auto server = std::make_unique<test::TestServer>(router);
  auto port = server->port();
  std::promise<Result<ClientResponse>> in_flight;
  std::thread requester([&] {
    ClientRequest req;
    req.url = server->url("/slow");
    in_flight.set_value(client_io.run<Result<ClientResponse>>([&]() { return client.send(req); }));
  });
  while (!entered) std::this_thread::sleep_for(5ms);
  auto started = std::chrono::steady_clock::now();
  std::promise<void> drained;
  asio::co_spawn(
      server->io().io(),
      [&]() -> Task<void> {
        co_await server->server().drain(3000ms);
        drained.set_value();
      },
      asio::detached);
  std::this_thread::sleep_for(100ms);
  RawSocket late(port);
  EXPECT_FALSE(late.connected()) << "a new connection was accepted while draining";
  auto response = in_flight.get_future().get();
  requester.join();
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "finished");
  drained.get_future().wait();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2500ms);
  EXPECT_EQ(server->server().active_connections(), 0u);
}

TEST_F(HttpServerTest, DrainForceClosesWorkThatOverrunsTheBound) {
  router.add("GET", "/forever", [](Request&) -> Task<Response> {
    co_await sleep_for(10s);
    co_return Response::text(200, "late");
  });
  test::TestServer server(router);
  RawSocket s(server.port());
  s.send("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(100ms);
  auto started = std::chrono::steady_clock::now();
  server.io().run<void>([&]() { return server.server().drain(300ms); });
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
}

TEST_F(HttpServerTest, ReadinessReflectsChecksAndPhase) {
  std::atomic<bool> db_ok{false};
  readiness.add(
      "database",
      [&]() -> Task<Result<void>> {
        if (db_ok) co_return Result<void>{};
        co_return fail(Errc::unavailable, "connection refused");
      },
      1000ms);
  readiness.add(
      "slow",
      []() -> Task<Result<void>> {
        co_await sleep_for(50ms);
        co_return Result<void>{};
      },
      1000ms);
  add_builtin_routes(router, readiness, metrics, {"1.2.3", "abc123", ""});
  test::TestServer server(router, {}, &metrics);
  auto r = get(client, client_io, server.url("/readyz"));
  EXPECT_EQ(r.status, 503);  // still starting
  readiness.set_phase(Phase::ready);
  r = get(client, client_io, server.url("/readyz"));
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("connection refused"), std::string::npos) << r.body;
  db_ok = true;
  r = get(client, client_io, server.url("/readyz"));
  EXPECT_EQ(r.status, 200) << r.body;
  readiness.set_phase(Phase::draining);
  EXPECT_EQ(get(client, client_io, server.url("/readyz")).status, 503);
  auto h = get(client, client_io, server.url("/healthz"));
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, R"({"commit":"abc123","ok":true,"version":"1.2.3"})");
}

TEST_F(HttpServerTest, ReadinessCheckThatHangsTimesOut) {
  readiness.add(
      "hangs",
      []() -> Task<Result<void>> {
        co_await sleep_for(5s);
        co_return Result<void>{};
      },
      200ms);
  readiness.set_phase(Phase::ready);
  add_builtin_routes(router, readiness, metrics, {"v", "c", ""});
  test::TestServer server(router);
  auto started = std::chrono::steady_clock::now();
  auto r = get(client, client_io, server.url("/readyz"));
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("timed out"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(HttpServerTest, MetricsEndpointIsValidExpositionAndCanRequireAToken) {
  add_builtin_routes(router, readiness, metrics, {"v", "c", "metrics-token-0123456789"});
  test::TestServer server(router, {}, &metrics);
  get(client, client_io, server.url("/healthz"));
  get(client, client_io, server.url("/missing"));
  EXPECT_EQ(get(client, client_io, server.url("/metrics")).status, 401);
  ClientRequest req;
  req.url = server.url("/metrics");
  req.headers.set("Authorization", "Bearer metrics-token-0123456789");
  auto r = client_io.run<Result<ClientResponse>>([&]() { return client.send(req); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.get_or("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  auto errors = test::check_prometheus_text(r->body);
  EXPECT_TRUE(errors.empty()) << testing::PrintToString(errors) << r->body;
  EXPECT_NE(r->body.find("kiebot_http_requests_total{route=\"/healthz\",status=\"200\"} 1"),
            std::string::npos)
      << r->body;
  EXPECT_NE(r->body.find("kiebot_process_resident_memory_bytes"), std::string::npos);
}

TEST_F(HttpServerTest, HandlerExceptionBecomes500AndConnectionSurvives) {
  router.add("GET", "/throw", [](Request&) -> Task<Response> {
    throw std::runtime_error("boom");
    co_return Response::text(200, "");
  });
  router.add("GET", "/ok", [](Request&) -> Task<Response> { co_return Response::text(200, "ok"); });
  test::TestServer server(router);
  EXPECT_EQ(get(client, client_io, server.url("/throw")).status, 500);
  EXPECT_EQ(get(client, client_io, server.url("/ok")).status, 200);
}

}  // namespace
}  // namespace kb::net
