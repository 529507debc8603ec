// Internal: UTF-8 decoding one code point at a time and UTF-16 unit counting (Telegram measures
// lengths and entity offsets in UTF-16 code units). Invalid bytes decode as U+FFFD, one byte each.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kb::telegram::detail {

struct CodePoint {
  std::size_t bytes = 1;
  char32_t value = 0;
  bool valid = false;
};

inline CodePoint decode_utf8(std::string_view s, std::size_t pos) {
  auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) return {1, b0, true};
  std::size_t len = b0 >= 0xF0 && b0 < 0xF8 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 && b0 < 0xE0 ? 2 : 0;
  if (len == 0 || pos + len > s.size()) return {1, 0xFFFD, false};
  char32_t cp = len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t i = 1; i < len; ++i) {
    auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) return {1, 0xFFFD, false};
    cp = (cp << 6) | (b & 0x3F);
  }
  bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {1, 0xFFFD, false};
  return {len, cp, true};
}

inline std::size_t utf16_units(char32_t cp) {
  return cp >= 0x10000 ? 2 : 1;
}

inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace kb::telegram::detail
