// Seeded sample media and the committed sample video.
#include "sandbox/media/sample_media.hpp"

#include <map>

#include "core/crypto.hpp"
#include "core/embedded.hpp"
#include "sandbox/media/png_encoder.hpp"
#include "sandbox/media/wav_tone.hpp"

namespace kb::media {
namespace {

unsigned char byte_at(std::string_view digest, std::size_t i) {
  return static_cast<unsigned char>(digest[i % digest.size()]);
}

}  // namespace

std::string gradient_png(std::string_view seed, int width, int height) {
  if (width <= 0 || height <= 0) return {};
  const auto digest = crypto::sha256(seed);
  const unsigned char from[3] = {byte_at(digest, 0), byte_at(digest, 1), byte_at(digest, 2)};
  const unsigned char to[3] = {byte_at(digest, 3), byte_at(digest, 4), byte_at(digest, 5)};
  std::string rgb;
  rgb.reserve(static_cast<std::size_t>(width) * height * 3);
  const int span = std::max(1, width + height - 2);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int t = x + y;  // 0 at the top-left corner, span at the bottom-right one
      for (int c = 0; c < 3; ++c)
        rgb.push_back(static_cast<char>((from[c] * (span - t) + to[c] * t) / span));
    }
  }
  return encode_png_rgb(static_cast<std::uint32_t>(width), static_cast<std::uint32_t>(height), rgb);
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

Result<SampleFile> sample_for(std::string_view output_kind, std::string_view seed) {
  if (output_kind == "image") return SampleFile{gradient_png(seed), "png", "image/png"};
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
