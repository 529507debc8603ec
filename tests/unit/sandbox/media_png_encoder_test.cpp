// The tiny PNG encoder: checksums, signature, IHDR, chunk CRCs and the stored deflate stream.
#include "sandbox/media/png_encoder.hpp"

#include <gtest/gtest.h>

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

// Undoes the stored-block zlib stream: checks the header, each LEN/NLEN pair and the Adler-32.
std::string inflate_stored(const std::string& z) {
  EXPECT_GE(z.size(), 2u + 5u + 4u);
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x78);
  EXPECT_EQ((static_cast<unsigned char>(z[0]) * 256 + static_cast<unsigned char>(z[1])) % 31, 0);
  std::string raw;
  std::size_t pos = 2;
  for (;;) {
    if (pos + 5 > z.size()) {
      ADD_FAILURE() << "truncated deflate block header";
      return raw;
    }
    unsigned char header = static_cast<unsigned char>(z[pos]);
    EXPECT_EQ(header & 0x06, 0) << "only stored blocks are expected";
    unsigned len =
        static_cast<unsigned char>(z[pos + 1]) | (static_cast<unsigned char>(z[pos + 2]) << 8);
    unsigned nlen =
        static_cast<unsigned char>(z[pos + 3]) | (static_cast<unsigned char>(z[pos + 4]) << 8);
    EXPECT_EQ(len ^ 0xFFFFu, nlen);
    raw.append(z, pos + 5, len);
    pos += 5 + len;
    if (header & 1) break;
  }
  EXPECT_EQ(pos + 4, z.size());
  EXPECT_EQ(be32(z, pos), adler32(raw));
  return raw;
}

TEST(PngEncoder, ChecksumsMatchKnownVectors) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("6789", crc32("12345")), 0xCBF43926u);  // chaining
  EXPECT_EQ(adler32("Wikipedia"), 0x11E60398u);
  EXPECT_EQ(adler32(""), 1u);
}

TEST(PngEncoder, WritesSignatureIhdrAndValidChunkCrcs) {
  std::string rgb(3 * 2 * 3, '\0');
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<char>(i * 13);
  auto png = encode_png_rgb(3, 2, rgb);
  ASSERT_GE(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));

  auto chunks = chunks_of(png);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].type, "IHDR");
  EXPECT_EQ(chunks[1].type, "IDAT");
  EXPECT_EQ(chunks[2].type, "IEND");
  for (const auto& c : chunks) EXPECT_EQ(c.crc, crc32(c.type + c.data)) << c.type;

  const auto& ihdr = chunks[0].data;
  ASSERT_EQ(ihdr.size(), 13u);
  EXPECT_EQ(be32(ihdr, 0), 3u);  // width
  EXPECT_EQ(be32(ihdr, 4), 2u);  // height
  EXPECT_EQ(ihdr[8], 8);         // bit depth
  EXPECT_EQ(ihdr[9], 2);         // RGB
  EXPECT_EQ(ihdr.substr(10), std::string(3, '\0'));
  EXPECT_TRUE(chunks[2].data.empty());

  // Each scanline: filter byte 0 and the row's pixels.
  auto raw = inflate_stored(chunks[1].data);
  EXPECT_EQ(raw, std::string(1, '\0') + rgb.substr(0, 9) + std::string(1, '\0') + rgb.substr(9));
}

TEST(PngEncoder, SplitsLargeImagesIntoSeveralStoredBlocks) {
  const std::uint32_t w = 200, h = 150;  // 90 150 raw bytes: two blocks
  std::string rgb(w * h * 3, '\x7f');
  auto png = encode_png_rgb(w, h, rgb);
  auto chunks = chunks_of(png);
  ASSERT_EQ(chunks.size(), 3u);
  auto raw = inflate_stored(chunks[1].data);
  EXPECT_EQ(raw.size(), (w * 3 + 1) * h);
  EXPECT_GT(chunks[1].data.size(), 65535u + 5u);
}

TEST(PngEncoder, RejectsWrongSizes) {
  EXPECT_TRUE(encode_png_rgb(0, 1, "").empty());
  EXPECT_TRUE(encode_png_rgb(2, 2, "abc").empty());
}

TEST(SampleMedia, GradientDependsOnTheSeedOnly) {
  auto a = gradient_png("a cat on a sofa");
  EXPECT_EQ(a, gradient_png("a cat on a sofa"));
  EXPECT_NE(a, gradient_png("a dog on a sofa"));
  auto chunks = chunks_of(a);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(be32(chunks[0].data, 0), 96u);
  EXPECT_EQ(inflate_stored(chunks[1].data).size(), (96u * 3 + 1) * 96);
}

}  // namespace
}  // namespace kb::media
