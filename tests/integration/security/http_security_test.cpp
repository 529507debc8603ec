// The HTTP edge of the whole application: oversized bodies on every POST route (413, nothing
// stored, the server keeps serving), slow-header clients cut off while others are served, CR/LF
// and NUL in request lines and headers (400 or a refusal, never an injected response header),
// request smuggling, and unknown routes (404).
#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "security_rig.hpp"

namespace kb::security_test {
namespace {

using namespace std::chrono_literals;

std::string text_update(std::int64_t update_id, std::int64_t user_id) {
  return fmt::format(
      R"({{"update_id":{0},"message":{{"message_id":{0},"from":{{"id":{1},"is_bot":false,)"
      R"("first_name":"Eve"}},"chat":{{"id":{1},"type":"private"}},"date":1700000000,)"
      R"("text":"/start"}}}})",
      update_id, user_id);
}

constexpr char kNulInPath[] = "GET /health\0z HTTP/1.1\r\nHost: x\r\n\r\n";

std::string head_of(const std::string& reply) {
  return reply.substr(0, reply.find("\r\n\r\n"));
}

class SecurityHttp : public SecurityTest {
 protected:
  // The server still answers others and still stores a genuine update.
  void expect_still_serving(std::int64_t update_id) {
    EXPECT_EQ(request("GET", "/healthz").status, 200);
    auto r = post_webhook(text_update(update_id, 6000 + update_id % 1000), webhook_secret());
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(count("inbox", fmt::format("update_id = {}", update_id)), 1);
  }
};
KB_SECURITY_BACKENDS(SecurityHttp);

TEST_P(SecurityHttp, OversizedBodiesOnEveryPostRouteAre413AndNothingIsStored) {
  const auto limit = config().webhook_max_body;
  const auto inbox_before = count("inbox");
  const auto rejects_before = count("inbox_rejects");
  const auto secret = webhook_secret();
  // A valid update padded past the limit, with the right secret: still refused, not stored.
  auto padded = text_update(920'000'001, 777);
  padded.insert(padded.size() - 1, R"(,"pad":")" + std::string(limit, 'x') + "\"");
  const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>
      routes = {{config().webhook_path, {{"X-Telegram-Bot-Api-Secret-Token", secret}}},
                {config().webhook_path, {}},
                {"/kie/callback/" + callback_token(), {}},
                {"/kie/callback/wrong", {}},
                {"/healthz", {}},
                {"/metrics", {}},
                {"/media/x", {}},
                {"/no/such/route", {}}};
  for (const auto& [path, headers] : routes) {
    auto r = request("POST", path, padded, headers);
    EXPECT_EQ(r.status, 413) << path;
  }
  // Exactly at the limit is read (and refused for other reasons); one byte more is 413.
  EXPECT_EQ(request("POST", config().webhook_path, std::string(limit, ' ')).status, 401);
  EXPECT_EQ(request("POST", config().webhook_path, std::string(limit + 1, ' ')).status, 413);
  // A chunked body that grows past the limit without announcing its size.
  {
    RawSocket s(port());
    ASSERT_TRUE(s.connected());
    s.send(
        fmt::format("POST {} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    "X-Telegram-Bot-Api-Secret-Token: {}\r\n\r\n",
                    config().webhook_path, secret));
    const std::string chunk(64 * 1024, 'y');
    for (std::size_t sent = 0; sent <= limit; sent += chunk.size())
      if (!s.send(fmt::format("{:x}\r\n{}\r\n", chunk.size(), chunk))) break;
    s.send("0\r\n\r\n");
    EXPECT_TRUE(s.read_all().starts_with("HTTP/1.1 413"));
  }
  // A Content-Length far beyond the limit is refused before reading.
  {
    RawSocket s(port());
    ASSERT_TRUE(s.connected());
    s.send(fmt::format("POST {} HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\nabc",
                       config().webhook_path));
    EXPECT_TRUE(s.read_all().starts_with("HTTP/1.1 413"));
  }
  EXPECT_EQ(count("inbox"), inbox_before);
  EXPECT_EQ(count("inbox_rejects"), rejects_before);
  expect_still_serving(920'000'002);
}

TEST_P(SecurityHttp, SlowHeaderClientsAreCutOffWhileOthersAreServed) {
  // HTTP_HEADER_TIMEOUT_MS=1000 in this rig; four clients send one byte every 150 ms.
  const std::string head =
      fmt::format("POST {} HTTP/1.1\r\nHost: localhost\r\nX-Padding: {}\r\n\r\n",
                  config().webhook_path, std::string(40, 'a'));
  std::vector<std::thread> slow;
  std::atomic<int> cut_off{0};
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) {
    slow.emplace_back([&] {
      RawSocket s(port());
      if (!s.connected()) return;
      // Cut off = the server closed the connection (a send fails, or the read ends) within 4 s
      // and never answered 200; a client that merely gave up at 4 s does not count.
      bool closed_by_server = false;
      for (char c : head) {
        if (!s.send(std::string_view(&c, 1))) {
          closed_by_server = true;
          break;
        }
        std::this_thread::sleep_for(150ms);
        if (std::chrono::steady_clock::now() - started > 4s) break;
      }
      auto reply = s.read_all();
      closed_by_server = closed_by_server || std::chrono::steady_clock::now() - started < 4s;
      if (closed_by_server && reply.find("200 OK") == std::string::npos) ++cut_off;
    });
  }
  // Meanwhile the server answers everyone else at once.
  std::this_thread::sleep_for(200ms);
  const auto during = std::chrono::steady_clock::now();
  expect_still_serving(920'000'101);
  EXPECT_LT(std::chrono::steady_clock::now() - during, 900ms);
  for (auto& t : slow) t.join();
  EXPECT_EQ(cut_off.load(), 4);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
  expect_still_serving(920'000'102);
}

