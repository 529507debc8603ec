#include "core/crypto.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace kb::crypto {
namespace {

TEST(Crypto, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
  EXPECT_TRUE(constant_time_equals("", ""));
}

TEST(Crypto, Base64UrlRoundTripsAndRejectsNonCanonical) {
  for (std::string s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                                std::string("\xff\xfe\x00\x01", 4)}) {
    auto enc = base64url(s);
    EXPECT_EQ(enc.find('='), std::string::npos);
    EXPECT_EQ(base64url_decode(enc).value(), s);
  }
  EXPECT_FALSE(base64url_decode("Zg+").has_value());  // '+' is not url-safe
  EXPECT_FALSE(base64url_decode("Zh").has_value());   // non-zero left-over bits
  EXPECT_FALSE(base64url_decode("Z").has_value());    // impossible length
  EXPECT_EQ(base64(std::string("\xfb\xff", 2)), "+/8=");
  EXPECT_EQ(base64_decode("+/8=").value(), std::string("\xfb\xff", 2));
}

TEST(Crypto, DerivedKeysDifferByPurposeAndRoot) {
  EXPECT_NE(derive_key("root", "media"), derive_key("root", "webhook"));
  EXPECT_NE(derive_key("root1", "media"), derive_key("root2", "media"));
  EXPECT_EQ(derive_key("root", "media"), derive_key("root", "media"));
  EXPECT_NE(random_token(), random_token());
}

}  // namespace
}  // namespace kb::crypto
