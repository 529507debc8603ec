// The sandbox page's HTTP API on a real server: each action becomes the fake Bot API update a
// user would cause, files are served back, and chat changes arrive as server-sent events.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "net/http_client.hpp"
#include "net/router.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "sandbox/media/sample_media.hpp"
#include "sandbox/web/sandbox_web.hpp"
#include "support/async_test.hpp"

namespace kb::test {
namespace {

using Json = nlohmann::json;

struct SandboxWebTest : ::testing::Test {
  SandboxWebTest() {
    if (!telegram.start()) throw std::runtime_error("fake Bot API did not start");
    alice = telegram.make_user("Alice", "en");
    web.add_routes(router);
    server = std::make_unique<TestServer>(router);
  }
  ~SandboxWebTest() override {
    web.close();
    server.reset();
    io.run<void>([this]() -> Task<void> { co_await telegram.stop(); });
  }

  net::ClientResponse request(std::string method, std::string path, std::string body = "",
                              bool sandbox_header = true) {
    net::ClientRequest r;
    r.method = std::move(method);
    r.url = server->url(path);
    r.body = std::move(body);
    if (sandbox_header) r.headers.set("X-Sandbox-Client", "1");
    auto result = io.run<Result<net::ClientResponse>>(
        [this, r]() -> Task<Result<net::ClientResponse>> { co_return co_await http.send(r); });
    if (!result) throw std::runtime_error(result.error().describe());
    return *result;
  }
  std::string chat(std::string_view action) {
    return "/sandbox/api/chats/" + std::to_string(alice.id) + "/" + std::string(action);
  }
  // The Bot API as the bot would call it.
  Json bot_call(const std::string& method, const Json& params) {
    net::ClientRequest r;
    r.method = "POST";
    r.url = telegram.method_url(method);
    r.headers.set("Content-Type", "application/json");
    r.body = params.dump();
    auto result = io.run<Result<net::ClientResponse>>(
        [this, r]() -> Task<Result<net::ClientResponse>> { co_return co_await http.send(r); });
    if (!result) throw std::runtime_error(result.error().describe());
    return Json::parse(result->body);
  }

  IoThread io{2};
  net::HttpClient http;
  sandbox::FakeTelegram telegram{io.io(), http};
  sandbox::web::SandboxWeb web{telegram, {{5550001001}, "Test sandbox", 1 << 20}};
  net::Router router;
  std::unique_ptr<TestServer> server;
  sandbox::tg::User alice;
};

TEST_F(SandboxWebTest, TextAndCommandsBecomeUserMessages) {
  auto sent = request("POST", chat("text"), R"({"text":"hello bot"})");
  ASSERT_EQ(sent.status, 200) << sent.body;
  auto command = request("POST", chat("text"), R"({"text":"/start ref_42"})");
  ASSERT_EQ(command.status, 200) << command.body;

  auto messages = telegram.messages(alice.id);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].text, "hello bot");
  EXPECT_EQ(messages[1].text, "/start ref_42");
  ASSERT_TRUE(messages[1].json.contains("entities"));
  EXPECT_EQ(messages[1].json["entities"][0]["type"], "bot_command");

  auto listed = request("GET", chat("messages"));
  ASSERT_EQ(listed.status, 200);
  auto list = Json::parse(listed.body);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["text"], "hello bot");
  EXPECT_FALSE(list[0]["from_bot"].get<bool>());
}

TEST_F(SandboxWebTest, ForwardedTextCarriesAnOrigin) {
  ASSERT_EQ(request("POST", chat("text"), R"({"text":"look","forward":true})").status, 200);
  auto messages = telegram.messages(alice.id);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].json.contains("forward_origin"));
}

TEST_F(SandboxWebTest, RefusesPostsWithoutTheSandboxHeaderAndBadInput) {
  EXPECT_EQ(request("POST", chat("text"), R"({"text":"x"})", false).status, 403);
  EXPECT_EQ(request("POST", chat("text"), "not json").status, 400);
  EXPECT_EQ(request("POST", chat("text"), R"({"text":""})").status, 400);
  EXPECT_EQ(request("POST", "/sandbox/api/chats/123/text", R"({"text":"x"})").status, 404);
  EXPECT_EQ(request("POST", chat("press"), R"({"message_id":"1"})").status, 400);
  EXPECT_EQ(request("POST", chat("upload?kind=sticker"), "bytes").status, 400);
  EXPECT_EQ(request("POST", chat("pay"), R"({"message_id":99})").status, 404);
  EXPECT_TRUE(telegram.messages(alice.id).empty());
}

TEST_F(SandboxWebTest, UploadedPhotoIsServedBack) {
  auto png = media::gradient_png("sandbox");
  auto sent = request("POST", chat("upload?kind=photo&name=a.png&caption=a%20cat"), png);
  ASSERT_EQ(sent.status, 200) << sent.body;
  auto messages = telegram.messages(alice.id);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].kind, "photo");
  EXPECT_EQ(messages[0].caption, "a cat");

  auto list = Json::parse(request("GET", chat("messages")).body);
  auto url = list[0]["file"]["url"].get<std::string>();
  auto file = request("GET", url);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body, png);
  EXPECT_EQ(file.headers.get_or("Content-Type"), "image/png");
  EXPECT_EQ(request("GET", "/sandbox/api/files/nope").status, 404);
}

