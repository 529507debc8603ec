// Seeded sample media and the committed sample video.
#include "sandbox/media/sample_media.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/crypto.hpp"
#include "core/embedded.hpp"
#include "sandbox/media/png_encoder.hpp"
#include "sandbox/media/text_raster.hpp"
#include "sandbox/media/wav_tone.hpp"

namespace kb::media {
namespace {

unsigned char byte_at(std::string_view digest, std::size_t i) {
  return static_cast<unsigned char>(digest[i % digest.size()]);
}

}  // namespace

RgbImage gradient_image(std::string_view seed, int width, int height) {
  RgbImage image(width, height);
  if (image.width == 0) return image;
  const auto digest = crypto::sha256(seed);
  const unsigned char from[3] = {byte_at(digest, 0), byte_at(digest, 1), byte_at(digest, 2)};
  const unsigned char to[3] = {byte_at(digest, 3), byte_at(digest, 4), byte_at(digest, 5)};
  const int span = std::max(1, width + height - 2);
  auto mix = [span](unsigned char a, unsigned char b, int t) {
    return static_cast<unsigned char>((a * (span - t) + b * t) / span);
  };
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int t = x + y;  // 0 at the top-left corner, span at the bottom-right one
      image.set(x, y, {mix(from[0], to[0], t), mix(from[1], to[1], t), mix(from[2], to[2], t)});
    }
  }
  return image;
}

std::string gradient_png(std::string_view seed, int width, int height) {
  if (width <= 0 || height <= 0) return {};
  auto image = gradient_image(seed, width, height);
  return encode_png_rgb(static_cast<std::uint32_t>(width), static_cast<std::uint32_t>(height),
                        image.pixels);
}

RgbImage captioned_image(std::string_view seed, std::string_view caption, int width, int height) {
  auto image = gradient_image(seed, width, height);
  draw_caption(image, caption);
  return image;
}

ImageSize sample_image_size(std::string_view aspect_ratio) {
  constexpr double kArea = 256.0 * 256.0;
  auto colon = aspect_ratio.find(':');
  if (colon == std::string_view::npos) return {};
  auto number = [](std::string_view digits) {
    int n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    return ec == std::errc() && end == digits.data() + digits.size() && n > 0 ? n : 0;
  };
  const int w = number(aspect_ratio.substr(0, colon));
  const int h = number(aspect_ratio.substr(colon + 1));
  if (w == 0 || h == 0) return {};
  const double ratio = std::clamp(static_cast<double>(w) / h, 0.25, 4.0);
  return {static_cast<int>(std::lround(std::sqrt(kArea * ratio))),
          static_cast<int>(std::lround(std::sqrt(kArea / ratio)))};
}

std::string seeded_tone_wav(std::string_view seed) {
  const auto digest = crypto::sha256(seed);
  const double hz = 220.0 + (byte_at(digest, 0) * 256 + byte_at(digest, 1)) % 661;
  return make_wav_tone(hz, 1000);
}

Result<std::string> sample_mp4() {
  constexpr std::string_view kName = "sandbox/sample.mp4";
  if (!embedded::contains(kName))
    return fail(Errc::internal, "data/sandbox/sample.mp4 is not embedded");
  return std::string(embedded::file(kName));
}

Result<SampleFile> sample_for(std::string_view output_kind, std::string_view seed,
                              const ImageSpec& image) {
  if (output_kind == "image") {
    const auto size = sample_image_size(image.aspect_ratio);
    auto pixels = captioned_image(seed, image.caption, size.width, size.height);
    return SampleFile{encode_png_rgb(static_cast<std::uint32_t>(pixels.width),
                                     static_cast<std::uint32_t>(pixels.height), pixels.pixels),
                      "png", "image/png"};
  }
  if (output_kind == "audio") return SampleFile{seeded_tone_wav(seed), "wav", "audio/wav"};
  if (output_kind == "video") {
    auto mp4 = sample_mp4();
    if (!mp4) return fail(mp4.error());
    return SampleFile{*mp4, "mp4", "video/mp4"};
  }
  if (output_kind == "text") {
    return SampleFile{"Sample result for: " + std::string(seed) + "\n", "txt",
                      "text/plain; charset=utf-8"};
  }
  return fail(Errc::invalid_input, "unknown output kind: " + std::string(output_kind));
}

std::string mime_for_extension(std::string_view extension) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"webp", "image/webp"},
      {"gif", "image/gif"},
      {"mp4", "video/mp4"},
      {"mov", "video/quicktime"},
      {"webm", "video/webm"},
      {"wav", "audio/wav"},
      {"mp3", "audio/mpeg"},
      {"ogg", "audio/ogg"},
      {"m4a", "audio/mp4"},
      {"txt", "text/plain; charset=utf-8"},
      {"json", "application/json"}};
  auto it = kTypes.find(extension);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace kb::media
