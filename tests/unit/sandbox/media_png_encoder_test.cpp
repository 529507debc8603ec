// The PNG encoder: signature, IHDR, chunk CRCs, and pixels that survive inflate and unfiltering.
#include "sandbox/media/png_encoder.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <random>
#include <set>

#include "sandbox/media/sample_media.hpp"

namespace kb::media {
namespace {

std::uint32_t be32(std::string_view s, std::size_t at) {
  auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i]));
  };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

struct Chunk {
  std::string type;
  std::string data;
  std::uint32_t crc = 0;
};

// Splits a PNG file after its signature into chunks; fails the test on a truncated file.
std::vector<Chunk> chunks_of(const std::string& png) {
  std::vector<Chunk> out;
  std::size_t pos = 8;
  while (pos < png.size()) {
    EXPECT_LE(pos + 12, png.size());
    if (pos + 12 > png.size()) break;
    auto len = be32(png, pos);
    EXPECT_LE(pos + 12 + len, png.size());
    if (pos + 12 + len > png.size()) break;
    out.push_back({png.substr(pos + 4, 4), png.substr(pos + 8, len), be32(png, pos + 8 + len)});
    pos += 12 + len;
  }
  return out;
}

std::uint32_t crc_of(const std::string& bytes) {
  return static_cast<std::uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

int paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

struct Decoded {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::string rgb;
  std::set<int> filters;  // the filter types the scanlines used
};

// Decodes what encode_png_rgb writes (IHDR, one IDAT, IEND; 8-bit RGB, no interlace) with zlib's
// own inflate and the PNG spec's unfiltering (§9.2); fails the test on anything else.
Decoded decode(const std::string& png) {
  Decoded d;
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto chunks = chunks_of(png);
  EXPECT_EQ(chunks.size(), 3u);
  if (chunks.size() != 3) return d;
  EXPECT_EQ(chunks[0].type, "IHDR");
  EXPECT_EQ(chunks[1].type, "IDAT");
  EXPECT_EQ(chunks[2].type, "IEND");
  for (const auto& c : chunks) EXPECT_EQ(c.crc, crc_of(c.type + c.data)) << c.type;
  const auto& ihdr = chunks[0].data;
  EXPECT_EQ(ihdr.size(), 13u);
  if (ihdr.size() != 13) return d;
  EXPECT_EQ(ihdr.substr(8), std::string("\x08\x02\0\0\0", 5));  // 8-bit RGB, deflate, no interlace
  d.width = be32(ihdr, 0);
  d.height = be32(ihdr, 4);
  EXPECT_TRUE(chunks[2].data.empty());

  const std::size_t row = std::size_t{d.width} * 3;
  std::string raw((row + 1) * d.height + 1, '\0');  // one spare byte: catches surplus data
  uLongf raw_size = raw.size();
  const auto& z = chunks[1].data;
  EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_size,
                       reinterpret_cast<const Bytef*>(z.data()), z.size()),
            Z_OK);
  EXPECT_EQ(raw_size, (row + 1) * d.height);
  if (raw_size != (row + 1) * d.height) return d;

  d.rgb.assign(row * d.height, '\0');
  auto out = [&](std::size_t y, std::size_t i) -> int {
    return static_cast<unsigned char>(d.rgb[y * row + i]);
  };
  for (std::size_t y = 0; y < d.height; ++y) {
    const int filter = static_cast<unsigned char>(raw[y * (row + 1)]);
    d.filters.insert(filter);
    EXPECT_LE(filter, 4) << "row " << y;
    for (std::size_t i = 0; i < row; ++i) {
      const int a = i >= 3 ? out(y, i - 3) : 0;
      const int b = y > 0 ? out(y - 1, i) : 0;
      const int c = i >= 3 && y > 0 ? out(y - 1, i - 3) : 0;
      int predicted = 0;
      if (filter == 1) predicted = a;
      if (filter == 2) predicted = b;
      if (filter == 3) predicted = (a + b) / 2;
      if (filter == 4) predicted = paeth(a, b, c);
      d.rgb[y * row + i] =
          static_cast<char>(static_cast<unsigned char>(raw[y * (row + 1) + 1 + i]) + predicted);
    }
  }
  return d;
}

std::string noise(std::size_t bytes, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(bytes, '\0');
  for (auto& c : out) c = static_cast<char>(random() & 0xFF);
  return out;
}

TEST(PngEncoder, WritesSignatureIhdrAndKnownChunkCrcs) {
  auto png = encode_png_rgb(1, 1, std::string("\x10\x20\x30", 3));
  // IHDR of a 1x1 8-bit RGB image and IEND have well-known CRCs; checking them pins the CRC to
  // the type and data bytes independently of zlib.
  ASSERT_GE(png.size(), 8u + 25u + 12u);
  EXPECT_EQ(png.substr(8, 25), std::string("\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0"
                                           "\x90\x77\x53\xde",
                                           25));
  EXPECT_EQ(png.substr(png.size() - 12), std::string("\0\0\0\0IEND\xae\x42\x60\x82", 12));
}

