// Caption text: UTF-8 decoding of bad input, word wrapping and truncation with an ellipsis.
#include "sandbox/media/text_layout.hpp"

#include <random>

#include <gtest/gtest.h>

namespace kb::media {
namespace {

using Lines = std::vector<std::u32string>;

TEST(Utf8Decode, DecodesEveryLength) {
  EXPECT_EQ(decode_utf8("A\xD1\x8F\xE2\x82\xAC\xF0\x9F\x98\x80"), U"Aя€😀");
  EXPECT_EQ(decode_utf8("Кот"), U"Кот");
  EXPECT_EQ(decode_utf8(""), U"");
}

TEST(Utf8Decode, MalformedPiecesBecomeOneReplacementEach) {
  const std::u32string r(1, kReplacementChar);
  EXPECT_EQ(decode_utf8("\x80"), r);              // continuation without a lead
  EXPECT_EQ(decode_utf8("\xFF"), r);              // never valid
  EXPECT_EQ(decode_utf8("\xD0"), r);              // truncated at the end
  EXPECT_EQ(decode_utf8("\xC0\xAF"), r);          // overlong '/'
  EXPECT_EQ(decode_utf8("\xE0\x80\xAF"), r);      // overlong, 3 bytes
  EXPECT_EQ(decode_utf8("\xED\xA0\x80"), r);      // UTF-16 surrogate
  EXPECT_EQ(decode_utf8("\xF4\x90\x80\x80"), r);  // above U+10FFFF
  EXPECT_EQ(decode_utf8("\xE2\x82"
                        "A"),
            r + U"A");  // interrupted: the 'A' survives
  EXPECT_EQ(decode_utf8("a\x80\x80z"), U"a" + r + r + U"z");
}

TEST(Utf8Decode, ArbitraryBytesNeverYieldInvalidCodePoints) {
  std::mt19937 rng(7);
  for (int n = 0; n < 5000; ++n) {
    std::string bytes(static_cast<std::size_t>(rng() % 12), '\0');
    for (auto& b : bytes) b = static_cast<char>(rng());
    auto decoded = decode_utf8(bytes);
    EXPECT_LE(decoded.size(), bytes.size());
    for (char32_t c : decoded) {
      EXPECT_LE(c, 0x10FFFFu);
      EXPECT_FALSE(c >= 0xD800 && c <= 0xDFFF);
    }
  }
}

TEST(WrapText, BreaksAtSpacesWithinTheWidth) {
  EXPECT_EQ(wrap_text(U"a cat sitting on a red sofa in the sun", 10),
            (Lines{U"a cat", U"sitting on", U"a red sofa", U"in the sun"}));
  EXPECT_EQ(wrap_text(U"кот на диване", 8), (Lines{U"кот на", U"диване"}));
  EXPECT_EQ(wrap_text(U"short", 40), (Lines{U"short"}));
}

TEST(WrapText, CutsWordsLongerThanALine) {
  EXPECT_EQ(wrap_text(U"abcdefghijkl xy", 5), (Lines{U"abcde", U"fghij", U"kl xy"}));
  EXPECT_EQ(wrap_text(U"ab cdefgh", 4), (Lines{U"ab", U"cdef", U"gh"}));
  EXPECT_EQ(wrap_text(U"abc", 0), (Lines{U"a", U"b", U"c"}));  // at least one column
}

TEST(WrapText, NewlinesBreakAndOtherWhitespaceCollapses) {
  EXPECT_EQ(wrap_text(U"one\n\ntwo\tthree   four\r\n", 20), (Lines{U"one", U"two three four"}));
  EXPECT_TRUE(wrap_text(U"", 10).empty());
  EXPECT_TRUE(wrap_text(U"  \n\t \u00A0 ", 10).empty());
}

TEST(LimitLines, KeepsWhatFits) {
  EXPECT_EQ(limit_lines({U"ab", U"cd"}, 2, 5), (Lines{U"ab", U"cd"}));
  EXPECT_TRUE(limit_lines({}, 3, 5).empty());
}

TEST(LimitLines, EndsTheLastKeptLineWithAnEllipsis) {
  EXPECT_EQ(limit_lines({U"abcde", U"fghij", U"k"}, 2, 5), (Lines{U"abcde", U"fghi…"}));
  EXPECT_EQ(limit_lines({U"ab", U"cd", U"ef"}, 2, 5), (Lines{U"ab", U"cd…"}));
  EXPECT_EQ(limit_lines({U"ab", U"cdef g", U"hi"}, 2, 6), (Lines{U"ab", U"cdef…"}));
  EXPECT_EQ(limit_lines({U"ab", U"cd"}, 0, 5), (Lines{U"ab…"}));  // at least one line
}

TEST(LimitLines, LongPromptWrapsAndTruncatesToTheBox) {
  std::u32string prompt;
  for (int i = 0; i < 100; ++i) prompt += U"слово ";
  auto lines = limit_lines(wrap_text(prompt, 20), 4, 20);
  ASSERT_EQ(lines.size(), 4u);
  for (const auto& line : lines) EXPECT_LE(line.size(), 20u);
  EXPECT_EQ(lines[0], U"слово слово слово");
  EXPECT_EQ(lines.back(), U"слово слово слово…");
}

}  // namespace
}  // namespace kb::media
