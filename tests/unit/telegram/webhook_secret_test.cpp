// The webhook secret: the configured one, or a derivation of the bot token that Telegram accepts
// (1-256 characters of A-Z a-z 0-9 _ -) and that reveals nothing about the token.
#include <gtest/gtest.h>

#include "telegram/intake/webhook_route.hpp"

namespace kb::telegram {
namespace {

TEST(WebhookSecret, DerivedFromTheTokenInTelegramsAlphabet) {
  auto a = webhook_secret_for("", "7000000001:AAFakeTokenForTests-0123456789abcdefg");
  EXPECT_EQ(a.size(), 43u);
  for (char c : a)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') << c;
  EXPECT_EQ(a, webhook_secret_for("", "7000000001:AAFakeTokenForTests-0123456789abcdefg"));
  EXPECT_NE(a, webhook_secret_for("", "7000000002:AAFakeTokenForTests-0123456789abcdefg"));
  EXPECT_EQ(a.find("AAFakeToken"), std::string::npos);
}

TEST(WebhookSecret, TheConfiguredSecretWinsAndNoTokenMeansNone) {
  EXPECT_EQ(webhook_secret_for("my-secret", "7000000001:AAFakeTokenForTests-0123456789abcdefg"), "my-secret");
  EXPECT_EQ(webhook_secret_for("", ""), "");
}

}  // namespace
}  // namespace kb::telegram
