// PNG encoding without zlib: the image data is wrapped in stored (uncompressed) deflate blocks,
// which every decoder accepts; the samples are small, so size does not matter.
#include "sandbox/media/png_encoder.hpp"

#include <array>

namespace kb::media {
namespace {

std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

void put_u32_be(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

void put_chunk(std::string& out, std::string_view type, std::string_view data) {
  put_u32_be(out, static_cast<std::uint32_t>(data.size()));
  std::string typed(type);
  typed.append(data);
  out.append(typed);
  put_u32_be(out, crc32(typed));  // the CRC covers the type and the data, not the length
}

// zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4), at most 65535 bytes each.
std::string zlib_stored(std::string_view raw) {
  std::string out;
  out.push_back(static_cast<char>(0x78));  // CM=8 (deflate), CINFO=7 (32 KiB window)
  out.push_back(static_cast<char>(0x01));  // FLEVEL=0; 0x7801 is a multiple of 31 (FCHECK)
  std::size_t pos = 0;
  do {
    std::size_t len = std::min<std::size_t>(65535, raw.size() - pos);
    bool final = pos + len == raw.size();
    out.push_back(static_cast<char>(final ? 1 : 0));  // BFINAL, BTYPE=00
    auto n = static_cast<std::uint16_t>(len);
    auto nn = static_cast<std::uint16_t>(~n);
    out.push_back(static_cast<char>(n & 0xFF));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(nn & 0xFF));
    out.push_back(static_cast<char>(nn >> 8));
    out.append(raw.substr(pos, len));
    pos += len;
  } while (pos < raw.size());
  put_u32_be(out, adler32(raw));
  return out;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t previous) {
  static const auto table = make_crc_table();
  std::uint32_t c = previous ^ 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::uint32_t adler32(std::string_view bytes) {
  constexpr std::uint32_t kMod = 65521;
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : bytes) {
    a = (a + c) % kMod;
    b = (b + a) % kMod;
  }
  return (b << 16) | a;
}

std::string encode_png_rgb(std::uint32_t width, std::uint32_t height, std::string_view rgb) {
  if (width == 0 || height == 0) return {};
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  if (rgb.size() != row * height) return {};

  std::string raw;
  raw.reserve((row + 1) * height);
  for (std::uint32_t y = 0; y < height; ++y) {
    raw.push_back('\0');  // filter type 0 (None) for every scanline
    raw.append(rgb.substr(y * row, row));
  }

  std::string ihdr;
  put_u32_be(ihdr, width);
  put_u32_be(ihdr, height);
  ihdr.push_back(8);  // bit depth
  ihdr.push_back(2);  // colour type: truecolour (RGB)
  ihdr.push_back(0);  // compression: deflate
  ihdr.push_back(0);  // filter method 0
  ihdr.push_back(0);  // no interlace

  std::string png("\x89PNG\r\n\x1a\n", 8);
  put_chunk(png, "IHDR", ihdr);
  put_chunk(png, "IDAT", zlib_stored(raw));
  put_chunk(png, "IEND", {});
  return png;
}

}  // namespace kb::media
