#include "bot/callback_data.hpp"

#include <gtest/gtest.h>

namespace kb::bot {
namespace {

TEST(CallbackData, RoundTrips) {
  auto s = encode_callback("jr", {"12345"});
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, "1|jr|12345");
  auto d = decode_callback(*s);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->action, "jr");
  EXPECT_EQ(d->int_arg(0), 12345);
  EXPECT_FALSE(d->int_arg(1).has_value());
  EXPECT_EQ(decode_callback(*encode_callback("h"))->action, "h");
}

TEST(CallbackData, RefusesWhatTelegramWouldRejectOrWeCannotTrust) {
  EXPECT_FALSE(encode_callback("toolong", {}));
  EXPECT_FALSE(encode_callback("m", {std::string(41, 'a')}));
  EXPECT_FALSE(encode_callback("m", {"a|b"}));
  EXPECT_FALSE(encode_callback("m", {std::string(40, 'a'), std::string(30, 'b')}));  // > 64 bytes
  for (auto forged : {"", "2|h", "1|", "1|H", "1|h|x y", "garbage", "1|h|\xff", "1|abcde"})
    EXPECT_FALSE(decode_callback(forged)) << forged;
}

}  // namespace
}  // namespace kb::bot
