// Caption drawing: layout by image size, glyph blitting and the darkened backing band.
#include "sandbox/media/text_raster.hpp"

#include <algorithm>

#include "sandbox/media/bitmap_font.hpp"
#include "sandbox/media/text_layout.hpp"

namespace kb::media {
namespace {

constexpr int kMinColumns = 14;
constexpr int kMinLines = 3;
constexpr int kMaxScale = 8;

// Keeps 35% of the background: even a white gradient ends at most at 89/255 behind white text.
Rgb darkened(Rgb c) {
  auto dim = [](unsigned char v) { return static_cast<unsigned char>(v * 7 / 20); };
  return {dim(c.r), dim(c.g), dim(c.b)};
}

// Width in image pixels of `chars` characters, without the blank column after the last one.
int text_width(std::size_t chars, int scale) {
  if (chars == 0) return 0;
  return (static_cast<int>(chars) * kGlyphAdvance - (kGlyphAdvance - kGlyphWidth)) * scale;
}

}  // namespace

CaptionLayout caption_layout(int width, int height) {
  CaptionLayout l;
  const int by_width = (width - 2 * kGlyphAdvance) / (kMinColumns * kGlyphAdvance);
  const int by_height = height / 2 / (kMinLines * kLineAdvance);
  l.scale = std::clamp(std::min(by_width, by_height), 1, kMaxScale);
  l.margin = kGlyphAdvance * l.scale / 2;
  l.padding = 2 * l.scale;
  // The last character needs no blank column after it.
  const int room = width - 2 * l.margin + (kGlyphAdvance - kGlyphWidth) * l.scale;
  l.columns = std::max(1, room / (kGlyphAdvance * l.scale));
  l.max_lines = std::max(1, (height / 2 - 2 * l.padding) / (kLineAdvance * l.scale));
  return l;
}

void draw_text_line(RgbImage& image, std::u32string_view line, int x, int y, int scale, Rgb color) {
  scale = std::max(scale, 1);
  int pen = x;
  for (char32_t c : line) {
    const auto& glyph = glyph_for(c);
    for (int gy = 0; gy < kGlyphHeight; ++gy) {
      for (int gx = 0; gx < kGlyphWidth; ++gx) {
        if (!glyph_pixel(glyph, gx, gy)) continue;
        for (int dy = 0; dy < scale; ++dy) {
          for (int dx = 0; dx < scale; ++dx) {
            const int px = pen + gx * scale + dx;
            const int py = y + gy * scale + dy;
            if (image.contains(px, py)) image.set(px, py, color);
          }
        }
      }
    }
    pen += kGlyphAdvance * scale;
  }
}

std::optional<Rect> draw_caption(RgbImage& image, std::string_view text) {
  if (image.width <= 0 || image.height <= 0) return std::nullopt;
  const auto layout = caption_layout(image.width, image.height);
  auto lines =
      limit_lines(wrap_text(decode_utf8(text), layout.columns), layout.max_lines, layout.columns);
  if (lines.empty()) return std::nullopt;

  const int line_height = kLineAdvance * layout.scale;
  // The last line's two blank rows below the glyph cell are part of the padding instead.
  const int text_height =
      static_cast<int>(lines.size()) * line_height - (kLineAdvance - kGlyphHeight) * layout.scale;
  Rect band;
  band.width = image.width;
  band.height = std::min(image.height, text_height + 2 * layout.padding);
  band.y = image.height - band.height;
  for (int y = band.y; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) image.set(x, y, darkened(image.at(x, y)));

  int y = band.y + layout.padding;
  for (const auto& line : lines) {
    const int x = (image.width - text_width(line.size(), layout.scale)) / 2;
    draw_text_line(image, line, x, y, layout.scale, kCaptionTextColor);
    y += line_height;
  }
  return band;
}

}  // namespace kb::media
