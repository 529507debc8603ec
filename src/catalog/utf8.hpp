// Small UTF-8 helpers: text limits are counted in Unicode code points, as people count characters.
#pragma once

#include <cstddef>
#include <string_view>

namespace kb::catalog {

// Code points in valid UTF-8 (continuation bytes 10xxxxxx are not counted).
inline std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// The first code points of `text`, never cutting a character in half.
inline std::string_view first_code_points(std::string_view text, std::size_t count) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == count) return text.substr(0, i);
      ++seen;
    }
  }
  return text;
}

}  // namespace kb::catalog
