// Our own 5x9 bitmap font (printable ASCII, Cyrillic А-я and Ёё, a few typographic marks) for the
// captions drawn on sample images.
#pragma once

#include <array>
#include <cstdint>

namespace kb::media {

inline constexpr int kGlyphWidth = 5;
// Rows 0-6 hold capitals and digits (the baseline is under row 6); rows 7-8 hold descenders.
inline constexpr int kGlyphHeight = 9;
inline constexpr int kGlyphAdvance = 6;  // one blank column between characters
inline constexpr int kLineAdvance = 11;  // two blank rows between lines

// One byte per row, top to bottom; bit 4 is the leftmost pixel, bit 0 the rightmost.
using GlyphRows = std::array<std::uint8_t, kGlyphHeight>;

// The glyph of a code point, or nullptr when the font has none.
const GlyphRows* find_glyph(char32_t code);
// Drawn for characters without a glyph: a hollow box, so a missing glyph is visible, not blank.
const GlyphRows& placeholder_glyph();
// find_glyph(code), else the placeholder.
const GlyphRows& glyph_for(char32_t code);
// Whether pixel (x, y) of a glyph is set; false outside the 5x9 cell.
bool glyph_pixel(const GlyphRows& glyph, int x, int y);

}  // namespace kb::media