TEST(PngEncoder, PixelsRoundTripForManySizes) {
  struct Case {
    std::uint32_t width, height;
  };
  for (auto [w, h] : {Case{1, 1}, Case{1, 7}, Case{7, 1}, Case{3, 2}, Case{5, 5}, Case{33, 17},
                      Case{255, 3}, Case{129, 64}}) {
    auto rgb = noise(std::size_t{w} * h * 3, w * 1000 + h);
    auto d = decode(encode_png_rgb(w, h, rgb));
    EXPECT_EQ(d.width, w);
    EXPECT_EQ(d.height, h);
    EXPECT_TRUE(d.rgb == rgb) << w << "x" << h;
  }
}

TEST(PngEncoder, GradientRoundTripsAndCompressesWell) {
  const std::uint32_t n = 256;
  std::string rgb;
  for (std::uint32_t y = 0; y < n; ++y)
    for (std::uint32_t x = 0; x < n; ++x)
      rgb += {static_cast<char>(x), static_cast<char>(y), static_cast<char>((x + y) / 2)};
  auto png = encode_png_rgb(n, n, rgb);
  auto d = decode(png);
  EXPECT_TRUE(d.rgb == rgb);
  EXPECT_LT(png.size(), 4u * 1024);  // 196 KB of pixels; stored blocks would keep them all
  EXPECT_FALSE(d.filters.contains(0)) << "a smooth gradient predicts better than raw bytes";
}

TEST(PngEncoder, EveryFilterTypeRoundTrips) {
  // Each row is built so that one filter predicts it best by the minimal-sum heuristic; the set
  // of filters the decoder meets shows that every filter path was taken and undone exactly.
  const std::size_t w = 64, row = w * 3;
  std::string rgb = noise(row, 7);
  auto add_row = [&](auto value_of) {  // value_of(i, left, above, above_left)
    const std::string above = rgb.substr(rgb.size() - row);
    std::string line(row, '\0');
    auto at = [](const std::string& s, std::size_t i) { return static_cast<unsigned char>(s[i]); };
    for (std::size_t i = 0; i < row; ++i)
      line[i] = static_cast<char>(
          value_of(i, i >= 3 ? at(line, i - 3) : 0, at(above, i), i >= 3 ? at(above, i - 3) : 0));
    rgb += line;
  };
  // Paeth: a first pixel unlike the one above, then what Paeth predicts (a copy of the row above
  // would make Up just as good).
  add_row([](std::size_t i, int a, int b, int c) { return i < 3 ? 128 : paeth(a, b, c); });
  add_row([](std::size_t i, int, int, int) { return i % 2 ? 1 : 255; });  // None: tiny bytes
  add_row([](std::size_t i, int, int, int) { return static_cast<int>(i * 5); });  // Sub: a ramp
  add_row([](std::size_t, int, int b, int) { return b; });              // Up: the row above
  add_row([](std::size_t, int a, int b, int) { return (a + b) / 2; });  // Average
  const auto height = static_cast<std::uint32_t>(rgb.size() / row);
  auto d = decode(encode_png_rgb(static_cast<std::uint32_t>(w), height, rgb));
  EXPECT_TRUE(d.rgb == rgb);
  EXPECT_EQ(d.filters, (std::set<int>{0, 1, 2, 3, 4}));
}

TEST(PngEncoder, RejectsWrongSizes) {
  EXPECT_TRUE(encode_png_rgb(0, 1, "").empty());
  EXPECT_TRUE(encode_png_rgb(1, 0, "").empty());
  EXPECT_TRUE(encode_png_rgb(2, 2, "abc").empty());
  EXPECT_TRUE(encode_png_rgb(1, 1, "abcd").empty());
}

TEST(SampleMedia, GradientDependsOnTheSeedOnly) {
  auto a = gradient_png("a cat on a sofa");
  EXPECT_EQ(a, gradient_png("a cat on a sofa"));
  EXPECT_NE(a, gradient_png("a dog on a sofa"));
  auto d = decode(a);
  EXPECT_EQ(d.width, 96u);
  EXPECT_EQ(d.height, 96u);
  EXPECT_TRUE(d.rgb == gradient_image("a cat on a sofa", 96, 96).pixels);
}

TEST(SampleMedia, CaptionedSamplePngDecodesToTheCaptionedImage) {
  auto sample = sample_for("image", "seed", {"a red fox jumps over the lazy dog at dawn", "1:1"});
  ASSERT_TRUE(sample);
  auto d = decode(sample->bytes);
  EXPECT_EQ(d.width, 256u);
  EXPECT_EQ(d.height, 256u);
  EXPECT_TRUE(
      d.rgb ==
      captioned_image("seed", "a red fox jumps over the lazy dog at dawn", 256, 256).pixels);
}

}  // namespace
}  // namespace kb::media
