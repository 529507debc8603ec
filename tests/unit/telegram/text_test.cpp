// HTML escaping, UTF-16 lengths, the splitter and HTML → plain text.
#include <gtest/gtest.h>

#include "telegram/text.hpp"

namespace kb::telegram {
namespace {

TEST(Text, EscapeHtml) {
  EXPECT_EQ(escape_html("a < b && c > \"d\""), "a &lt; b &amp;&amp; c &gt; &quot;d&quot;");
  EXPECT_EQ(escape_html("Привет 👋"), "Привет 👋");
}

TEST(Text, Utf16Length) {
  EXPECT_EQ(utf16_length(""), 0u);
  EXPECT_EQ(utf16_length("abc"), 3u);
  EXPECT_EQ(utf16_length("Привет"), 6u);  // 2 bytes each in UTF-8, 1 unit each
  EXPECT_EQ(utf16_length("👋"), 2u);       // astral: a surrogate pair
  EXPECT_EQ(utf16_length("a\xff"), 2u);   // an invalid byte counts as one
}

TEST(Text, HtmlVisibleLength) {
  EXPECT_EQ(html_visible_length("<b>bold</b> &amp; <a href=\"https://x.y\">link</a>"), 11u);
  EXPECT_EQ(html_visible_length("&#128075;"), 2u);
  EXPECT_EQ(html_visible_length("1 < 2"), 5u);  // a lone '<' is a character
}

TEST(Text, ShortTextIsOnePart) {
  auto parts = split_text("hello world", 4096);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0], "hello world");
  EXPECT_TRUE(split_text("   \n  ", 4096).empty());
}

TEST(Text, SplitsAtParagraphsFirst) {
  std::string a(30, 'a'), b(30, 'b'), c(30, 'c');
  auto parts = split_text(a + "\n\n" + b + " " + c, 70);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], a);
  EXPECT_EQ(parts[1], b + " " + c);
}

TEST(Text, SplitsAtLinesThenSpacesThenAnywhere) {
  auto lines = split_text("aaaa bbbb\ncccc dddd eeee", 15);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "aaaa bbbb");
  EXPECT_EQ(lines[1], "cccc dddd eeee");

  auto spaces = split_text("aaaa bbbb cccc dddd", 12);
  ASSERT_EQ(spaces.size(), 2u);
  EXPECT_EQ(spaces[0], "aaaa bbbb");
  EXPECT_EQ(spaces[1], "cccc dddd");

  auto hard = split_text(std::string(25, 'x'), 10);
  ASSERT_EQ(hard.size(), 3u);
  EXPECT_EQ(hard[0], std::string(10, 'x'));
  EXPECT_EQ(hard[2], std::string(5, 'x'));
}

TEST(Text, NeverCutsACharacterAndCountsUtf16) {
  std::string emoji;
  for (int i = 0; i < 5; ++i) emoji += "👋";  // 10 units
  auto parts = split_text(emoji, 3);
  ASSERT_EQ(parts.size(), 5u);  // a pair never straddles a cut
  for (const auto& p : parts) EXPECT_EQ(p, "👋");
  for (const auto& p : split_text(std::string(5000, 'x') + "Привет мир", kMaxMessageText))
    EXPECT_LE(utf16_length(p), kMaxMessageText);
}

TEST(Text, HtmlFormattingIsClosedAndReopenedAcrossParts) {
  auto parts = split_text("<b>aaaa bbbb cccc</b> dddd", 10, true);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "<b>aaaa bbbb</b>");
  EXPECT_EQ(parts[1], "<b>cccc</b> dddd");
}

TEST(Text, HtmlTagsAndEntitiesAreNeverCut) {
  auto parts =
      split_text("<a href=\"https://example.com/very/long\">x</a> &amp;&amp;&amp;&amp;", 3, true);
  for (const auto& p : parts) {
    EXPECT_LE(html_visible_length(p), 3u) << p;
    EXPECT_EQ(std::count(p.begin(), p.end(), '<'), std::count(p.begin(), p.end(), '>')) << p;
    EXPECT_EQ(p.find("&am") == std::string::npos || p.find("&amp;") != std::string::npos, true)
        << p;
  }
  std::string joined;
  for (const auto& p : parts) joined += html_to_plain(p);
  EXPECT_EQ(joined, "x&&&&");
}

TEST(Text, NestedTagsReopenInOrder) {
  auto parts = split_text("<b><i>one two three</i></b>", 8, true);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "<b><i>one two</i></b>");
  EXPECT_EQ(parts[1], "<b><i>three</i></b>");
}

TEST(Text, HtmlToPlain) {
  EXPECT_EQ(html_to_plain("<b>Hi</b> &lt;there&gt; &amp; &quot;you&quot; &#128075; &#x41;"),
            "Hi <there> & \"you\" 👋 A");
  EXPECT_EQ(html_to_plain("1 < 2 & 3"), "1 < 2 & 3");
  EXPECT_EQ(html_to_plain("<p>unsupported tag</p>"), "unsupported tag");
}

TEST(Text, Truncate) {
  EXPECT_EQ(truncate_text("short", 200), "short");
  auto cut = truncate_text(std::string(300, 'a'), 200);
  EXPECT_EQ(utf16_length(cut), 200u);
  EXPECT_EQ(cut.substr(cut.size() - 3), "\u2026");
  EXPECT_EQ(truncate_text("👋👋👋", 4), "👋\u2026");
}

}  // namespace
}  // namespace kb::telegram
