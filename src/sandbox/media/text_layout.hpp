// Turning a UTF-8 prompt into caption lines: tolerant decoding, word wrapping by character count,
// and truncation with an ellipsis. Pure logic (the font is fixed-width, so columns are characters).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb::media {

inline constexpr char32_t kReplacementChar = U'\uFFFD';
inline constexpr char32_t kEllipsis = U'\u2026';

// Decodes UTF-8. Each malformed piece (stray continuation byte, truncated sequence, overlong form,
// surrogate, code point above U+10FFFF) becomes one U+FFFD and decoding goes on after it.
std::u32string decode_utf8(std::string_view text);

// Lines of at most `columns` characters (at least 1), broken at spaces; a word longer than a line
// is cut. A newline ends a line; other whitespace and control characters count as spaces; runs of
// spaces and empty lines are dropped. Empty when the text has nothing to show.
std::vector<std::u32string> wrap_text(std::u32string_view text, int columns);

// At most `max_lines` (at least 1) lines. When lines are dropped the last kept line ends with "…",
// shortened so that it still fits in `columns`.
std::vector<std::u32string> limit_lines(std::vector<std::u32string> lines, int max_lines,
                                        int columns);

}  // namespace kb::media
