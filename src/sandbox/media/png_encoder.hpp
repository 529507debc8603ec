// A minimal PNG encoder (8-bit RGB, stored/uncompressed deflate blocks) for generated sample
// images.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kb::media {

// CRC-32 (ISO 3309, as PNG chunks use it). Chain calls by passing the previous result.
std::uint32_t crc32(std::string_view bytes, std::uint32_t previous = 0);
// Adler-32 (RFC 1950), the zlib stream checksum.
std::uint32_t adler32(std::string_view bytes);

// `rgb` holds width*height*3 bytes, rows top to bottom. Returns the PNG file bytes; an empty
// string when the size does not match or a dimension is 0.
std::string encode_png_rgb(std::uint32_t width, std::uint32_t height, std::string_view rgb);

}  // namespace kb::media
