// Caption drawing: exact glyph pixels, scaling, clipping, the layout per image size and the band.
#include "sandbox/media/text_raster.hpp"

#include <gtest/gtest.h>

#include "sandbox/media/bitmap_font.hpp"

namespace kb::media {
namespace {

constexpr Rgb kBlack{0, 0, 0};
constexpr Rgb kWhite{255, 255, 255};

// A busy light background: caption pixels must stand out against it.
RgbImage stripes(int width, int height) {
  RgbImage image(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      image.set(x, y,
                {static_cast<unsigned char>(150 + x % 100), static_cast<unsigned char>(200),
                 static_cast<unsigned char>(120 + y % 100)});
  return image;
}

int count_white(const RgbImage& image, int from_y = 0) {
  int n = 0;
  for (int y = from_y; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) n += image.at(x, y) == kWhite;
  return n;
}

TEST(TextRaster, DrawsExactlyTheGlyphPixels) {
  RgbImage image(10, 12, kBlack);
  draw_text_line(image, U"A", 1, 2, 1, kWhite);
  const auto& a = glyph_for(U'A');
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      EXPECT_EQ(image.at(x, y), glyph_pixel(a, x - 1, y - 2) ? kWhite : kBlack) << x << "," << y;
  EXPECT_EQ(count_white(image), 18);
}

TEST(TextRaster, ScalesEachFontPixelToASquare) {
  RgbImage image(3 * kGlyphWidth, 3 * kGlyphHeight, kBlack);
  draw_text_line(image, U"Ж", 0, 0, 3, kWhite);
  const auto& zhe = glyph_for(U'Ж');
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      EXPECT_EQ(image.at(x, y), glyph_pixel(zhe, x / 3, y / 3) ? kWhite : kBlack) << x << "," << y;
}

TEST(TextRaster, AdvancesOneCellPerCharacterAndClipsAtTheEdges) {
  RgbImage image(2 * kGlyphAdvance, kGlyphHeight, kBlack);
  draw_text_line(image, U"II", 0, 0, 1, kWhite);
  for (int y = 0; y < kGlyphHeight; ++y)
    for (int x = 0; x < kGlyphAdvance; ++x)
      EXPECT_EQ(image.at(x, y), image.at(x + kGlyphAdvance, y)) << x << "," << y;

  RgbImage small(4, 4, kBlack);
  draw_text_line(small, U"WWWWWWWW", -3, -5, 2, kWhite);  // partly outside on every side
  EXPECT_GT(count_white(small), 0);
}

TEST(CaptionLayout, ReadableOnSampleSizes) {
  auto square = caption_layout(256, 256);
  EXPECT_EQ(square.scale, 2);
  EXPECT_EQ(square.columns, 20);
  EXPECT_EQ(square.max_lines, 5);
  EXPECT_EQ(caption_layout(512, 512).scale, 5);
  auto wide = caption_layout(341, 192);
  EXPECT_GE(wide.max_lines, 3);
  EXPECT_GE(wide.columns, 14);
  auto tiny = caption_layout(8, 8);
  EXPECT_EQ(tiny.scale, 1);
  EXPECT_GE(tiny.columns, 1);
  EXPECT_GE(tiny.max_lines, 1);
  for (auto [w, h] : {std::pair{256, 256}, {341, 192}, {192, 341}, {512, 128}}) {
    auto l = caption_layout(w, h);
    // A full line fits between the margins.
    EXPECT_LE(l.columns * kGlyphAdvance * l.scale - l.scale, w - 2 * l.margin) << w << "x" << h;
  }
}

TEST(DrawCaption, WhiteTextOnADarkBandAtTheBottom) {
  const auto before = stripes(256, 256);
  auto image = before;
  auto band = draw_caption(image, "a red fox in the snow");
  ASSERT_TRUE(band);
  EXPECT_EQ(band->x, 0);
  EXPECT_EQ(band->width, 256);
  EXPECT_EQ(band->y + band->height, 256);
  EXPECT_LE(band->height, 128);
  EXPECT_EQ(count_white(before), 0);
  EXPECT_GT(count_white(image, band->y), 100);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      auto was = before.at(x, y), now = image.at(x, y);
      if (y < band->y) {
        ASSERT_EQ(now, was) << "changed above the band at " << x << "," << y;
      } else if (now != kWhite) {
        ASSERT_LE(now.r, 90);  // the backing: dark enough for white text on any background
        ASSERT_LE(now.g, 90);
        ASSERT_LE(now.b, 90);
      }
    }
  }
}

TEST(DrawCaption, NothingToShowLeavesTheImageAlone) {
  const auto before = stripes(64, 64);
  for (const char* text : {"", "   ", "\n\t"}) {
    auto image = before;
    EXPECT_FALSE(draw_caption(image, text));
    EXPECT_EQ(image.pixels, before.pixels);
  }
  RgbImage empty;
  EXPECT_FALSE(draw_caption(empty, "text"));
}

TEST(DrawCaption, LongPromptsStayInTheLowerHalf) {
  std::string prompt;
  for (int i = 0; i < 200; ++i) prompt += "очень длинное описание ";
  auto image = stripes(256, 256);
  auto band = draw_caption(image, prompt);
  ASSERT_TRUE(band);
  EXPECT_GE(band->y, 128);
  const auto l = caption_layout(256, 256);
  EXPECT_EQ(band->height, l.max_lines * kLineAdvance * l.scale - 2 * l.scale + 2 * l.padding);
}

TEST(DrawCaption, InvalidUtf8DrawsPlaceholderBoxes) {
  auto bad = stripes(128, 128);
  auto replaced = bad;
  ASSERT_TRUE(draw_caption(bad, "x\xFF\xC0\xAF"));
  ASSERT_TRUE(draw_caption(replaced, "x\xEF\xBF\xBD\xEF\xBF\xBD"));  // "x" + U+FFFD twice
  EXPECT_EQ(bad.pixels, replaced.pixels);
  auto plain = stripes(128, 128);
  ASSERT_TRUE(draw_caption(plain, "x"));
  EXPECT_GT(count_white(bad), count_white(plain));  // the boxes are drawn, not skipped
}

TEST(DrawCaption, OddSizesDoNotBreak) {
  for (auto [w, h] : {std::pair{1, 1}, {3, 200}, {200, 3}, {7, 7}}) {
    auto image = stripes(w, h);
    auto band = draw_caption(image, "Привет, мир! Hello, world!");
    ASSERT_TRUE(band) << w << "x" << h;
    EXPECT_LE(band->height, h);
    EXPECT_EQ(image.pixels.size(), static_cast<std::size_t>(w) * h * 3);
  }
}

}  // namespace
}  // namespace kb::media
