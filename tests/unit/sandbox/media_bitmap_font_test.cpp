// The caption font: coverage of ASCII and Cyrillic, distinct shapes, the placeholder box.
#include "sandbox/media/bitmap_font.hpp"

#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace kb::media {
namespace {

bool blank(const GlyphRows& g) {
  for (auto row : g)
    if (row != 0) return false;
  return true;
}

std::vector<char32_t> cyrillic_upper() {
  std::vector<char32_t> out{U'Ё'};
  for (char32_t c = U'А'; c <= U'Я'; ++c) out.push_back(c);
  return out;
}

std::vector<char32_t> cyrillic_lower() {
  std::vector<char32_t> out{U'ё'};
  for (char32_t c = U'а'; c <= U'я'; ++c) out.push_back(c);
  return out;
}

TEST(BitmapFont, CoversPrintableAsciiWithDistinctGlyphs) {
  std::set<GlyphRows> shapes;
  for (char32_t c = 0x21; c <= 0x7E; ++c) {
    const auto* g = find_glyph(c);
    ASSERT_NE(g, nullptr) << "U+" << std::hex << static_cast<unsigned>(c);
    EXPECT_FALSE(blank(*g)) << static_cast<char>(c);
    EXPECT_NE(*g, placeholder_glyph()) << static_cast<char>(c);
    shapes.insert(*g);
  }
  EXPECT_EQ(shapes.size(), 0x7Eu - 0x21u + 1);
  ASSERT_NE(find_glyph(U' '), nullptr);
  EXPECT_TRUE(blank(*find_glyph(U' ')));
}

TEST(BitmapFont, CoversAll66CyrillicLetters) {
  auto upper = cyrillic_upper();
  auto lower = cyrillic_lower();
  ASSERT_EQ(upper.size() + lower.size(), 66u);
  for (const auto* letters : {&upper, &lower}) {
    std::set<GlyphRows> shapes;
    for (char32_t c : *letters) {
      const auto* g = find_glyph(c);
      ASSERT_NE(g, nullptr) << "U+" << std::hex << static_cast<unsigned>(c);
      EXPECT_FALSE(blank(*g)) << "U+" << std::hex << static_cast<unsigned>(c);
      EXPECT_NE(*g, placeholder_glyph()) << "U+" << std::hex << static_cast<unsigned>(c);
      shapes.insert(*g);
    }
    EXPECT_EQ(shapes.size(), 33u) << "two letters of one case look the same";
  }
  // Letters with diacritics differ from their bases.
  EXPECT_NE(*find_glyph(U'Ё'), *find_glyph(U'Е'));
  EXPECT_NE(*find_glyph(U'й'), *find_glyph(U'и'));
}

TEST(BitmapFont, CharactersWithoutAGlyphGetTheVisiblePlaceholder) {
  for (char32_t c : {U'\u4E2D', U'\uFFFD', U'\U0001F600', char32_t{0x07}, char32_t{0x110000}}) {
    EXPECT_EQ(find_glyph(c), nullptr);
    EXPECT_EQ(glyph_for(c), placeholder_glyph());
  }
  EXPECT_FALSE(blank(placeholder_glyph()));
  EXPECT_EQ(glyph_for(U'A'), *find_glyph(U'A'));
  EXPECT_NE(find_glyph(U'…'), nullptr);
  EXPECT_NE(find_glyph(U'«'), nullptr);
}

TEST(BitmapFont, PixelsFollowTheRowBits) {
  const auto& a = *find_glyph(U'A');  // .###. on top, #####  across row 3
  EXPECT_FALSE(glyph_pixel(a, 0, 0));
  EXPECT_TRUE(glyph_pixel(a, 1, 0));
  EXPECT_TRUE(glyph_pixel(a, 3, 0));
  EXPECT_FALSE(glyph_pixel(a, 4, 0));
  for (int x = 0; x < kGlyphWidth; ++x) EXPECT_TRUE(glyph_pixel(a, x, 3));
  EXPECT_FALSE(glyph_pixel(a, -1, 3));
  EXPECT_FALSE(glyph_pixel(a, kGlyphWidth, 3));
  EXPECT_FALSE(glyph_pixel(a, 0, kGlyphHeight));
  // Descenders use the rows below the baseline.
  EXPECT_NE((*find_glyph(U'g'))[7], 0);
  EXPECT_NE((*find_glyph(U'Щ'))[7], 0);
}

}  // namespace
}  // namespace kb::media
