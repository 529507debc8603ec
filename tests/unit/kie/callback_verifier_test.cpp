// Callback token, task-id extraction and signature checks (kie-api.md §4.2, §4.3).
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "kie/callback_verifier.hpp"

namespace kb::kie {
namespace {

constexpr std::string_view kKey = "webhook-hmac-key-123";

TEST(CallbackToken, DerivedUnguessableAndUrlSafe) {
  auto token = derive_callback_token("root-secret-1");
  EXPECT_EQ(token, crypto::base64url(crypto::derive_key("root-secret-1", "kie-callback")));
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_NE(token, derive_callback_token("root-secret-2"));
}

TEST(CallbackToken, RootPrefersHmacKeyThenBotTokenThenKieKey) {
  EXPECT_EQ(callback_token_root("h", "b", "k"), "h");
  EXPECT_EQ(callback_token_root("", "b", "k"), "b");
  EXPECT_EQ(callback_token_root("", "", "k"), "k");
}

TEST(CallbackTaskId, DocumentedSignatureExampleBody) {
  auto id = extract_callback_task_id(
      R"({"taskId":"ee9c2715375b7837f8bb51d641ff5863","code":200,"msg":"Success",
          "data":{"task_id":"ee9c2715375b7837f8bb51d641ff5863","callbackType":"task_completed"}})");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "ee9c2715375b7837f8bb51d641ff5863");
}

TEST(CallbackTaskId, OrderIsDataTaskIdThenDataTaskUnderscoreIdThenTopLevel) {
  EXPECT_EQ(
      *extract_callback_task_id(R"({"taskId":"top","data":{"taskId":"camel","task_id":"snake"}})"),
      "camel");
  EXPECT_EQ(*extract_callback_task_id(R"({"taskId":"top","data":{"task_id":"snake"}})"), "snake");
  EXPECT_EQ(*extract_callback_task_id(R"({"taskId":"top","data":null})"), "top");
}

TEST(CallbackTaskId, MarketCallbackBody) {
  auto id = extract_callback_task_id(R"({"code":501,"msg":"Playground task failed.","data":{
    "failCode":"500","failMsg":"Internal server error","model":"google/nano-banana-edit",
    "param":"{}","state":"fail","taskId":"bd3a37c523149e4adf45a3ddb5faf1a8","resultJson":null}})");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "bd3a37c523149e4adf45a3ddb5faf1a8");
}

TEST(CallbackTaskId, RejectsBodiesWithoutAUsableId) {
  EXPECT_FALSE(extract_callback_task_id(""));
  EXPECT_FALSE(extract_callback_task_id("not json"));
  EXPECT_FALSE(extract_callback_task_id("[]"));
  EXPECT_FALSE(extract_callback_task_id(R"({"data":{}})"));
  EXPECT_FALSE(extract_callback_task_id(R"({"data":{"taskId":""}})"));
  EXPECT_FALSE(extract_callback_task_id(R"({"data":{"taskId":"a b"}})"));
  EXPECT_FALSE(extract_callback_task_id(R"({"data":{"taskId":{"x":1}}})"));
  EXPECT_FALSE(extract_callback_task_id(std::string(200, '[')));
}

TEST(CallbackSignature, RoundTripAndFailures) {
  const std::int64_t now = 1769670760;
  const std::string ts = std::to_string(now);
  const std::string sig = sign_callback(kKey, "task-1", ts);
  EXPECT_EQ(sig, crypto::base64(crypto::hmac_sha256(kKey, "task-1." + ts)));
  EXPECT_EQ(verify_callback_signature(kKey, "task-1", ts, sig, now, 300), SignatureCheck::ok);
  EXPECT_EQ(verify_callback_signature(kKey, "task-1", ts, sig, now + 300, 300), SignatureCheck::ok);
  EXPECT_EQ(verify_callback_signature(kKey, "task-1", ts, sig, now + 301, 300),
            SignatureCheck::stale);
  EXPECT_EQ(verify_callback_signature(kKey, "task-1", ts, sig, now - 301, 300),
            SignatureCheck::stale);
  EXPECT_EQ(verify_callback_signature(kKey, "task-2", ts, sig, now, 300), SignatureCheck::mismatch);
  EXPECT_EQ(verify_callback_signature("other-key-000", "task-1", ts, sig, now, 300),
            SignatureCheck::mismatch);
  EXPECT_EQ(verify_callback_signature(kKey, "task-1", std::nullopt, sig, now, 300),
            SignatureCheck::missing);
  EXPECT_EQ(verify_callback_signature(kKey, "task-1", ts, std::nullopt, now, 300),
            SignatureCheck::missing);
  EXPECT_EQ(verify_callback_signature(kKey, "task-1", "-5", sig, now, 300),
            SignatureCheck::bad_timestamp);
  EXPECT_EQ(verify_callback_signature(kKey, "task-1", "12ab", sig, now, 300),
            SignatureCheck::bad_timestamp);
  EXPECT_EQ(verify_callback_signature(kKey, "task-1", ts + "000", sig, now, 300),
            SignatureCheck::bad_timestamp);  // milliseconds are not seconds
}

class VerifierTest : public testing::Test {
 protected:
  FakeClock clock{1769670760000};
  std::string token = derive_callback_token("root");
  CallbackVerifier open{{token, "", std::chrono::seconds(300), 1 << 20}, clock};
  CallbackVerifier signed_{{token, std::string(kKey), std::chrono::seconds(300), 1 << 20}, clock};
  std::string body = R"({"code":200,"data":{"taskId":"t-1","state":"success"}})";
  std::string ts = std::to_string(clock.now_seconds());
};

TEST_F(VerifierTest, AcceptsWithoutSignatureWhenNoKeyIsConfigured) {
  auto d = open.check(token, body, std::nullopt, std::nullopt);
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(d.task_id, "t-1");
}

TEST_F(VerifierTest, WrongOrEmptyTokenIsNotFound) {
  EXPECT_EQ(open.check(token + "x", body, std::nullopt, std::nullopt).status, 404);
  EXPECT_EQ(open.check("", body, std::nullopt, std::nullopt).status, 404);
  CallbackVerifier unconfigured{{"", "", std::chrono::seconds(300), 1 << 20}, clock};
  EXPECT_EQ(unconfigured.check("", body, std::nullopt, std::nullopt).status, 404);
}

TEST_F(VerifierTest, OversizedBodyIs413) {
  std::string big(1 << 20, ' ');
  big += body;
  EXPECT_EQ(open.check(token, big, std::nullopt, std::nullopt).status, 413);
}

TEST_F(VerifierTest, BodyWithoutTaskIdIs400) {
  EXPECT_EQ(open.check(token, "{}", std::nullopt, std::nullopt).status, 400);
}

TEST_F(VerifierTest, SignedCallbacks) {
  auto sig = sign_callback(kKey, "t-1", ts);
  auto ok = signed_.check(token, body, ts, sig);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.task_id, "t-1");
  EXPECT_EQ(signed_.check(token, body, std::nullopt, std::nullopt).status, 401);
  EXPECT_EQ(signed_.check(token, body, ts, "AAAA" + sig.substr(4)).status, 401);
  clock.advance(std::chrono::seconds(301));
  auto stale = signed_.check(token, body, ts, sig);
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(stale.reason, "stale_timestamp");
}

TEST_F(VerifierTest, CallbackUrl) {
  EXPECT_EQ(open.callback_url("https://bot.example/"), "https://bot.example/kie/callback/" + token);
}

}  // namespace
}  // namespace kb::kie
