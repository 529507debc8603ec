// PNG encoding with zlib: each scanline gets the filter that makes it smallest by libpng's
// heuristic, then the whole image is deflated at the highest level (sample images are small).
#include "sandbox/media/png_encoder.hpp"

#include <zlib.h>

#include <array>
#include <cstdlib>

namespace kb::media {
namespace {

constexpr std::size_t kBytesPerPixel = 3;

// PNG filter types (PNG spec §9.2), in the order of their type byte.
enum class Filter : unsigned char { none, sub, up, average, paeth };
constexpr std::array kFilters = {Filter::none, Filter::sub, Filter::up, Filter::average,
                                 Filter::paeth};

int paeth_predictor(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

// The byte a filter predicts from the left (a), above (b) and above-left (c) neighbours.
int predict(Filter filter, int a, int b, int c) {
  switch (filter) {
    case Filter::none:
      return 0;
    case Filter::sub:
      return a;
    case Filter::up:
      return b;
    case Filter::average:
      return (a + b) / 2;
    case Filter::paeth:
      return paeth_predictor(a, b, c);
  }
  return 0;
}

// `out` gets the filter type byte and the filtered row; `prev` is the row above (zeros for the
// first row).
void filter_row(Filter filter, std::string_view row, std::string_view prev, std::string& out) {
  auto byte = [](std::string_view s, std::size_t at) {
    return static_cast<int>(static_cast<unsigned char>(s[at]));
  };
  out.assign(1, static_cast<char>(filter));
  for (std::size_t i = 0; i < row.size(); ++i) {
    const int a = i >= kBytesPerPixel ? byte(row, i - kBytesPerPixel) : 0;
    const int c = i >= kBytesPerPixel ? byte(prev, i - kBytesPerPixel) : 0;
    out.push_back(static_cast<char>(byte(row, i) - predict(filter, a, byte(prev, i), c)));
  }
}

// Sum of the filtered bytes read as signed: small residuals compress best (libpng's heuristic).
std::size_t cost(std::string_view filtered) {
  std::size_t sum = 0;
  for (char c : filtered.substr(1))
    sum += static_cast<std::size_t>(std::abs(static_cast<int>(static_cast<signed char>(c))));
  return sum;
}

void put_u32_be(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

const Bytef* bytes_of(std::string_view s) {
  return reinterpret_cast<const Bytef*>(s.data());
}

void put_chunk(std::string& out, std::string_view type, std::string_view data) {
  put_u32_be(out, static_cast<std::uint32_t>(data.size()));
  out.append(type);
  out.append(data);
  // The CRC covers the type and the data, not the length. A null buffer (empty data) would make
  // zlib return its initial value instead of the running CRC.
  auto crc = crc32_z(0, bytes_of(type), type.size());
  if (!data.empty()) crc = crc32_z(crc, bytes_of(data), data.size());
  put_u32_be(out, static_cast<std::uint32_t>(crc));
}

// A zlib stream (RFC 1950) of `raw`; empty when zlib fails.
std::string zlib_compress(std::string_view raw) {
  uLongf size = compressBound(raw.size());
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, bytes_of(raw), raw.size(),
                Z_BEST_COMPRESSION) != Z_OK)
    return {};
  out.resize(size);
  return out;
}

}  // namespace

std::string encode_png_rgb(std::uint32_t width, std::uint32_t height, std::string_view rgb) {
  if (width == 0 || height == 0) return {};
  const std::size_t row = static_cast<std::size_t>(width) * kBytesPerPixel;
  if (rgb.size() % row != 0 || rgb.size() / row != height) return {};

  std::string raw;
  raw.reserve((row + 1) * height);
  const std::string zero_row(row, '\0');
  std::string best, candidate;
  for (std::size_t y = 0; y < height; ++y) {
    const auto line = rgb.substr(y * row, row);
    const auto prev = y == 0 ? std::string_view(zero_row) : rgb.substr((y - 1) * row, row);
    std::size_t best_cost = 0;
    for (auto filter : kFilters) {
      filter_row(filter, line, prev, candidate);
      const auto c = cost(candidate);
      if (filter == Filter::none || c < best_cost) {
        best_cost = c;
        best.swap(candidate);
      }
    }
    raw.append(best);
  }
  auto idat = zlib_compress(raw);
  if (idat.empty()) return {};

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
  put_chunk(png, "IDAT", idat);
  put_chunk(png, "IEND", {});
  return png;
}

}  // namespace kb::media
