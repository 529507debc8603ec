// A plain 8-bit RGB pixel buffer, the canvas sample images are drawn on before PNG encoding.
#pragma once

#include <cstddef>
#include <string>

namespace kb::media {

struct Rgb {
  unsigned char r{0};
  unsigned char g{0};
  unsigned char b{0};
  bool operator==(const Rgb&) const = default;
};

struct RgbImage {
  int width{0};
  int height{0};
  std::string pixels;  // width*height*3 bytes, rows top to bottom (what encode_png_rgb takes)

  RgbImage() = default;
  RgbImage(int w, int h, Rgb fill = {})
      : width(w > 0 && h > 0 ? w : 0), height(w > 0 && h > 0 ? h : 0) {
    pixels.reserve(static_cast<std::size_t>(width) * height * 3);
    for (int i = 0; i < width * height; ++i) {
      pixels.push_back(static_cast<char>(fill.r));
      pixels.push_back(static_cast<char>(fill.g));
      pixels.push_back(static_cast<char>(fill.b));
    }
  }

  bool contains(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height; }
  // Callers check contains() first.
  Rgb at(int x, int y) const {
    const auto i = offset(x, y);
    return {static_cast<unsigned char>(pixels[i]), static_cast<unsigned char>(pixels[i + 1]),
            static_cast<unsigned char>(pixels[i + 2])};
  }
  void set(int x, int y, Rgb c) {
    const auto i = offset(x, y);
    pixels[i] = static_cast<char>(c.r);
    pixels[i + 1] = static_cast<char>(c.g);
    pixels[i + 2] = static_cast<char>(c.b);
  }

 private:
  std::size_t offset(int x, int y) const {
    return (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
            static_cast<std::size_t>(x)) *
           3;
  }
};

}  // namespace kb::media
