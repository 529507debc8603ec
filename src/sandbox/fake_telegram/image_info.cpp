// Image header sniffing.
#include "sandbox/fake_telegram/image_info.hpp"

#include <algorithm>
#include <cstdint>

namespace kb::sandbox::tg {
namespace {

std::uint32_t be16(std::string_view b, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 8) |
         static_cast<unsigned char>(b[at + 1]);
}
std::uint32_t be32(std::string_view b, std::size_t at) {
  return (be16(b, at) << 16) | be16(b, at + 2);
}
std::uint32_t le16(std::string_view b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8);
}
std::uint32_t le24(std::string_view b, std::size_t at) {
  return le16(b, at) | (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16);
}
std::uint32_t le32(std::string_view b, std::size_t at) {
  return le16(b, at) | (le16(b, at + 2) << 16);
}

std::optional<ImageSize> valid(std::int64_t w, std::int64_t h) {
  if (w <= 0 || h <= 0 || w > 100000 || h > 100000) return std::nullopt;
  return ImageSize{static_cast<int>(w), static_cast<int>(h)};
}

std::optional<ImageSize> jpeg(std::string_view b) {
  std::size_t pos = 2;
  while (pos + 4 <= b.size()) {
    if (static_cast<unsigned char>(b[pos]) != 0xFF) return std::nullopt;
    auto marker = static_cast<unsigned char>(b[pos + 1]);
    if (marker == 0xFF) {
      ++pos;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      pos += 2;
      continue;
    }
    auto length = be16(b, pos + 2);
    bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (pos + 9 > b.size()) return std::nullopt;
      return valid(be16(b, pos + 7), be16(b, pos + 5));
    }
    pos += 2 + length;
  }
  return std::nullopt;
}

ImageSize fit(ImageSize s, int box) {
  if (s.width <= box && s.height <= box) return s;
  double scale = static_cast<double>(box) / std::max(s.width, s.height);
  return ImageSize{std::max(1, static_cast<int>(s.width * scale + 0.5)),
                   std::max(1, static_cast<int>(s.height * scale + 0.5))};
}

}  // namespace

std::optional<ImageSize> image_dimensions(std::string_view b) {
  if (b.size() >= 24 && b.substr(0, 8) == "\x89PNG\r\n\x1a\n" && b.substr(12, 4) == "IHDR")
    return valid(be32(b, 16), be32(b, 20));
  if (b.size() >= 4 && static_cast<unsigned char>(b[0]) == 0xFF &&
      static_cast<unsigned char>(b[1]) == 0xD8)
    return jpeg(b);
  if (b.size() >= 10 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a"))
    return valid(le16(b, 6), le16(b, 8));
  if (b.size() >= 30 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") {
    auto chunk = b.substr(12, 4);
    if (chunk == "VP8X") return valid(le24(b, 24) + 1, le24(b, 27) + 1);
    if (chunk == "VP8 ") return valid(le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
    if (chunk == "VP8L" && b.size() >= 25) {
      auto bits = le32(b, 21);
      return valid((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    }
    return std::nullopt;
  }
  if (b.size() >= 26 && b.substr(0, 2) == "BM") {
    auto w = static_cast<std::int32_t>(le32(b, 18));
    auto h = static_cast<std::int32_t>(le32(b, 22));
    return valid(w, h < 0 ? -static_cast<std::int64_t>(h) : h);
  }
  return std::nullopt;
}

std::vector<ImageSize> photo_sizes(ImageSize original) {
  std::vector<ImageSize> sizes;
  auto largest = fit(original, 2560);
  for (int box : {90, 320, 800, 1280}) {
    if (std::max(largest.width, largest.height) > box) sizes.push_back(fit(largest, box));
  }
  sizes.push_back(largest);
  return sizes;
}

bool photo_dimensions_valid(ImageSize s) {
  if (s.width + s.height > 10000) return false;
  auto longer = std::max(s.width, s.height), shorter = std::min(s.width, s.height);
  return shorter > 0 && longer <= 20 * shorter;
}

}  // namespace kb::sandbox::tg
