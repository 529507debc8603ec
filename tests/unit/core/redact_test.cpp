#include "core/redact.hpp"

#include <gtest/gtest.h>

namespace kb {
namespace {

constexpr const char* kToken = "7000000001:AAFakeTokenForDocs_abcdefghijklmnopqrs";

TEST(Redact, MasksBotTokensAnywhere) {
  std::string line = std::string("GET https://api.telegram.org/bot") + kToken + "/getMe failed";
  auto out = redact_bot_tokens(line);
  EXPECT_EQ(out.find("AAFakeTokenForDocs"), std::string::npos);
  EXPECT_NE(out.find("/bot7000000001:***/getMe"), std::string::npos);
}

TEST(Redact, MasksTokenAtStartAndEndOfText) {
  EXPECT_EQ(redact_bot_tokens(kToken), "7000000001:***");
  EXPECT_EQ(redact_bot_tokens(std::string("x=") + kToken), "x=7000000001:***");
}

TEST(Redact, LeavesTimesAndShortPairsAlone) {
  EXPECT_EQ(redact_bot_tokens("at 12:34:56 user 123456:abc"), "at 12:34:56 user 123456:abc");
}

TEST(Redact, MasksRegisteredSecretsAndTokenPaths) {
  Redactor r;
  r.add_secret("kie-secret-key-123");
  r.add_secret("abc");  // too short to register: would mask ordinary words
  r.add_token_path_prefix("/media/");
  auto out =
      r.redact("auth=Bearer kie-secret-key-123 url=https://x.example/media/TOKENVALUE.sig?x=1 abc");
  EXPECT_EQ(out.find("kie-secret-key-123"), std::string::npos);
  EXPECT_EQ(out.find("TOKENVALUE"), std::string::npos);
  EXPECT_NE(out.find("/media/***?x=1"), std::string::npos);
  EXPECT_NE(out.find(" abc"), std::string::npos);
}

TEST(Redact, LongerSecretMaskedWholeWhenItContainsAShorterOne) {
  Redactor r;
  r.add_secret("secret1");
  r.add_secret("secret1-extended");
  EXPECT_EQ(r.redact("v=secret1-extended"), "v=***");
}

}  // namespace
}  // namespace kb
