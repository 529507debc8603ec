// Image dimensions from file headers (PNG, JPEG, GIF, WebP, BMP) and the photo sizes the fake
// derives from them. Pure.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace kb::sandbox::tg {

struct ImageSize {
  int width = 0;
  int height = 0;
  bool operator==(const ImageSize&) const = default;
};

std::optional<ImageSize> image_dimensions(std::string_view bytes);

// The sizes the server would generate for a photo of `original`, smallest first: each of the
// boxes 90, 320, 800, 1280 (and 2560) that the original exceeds, then the original fitted into
// 2560x2560. Aspect ratio is kept; no dimension is 0.
std::vector<ImageSize> photo_sizes(ImageSize original);

// Bot API limits for photos: width + height <= 10000, aspect ratio <= 20.
bool photo_dimensions_valid(ImageSize size);

}  // namespace kb::sandbox::tg
