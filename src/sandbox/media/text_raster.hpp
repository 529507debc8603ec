// Drawing captions on RGB images: scaled glyphs of the bitmap font on a darkened band, so white
// text stays readable on any background. Pure logic on a pixel buffer.
#pragma once

#include <optional>
#include <string_view>

#include "sandbox/media/rgb_image.hpp"

namespace kb::media {

inline constexpr Rgb kCaptionTextColor{255, 255, 255};

// How a caption fits an image of a given size.
struct CaptionLayout {
  int scale{1};      // each font pixel becomes scale x scale image pixels
  int columns{1};    // characters per line
  int max_lines{1};  // lines that fit in the lower half of the image
  int margin{0};     // image pixels left free at the sides
  int padding{0};    // image pixels above and below the text inside the band
};

// The largest integer scale at which at least 14 characters fit a line and at least 3 lines fit
// half the height (at least 1), and what follows from it.
CaptionLayout caption_layout(int width, int height);

// Draws one line of characters (no wrapping), its top-left corner at (x, y), clipped to the image.
void draw_text_line(RgbImage& image, std::u32string_view line, int x, int y, int scale, Rgb color);

struct Rect {
  int x{0};
  int y{0};
  int width{0};
  int height{0};
};

// Wraps the UTF-8 `text` to the image, darkens a full-width band at the bottom and draws the lines
// centred on it in kCaptionTextColor. Returns the band; nothing is drawn (nullopt) when the text
// has nothing to show or the image is empty.
std::optional<Rect> draw_caption(RgbImage& image, std::string_view text);

}  // namespace kb::media
