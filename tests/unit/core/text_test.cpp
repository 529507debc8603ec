// Whitespace trimming: typed text loses every ASCII space kind, HTTP values only spaces and tabs.
#include <gtest/gtest.h>

#include "core/text.hpp"

namespace kb {
namespace {

TEST(Text, TrimRemovesAsciiWhitespaceAtBothEndsOnly) {
  EXPECT_EQ(trim(" \t\r\n\f\v 1 500 ₽ \n"), "1 500 ₽");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("a b"), "a b");
  // Non-ASCII spaces are data (a no-break space in a name stays).
  EXPECT_EQ(trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");
}

TEST(Text, HttpOwsIsOnlySpaceAndTab) {
  EXPECT_EQ(trim_http_ows(" \t bytes=0-9\t "), "bytes=0-9");
  EXPECT_EQ(trim_http_ows("\r\nvalue\r\n"), "\r\nvalue\r\n");
}

}  // namespace
}  // namespace kb