TEST_P(SecurityHttp, CrLfAndNulInRequestsInjectNothing) {
  const auto inbox_before = count("inbox");
  const auto secret = webhook_secret();
  const std::vector<std::string> raw = {
      // Encoded CR/LF in the path: decoded into a route parameter, never into a header.
      "GET /media/a%0d%0aSet-Cookie:%20pwned=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /nope%0d%0aLocation:%20http://evil.example/ HTTP/1.1\r\nHost: x\r\nConnection: "
      "close\r\n\r\n",
      "GET /media/r/a%0aX-Injected:%201 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /kie/callback/a%0d%0aSet-Cookie:%20x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /healthz%00.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      // Raw CR, LF and NUL in the request line or a header: malformed.
      "GET /heal\rthz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /healthz\r\nX-Injected: 1 HTTP/1.1\r\nHost: x\r\n\r\n",
      std::string(kNulInPath, sizeof kNulInPath - 1),
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\rSet-Cookie: b\r\n\r\n",
      // A secret header split by obs-fold, or carrying a CR: no update is taken.
      fmt::format("POST {} HTTP/1.1\r\nHost: x\r\nConnection: "
                  "close\r\nX-Telegram-Bot-Api-Secret-Token: {}\r\n "
                  "continued\r\nContent-Length: {}\r\n\r\n{}",
                  config().webhook_path, secret, text_update(920'000'201, 1).size(),
                  text_update(920'000'201, 1)),
      fmt::format("POST {} HTTP/1.1\r\nHost: x\r\nConnection: "
                  "close\r\nX-Telegram-Bot-Api-Secret-Token: {}\rX: y\r\n"
                  "Content-Length: {}\r\n\r\n{}",
                  config().webhook_path, secret, text_update(920'000'202, 1).size(),
                  text_update(920'000'202, 1)),
  };
  constexpr std::size_t kWellFormed = 5;  // the encoded ones: parsed, then refused with a 4xx
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto& request_text = raw[i];
    RawSocket s(port(), 1500ms);
    ASSERT_TRUE(s.connected());
    s.send(request_text);
    auto reply = s.read_all();
    auto head = head_of(reply);
    if (i < kWellFormed) {
      EXPECT_TRUE(reply.starts_with("HTTP/1.1 4")) << request_text << head;
    }
    EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos) << request_text << head;
    EXPECT_EQ(head.find("\r\nLocation"), std::string::npos) << request_text << head;
    EXPECT_EQ(head.find("\r\nX-Injected"), std::string::npos) << request_text << head;
    EXPECT_FALSE(reply.starts_with("HTTP/1.1 200")) << request_text << head;
    EXPECT_FALSE(reply.starts_with("HTTP/1.1 5")) << request_text << head;
  }
  EXPECT_EQ(count("inbox"), inbox_before);
  expect_still_serving(920'000'203);
}

