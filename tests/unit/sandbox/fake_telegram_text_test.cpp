// Text processing of the fake Bot API: HTML parse mode, entities, UTF-16 lengths, trimming.
#include <gtest/gtest.h>

#include "sandbox/fake_telegram/text_format.hpp"

namespace kb::sandbox::tg {
namespace {

Json entity(int offset, int length, const char* type) {
  Json e;
  e["offset"] = offset;
  e["length"] = length;
  e["type"] = type;
  return e;
}

TEST(FakeTelegramText, Utf16LengthCountsSurrogatePairs) {
  EXPECT_EQ(utf16_length("abc"), 3u);
  EXPECT_EQ(utf16_length("привет"), 6u);
  EXPECT_EQ(utf16_length("🙂"), 2u);
  EXPECT_EQ(utf16_length("a🙂b"), 4u);
}

TEST(FakeTelegramText, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("héllo 🙂"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
}

TEST(FakeTelegramText, HtmlBecomesTextAndEntities) {
  auto r = parse_html(
      "<b>Hi</b> <i>there</i> &lt;3 &amp; <a href=\"https://x.io/?a=1&amp;b=2\">link</a>");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->text, "Hi there <3 & link");
  ASSERT_EQ(r->entities.size(), 3u);
  EXPECT_EQ(r->entities[0], entity(0, 2, "bold"));
  EXPECT_EQ(r->entities[1], entity(3, 5, "italic"));
  EXPECT_EQ(r->entities[2]["type"], "text_link");
  EXPECT_EQ(r->entities[2]["url"], "https://x.io/?a=1&b=2");
  EXPECT_EQ(r->entities[2]["offset"], 14);
}

TEST(FakeTelegramText, HtmlOffsetsAreUtf16) {
  auto r = parse_html("🙂 <b>ok</b>");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->entities[0], entity(3, 2, "bold"));
}

TEST(FakeTelegramText, HtmlPreWithLanguageAndNesting) {
  auto r = parse_html("<pre><code class=\"language-python\">x = 1</code></pre><b>a<i>b</i></b>");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "x = 1ab");
  ASSERT_EQ(r->entities.size(), 3u);
  EXPECT_EQ(r->entities[0]["type"], "pre");
  EXPECT_EQ(r->entities[0]["language"], "python");
  EXPECT_EQ(r->entities[1], entity(5, 2, "bold"));
  EXPECT_EQ(r->entities[2], entity(6, 1, "italic"));
}

TEST(FakeTelegramText, HtmlSpoilersQuotesAndNumericEntities) {
  auto r = parse_html(
      "<span class=\"tg-spoiler\">s</span><tg-spoiler>t</tg-spoiler>"
      "<blockquote expandable>q</blockquote>&#65;&#x42;&nbsp;");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "stqAB&nbsp;");
  EXPECT_EQ(r->entities[0]["type"], "spoiler");
  EXPECT_EQ(r->entities[1]["type"], "spoiler");
  EXPECT_EQ(r->entities[2]["type"], "expandable_blockquote");
}

TEST(FakeTelegramText, HtmlErrorsUseTheServerTexts) {
  auto unsupported = parse_html("<p>x</p>");
  ASSERT_FALSE(unsupported);
  EXPECT_EQ(unsupported.error().message, "Unsupported start tag \"p\" at byte offset 0");
  auto unmatched = parse_html("<b>x</i>");
  ASSERT_FALSE(unmatched);
  EXPECT_EQ(unmatched.error().message,
            "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"");
  auto unclosed = parse_html("a <b>x");
  ASSERT_FALSE(unclosed);
  EXPECT_EQ(unclosed.error().message, "Can't find end tag corresponding to start tag \"b\"");
  auto unexpected = parse_html("x</b>");
  ASSERT_FALSE(unexpected);
  EXPECT_EQ(unexpected.error().message, "Unexpected end tag at byte offset 1");
  auto open_tag = parse_html("a <b");
  ASSERT_FALSE(open_tag);
  EXPECT_EQ(open_tag.error().message, "Unclosed start tag at byte offset 2");
  auto span = parse_html("<span>x</span>");
  ASSERT_FALSE(span);
  EXPECT_EQ(span.error().message, "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0");
}

TEST(FakeTelegramText, FormatTextTrimsAndDetectsEntities) {
  auto r = format_text("  /start ref_1 see https://example.com/a. @alice_m \n", "", std::nullopt);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "/start ref_1 see https://example.com/a. @alice_m");
  ASSERT_EQ(r->entities.size(), 3u);
  EXPECT_EQ(r->entities[0], entity(0, 6, "bot_command"));
  EXPECT_EQ(r->entities[1], entity(17, 21, "url"));
  EXPECT_EQ(r->entities[2], entity(40, 8, "mention"));
}

TEST(FakeTelegramText, FormatTextTrimMovesHtmlEntities) {
  auto r = format_text("\n <b>bold</b> ", "HTML", std::nullopt);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "bold");
  EXPECT_EQ(r->entities[0], entity(0, 4, "bold"));
}

TEST(FakeTelegramText, FormatTextErrors) {
  auto mode = format_text("x", "Textile", std::nullopt);
  ASSERT_FALSE(mode);
  EXPECT_EQ(mode.error().message, "unsupported parse_mode");
  auto html = format_text("<x>", "html", std::nullopt);
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().message,
            "can't parse entities: Unsupported start tag \"x\" at byte offset 0");
  EXPECT_FALSE(format_text("\xff", "", std::nullopt));
}

TEST(FakeTelegramText, ExplicitEntitiesAreKept) {
  auto r = format_text("hello", "", std::string(R"([{"type":"bold","offset":0,"length":5}])"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->entities.size(), 1u);
  EXPECT_EQ(r->entities[0]["type"], "bold");
  EXPECT_FALSE(format_text("hello", "", std::string("not json")));
}

}  // namespace
}  // namespace kb::sandbox::tg
