// UTF-8 decoding and caption line breaking.
#include "sandbox/media/text_layout.hpp"

#include <algorithm>

namespace kb::media {
namespace {

bool is_continuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

bool is_space_like(char32_t c) {
  return c == U' ' || c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0xA0 ||
         c == 0x2028 || c == 0x2029 || (c >= 0x2000 && c <= 0x200B) || c == 0x3000;
}

}  // namespace

std::u32string decode_utf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      out.push_back(lead);
      ++i;
      continue;
    }
    // Sequence length, payload bits of the lead byte, and the smallest code point that needs
    // this length (anything smaller is an overlong form).
    int extra = 0;
    char32_t code = 0;
    char32_t min = 0;
    if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      code = lead & 0x1F;
      min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      code = lead & 0x0F;
      min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      code = lead & 0x07;
      min = 0x10000;
    } else {  // a continuation byte without a lead, or 0xF8-0xFF
      out.push_back(kReplacementChar);
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    int got = 0;
    while (got < extra && j < text.size() && is_continuation(static_cast<unsigned char>(text[j]))) {
      code = (code << 6) | (static_cast<unsigned char>(text[j]) & 0x3F);
      ++j;
      ++got;
    }
    // A truncated sequence is replaced as a whole and the byte that interrupted it is decoded anew.
    const bool valid =
        got == extra && code >= min && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
    out.push_back(valid ? code : kReplacementChar);
    i = j;
  }
  return out;
}

std::vector<std::u32string> wrap_text(std::u32string_view text, int columns) {
  const auto width = static_cast<std::size_t>(std::max(columns, 1));
  std::vector<std::u32string> lines;
  std::u32string line;
  auto end_line = [&] {
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
  };
  auto add_word = [&](std::u32string_view word) {
    while (!word.empty()) {
      if (line.empty()) {
        const auto take = std::min(word.size(), width);
        line.assign(word.substr(0, take));
        word.remove_prefix(take);
        if (!word.empty()) end_line();  // the rest of a too long word goes on
      } else if (line.size() + 1 + word.size() <= width) {
        line.push_back(U' ');
        line.append(word);
        word = {};
      } else {
        end_line();
      }
    }
  };

  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == U'\n') {
      end_line();
      ++i;
    } else if (is_space_like(text[i])) {
      ++i;
    } else {
      std::size_t j = i;
      while (j < text.size() && text[j] != U'\n' && !is_space_like(text[j])) ++j;
      add_word(text.substr(i, j - i));
      i = j;
    }
  }
  end_line();
  return lines;
}

std::vector<std::u32string> limit_lines(std::vector<std::u32string> lines, int max_lines,
                                        int columns) {
  const auto keep = static_cast<std::size_t>(std::max(max_lines, 1));
  if (lines.size() <= keep) return lines;
  lines.resize(keep);
  auto& last = lines.back();
  const auto room = static_cast<std::size_t>(std::max(columns, 1)) - 1;  // one for the "…"
  if (last.size() > room) last.resize(room);
  while (!last.empty() && last.back() == U' ') last.pop_back();
  last.push_back(kEllipsis);
  return lines;
}

}  // namespace kb::media