TEST_P(SecurityHttp, AmbiguousFramingIsRefusedAndNothingIsSmuggledIn) {
  const auto inbox_before = count("inbox");
  const auto secret = webhook_secret();
  // The inner request would be stored if any server read it as a request of its own.
  const auto inner_body = text_update(920'000'301, 1);
  const auto inner = fmt::format(
      "POST {} HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: {}\r\n"
      "Content-Length: {}\r\n\r\n{}",
      config().webhook_path, secret, inner_body.size(), inner_body);
  const auto outer_body = text_update(920'000'302, 2);
  // CL.TE, TE.CL, two different Content-Lengths.
  for (const auto& outer :
       {fmt::format("POST {} HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: {}\r\n"
                    "Content-Length: {}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{}",
                    config().webhook_path, secret, inner.size() + 5, inner),
        fmt::format("POST {} HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: {}\r\n"
                    "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n{:x}\r\n{}\r\n0"
                    "\r\n\r\n",
                    config().webhook_path, secret, inner.size(), inner),
        fmt::format("POST {} HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: {}\r\n"
                    "Content-Length: {}\r\nContent-Length: {}\r\n\r\n{}{}",
                    config().webhook_path, secret, outer_body.size(),
                    outer_body.size() + inner.size(), outer_body, inner)}) {
    RawSocket s(port(), 1500ms);
    ASSERT_TRUE(s.connected());
    s.send(outer);
    auto reply = s.read_all();
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply.substr(0, 60);
    EXPECT_EQ(reply.find("HTTP/1.1 200"), std::string::npos) << reply;
  }
  EXPECT_EQ(count("inbox"), inbox_before);
  expect_still_serving(920'000'303);
}

// Whatever a handler puts into a response header, CR/LF/NUL never split the response.
TEST(SecurityHttpServer, AHeaderWithCrLfOrNulIsNeverWritten) {
  net::Router router;
  router.add("GET", "/h", [](net::Request&) -> Task<net::Response> {
    auto r = net::Response::text(200, "body");
    r.headers.set("Content-Type", "text/plain\r\nSet-Cookie: pwned=1");
    r.headers.set("X-Name\r\nX-Injected", "1");
    r.headers.set("X-Nul", std::string("a\0b", 3));
    r.headers.set("X-Fine", "kept");
    co_return r;
  });
  kb::test::TestServer server(router);
  RawSocket s(server.port());
  ASSERT_TRUE(s.connected());
  s.send("GET /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto reply = s.read_all();
  auto head = head_of(reply);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_EQ(head.find("Set-Cookie"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Injected"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Nul"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Fine: kept"), std::string::npos) << head;
  EXPECT_TRUE(reply.ends_with("\r\n\r\nbody")) << reply;
}

TEST_P(SecurityHttp, UnknownRoutesAre404WithoutDetail) {
  for (const char* path :
       {"/", "/index.html", "/api", "/bot", "/telegram", "/kie", "/kie/callback", "/media",
        "/metrics/x", "/healthz/x", "/.git/config", "/server-status"}) {
    auto r = request("GET", path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body, R"({"ok":false,"error":"not found"})") << path;
  }
  auto r = request("DELETE", "/no/such");
  EXPECT_EQ(r.status, 404);
}

}  // namespace
}  // namespace kb::security_test
