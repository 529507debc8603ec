// Parameter parsing and envelopes of the fake Bot API (query, form, JSON, multipart; coercion).
#include <gtest/gtest.h>

#include "sandbox/fake_telegram/envelope.hpp"
#include "sandbox/fake_telegram/params.hpp"

namespace kb::sandbox::tg {
namespace {

TEST(FakeTelegramParams, BooleansFollowTheServerRules) {
  EXPECT_TRUE(to_bool("true"));
  EXPECT_TRUE(to_bool(" YES "));
  EXPECT_TRUE(to_bool("1"));
  EXPECT_TRUE(to_bool("True"));
  EXPECT_FALSE(to_bool("false"));
  EXPECT_FALSE(to_bool("0"));
  EXPECT_FALSE(to_bool("on"));
  EXPECT_FALSE(to_bool(""));
}

TEST(FakeTelegramParams, IntegersParseLikeTdAndGarbageIsZero) {
  EXPECT_EQ(to_integer("42"), 42);
  EXPECT_EQ(to_integer("-100123"), -100123);
  EXPECT_EQ(to_integer(" 7 "), 7);
  EXPECT_EQ(to_integer("12abc"), 0);
  EXPECT_EQ(to_integer("abc"), 0);
  EXPECT_EQ(to_integer("99999999999999999999"), 0);
}

TEST(FakeTelegramParams, QueryStringAndClamping) {
  auto p = parse_api_params("", "limit=500&timeout=-3&offset=10", "");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->encoding, "query");
  EXPECT_EQ(p->get_int("limit", 100, 1, 100), 100);
  EXPECT_EQ(p->get_int("timeout", 0, 0, 50), 0);
  EXPECT_EQ(p->get_int("offset", 0, -1000, 1000), 10);
  EXPECT_EQ(p->get_int("missing", 40, 1, 100), 40);
}

TEST(FakeTelegramParams, UrlencodedForm) {
  auto p = parse_api_params("application/x-www-form-urlencoded; charset=utf-8", "",
                            "chat_id=5&text=hello%20world&reply_markup=%7B%22a%22%3A1%7D");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->encoding, "form");
  EXPECT_EQ(p->get_or("text"), "hello world");
  EXPECT_EQ(p->get_or("reply_markup"), R"({"a":1})");
}

TEST(FakeTelegramParams, JsonStringsAreDecodedOtherValuesKeptAsJsonText) {
  auto p =
      parse_api_params("application/json", "",
                       R"({"chat_id":5550001001,"text":"hi \"there\"","disable_notification":true,
          "reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]},"skip":null})");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->encoding, "json");
  EXPECT_EQ(p->get_or("chat_id"), "5550001001");
  EXPECT_EQ(p->get_or("text"), "hi \"there\"");
  EXPECT_TRUE(p->get_bool("disable_notification"));
  EXPECT_EQ(p->get_or("reply_markup"),
            R"({"inline_keyboard":[[{"callback_data":"a","text":"A"}]]})");
  EXPECT_FALSE(p->has("skip"));
}

TEST(FakeTelegramParams, JsonMustBeAnObject) {
  EXPECT_FALSE(parse_api_params("application/json", "", "[1,2]"));
  EXPECT_FALSE(parse_api_params("application/json", "", "{broken"));
}

TEST(FakeTelegramParams, MultipartSplitsFieldsAndFiles) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n"
      "Content-Type: image/png\r\n\r\nPNGDATA\r\n--XyZ--\r\n";
  auto p = parse_api_params("multipart/form-data; boundary=XyZ", "", body);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->encoding, "multipart");
  EXPECT_EQ(p->get_or("chat_id"), "42");
  ASSERT_NE(p->file("photo"), nullptr);
  EXPECT_EQ(p->file("photo")->data, "PNGDATA");
  EXPECT_EQ(p->file("photo")->content_type, "image/png");
  EXPECT_FALSE(p->has("photo"));
}

TEST(FakeTelegramParams, MalformedMultipartIsAnError) {
  EXPECT_FALSE(parse_api_params("multipart/form-data; boundary=XyZ", "", "garbage"));
  EXPECT_FALSE(parse_api_params("multipart/form-data", "", "--x\r\n"));
}

TEST(FakeTelegramParams, QueryArgumentsWinOverBodyArguments) {
  auto p = parse_api_params("application/x-www-form-urlencoded", "text=query", "text=body");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->get_or("text"), "query");
}

TEST(FakeTelegramEnvelope, ErrorBodiesCarryParameters) {
  auto e = too_many_requests(17);
  EXPECT_EQ(e.code, 429);
  EXPECT_EQ(
      error_body(e),
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}})");
  ApiError migrated = bad_request("group chat was upgraded to a supergroup chat");
  migrated.migrate_to_chat_id = -1001987654321;
  EXPECT_EQ(
      error_body(migrated),
      R"({"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001987654321}})");
  EXPECT_EQ(error_body(not_found("method not found")),
            R"({"ok":false,"error_code":404,"description":"Not Found: method not found"})");
  EXPECT_EQ(unauthorized().description, "Unauthorized");
  EXPECT_EQ(forbidden("bot was blocked by the user").description,
            "Forbidden: bot was blocked by the user");
  EXPECT_EQ(conflict("x").code, 409);
}

TEST(FakeTelegramEnvelope, OkBodiesWithOptionalDescription) {
  EXPECT_EQ(ok_body(true, "Webhook was set"),
            R"({"ok":true,"result":true,"description":"Webhook was set"})");
  EXPECT_EQ(ok_body(Json::array()), R"({"ok":true,"result":[]})");
}

}  // namespace
}  // namespace kb::sandbox::tg
