// A small PNG encoder (8-bit RGB, zlib-compressed, filtered per row) for generated sample images.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kb::media {

// `rgb` holds width*height*3 bytes, rows top to bottom. Returns the PNG file bytes; an empty
// string when the size does not match, a dimension is 0 or zlib fails.
std::string encode_png_rgb(std::uint32_t width, std::uint32_t height, std::string_view rgb);

}  // namespace kb::media