TEST_F(SandboxWebTest, PressAndPayReachTheFake) {
  auto sent = bot_call(
      "sendMessage",
      {{"chat_id", alice.id},
       {"text", "Pick"},
       {"reply_markup", {{"inline_keyboard", {{{{"text", "One"}, {"callback_data", "one"}}}}}}}});
  ASSERT_TRUE(sent.value("ok", false)) << sent.dump();
  auto message_id = sent["result"]["message_id"].get<std::int64_t>();
  auto pressed =
      request("POST", chat("press"), Json{{"message_id", message_id}, {"data", "one"}}.dump());
  ASSERT_EQ(pressed.status, 200) << pressed.body;
  auto callbacks = telegram.callback_queries();
  ASSERT_EQ(callbacks.size(), 1u);
  EXPECT_EQ(callbacks[0].data, "one");

  auto invoice = bot_call("sendInvoice", {{"chat_id", alice.id},
                                          {"title", "100 ₽"},
                                          {"description", "Top-up"},
                                          {"payload", "kbs1.test"},
                                          {"currency", "XTR"},
                                          {"prices", {{{"label", "Top-up"}, {"amount", 70}}}}});
  ASSERT_TRUE(invoice.value("ok", false)) << invoice.dump();
  auto invoice_id = invoice["result"]["message_id"].get<std::int64_t>();
  auto list = Json::parse(request("GET", chat("messages")).body);
  EXPECT_EQ(list.back()["invoice"]["amount"], 70);
  EXPECT_TRUE(list.back()["keyboard"][0][0]["pay"].get<bool>());

  auto paid = request("POST", chat("pay"), Json{{"message_id", invoice_id}}.dump());
  ASSERT_EQ(paid.status, 200) << paid.body;
  auto payments = telegram.payments();
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].amount, 70);
  EXPECT_EQ(payments[0].user_id, alice.id);
}

TEST_F(SandboxWebTest, EventsStreamChatChangesUntilClosed) {
  net::ClientRequest r;
  r.url = server->url(chat("events"));
  r.timeout = std::chrono::milliseconds(0);
  auto opened = io.run<Result<std::unique_ptr<net::ResponseStream>>>(
      [this, r]() -> Task<Result<std::unique_ptr<net::ResponseStream>>> {
        co_return co_await http.open(r);
      });
  ASSERT_TRUE(opened) << opened.error().describe();
  std::shared_ptr<net::ResponseStream> stream = std::move(*opened);
  EXPECT_EQ(stream->status(), 200);
  EXPECT_EQ(stream->headers().get_or("Content-Type"), "text/event-stream; charset=utf-8");

  auto read_until = [&](std::string_view needle) {
    std::string seen;
    while (seen.find(needle) == std::string::npos) {
      auto chunk = io.run<Result<std::optional<std::string>>>(
          [stream]() -> Task<Result<std::optional<std::string>>> {
            co_return co_await stream->next_chunk();
          });
      if (!chunk || !chunk->has_value()) return seen + "<end>";
      seen += **chunk;
    }
    return seen;
  };
  EXPECT_NE(read_until("retry:").find("retry: 1000"), std::string::npos);
  telegram.send_text(alice, "streamed hello");
  auto event = read_until("streamed hello");
  auto data = event.substr(event.find("data: ") + 6);
  auto parsed = Json::parse(data.substr(0, data.find('\n')));
  EXPECT_EQ(parsed["kind"], "message_added");
  EXPECT_EQ(parsed["chat_id"], alice.id);
  EXPECT_EQ(parsed["message"]["text"], "streamed hello");

  web.close();
  EXPECT_NE(read_until("<end>").find("<end>"), std::string::npos);
}

TEST_F(SandboxWebTest, ServesThePageAndState) {
  auto page = request("GET", "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("/sandbox/app.js"), std::string::npos);
  EXPECT_EQ(page.headers.get_or("Content-Type"), "text/html; charset=utf-8");
  auto script = request("GET", "/sandbox/app.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(request("GET", "/sandbox/missing.js").status, 404);

  auto state = Json::parse(request("GET", "/sandbox/api/state").body);
  EXPECT_EQ(state["title"], "Test sandbox");
  ASSERT_EQ(state["users"].size(), 1u);
  EXPECT_EQ(state["users"][0]["first_name"], "Alice");
  EXPECT_TRUE(state["users"][0]["is_admin"].get<bool>());
  auto added =
      request("POST", "/sandbox/api/users", R"({"first_name":"Bob","language_code":"ru"})");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_TRUE(telegram.user(Json::parse(added.body)["id"].get<std::int64_t>()));
}

}  // namespace
}  // namespace kb::test
