// Sample result media for the fake KIE server and the sandbox: images and tones generated in code
// from a seed (so different prompts give visibly different results), and a small committed video.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kb::media {

// A diagonal gradient PNG whose two colours come from SHA-256(seed).
std::string gradient_png(std::string_view seed, int width = 96, int height = 96);
// A 1 s WAV tone whose pitch (220–880 Hz) comes from SHA-256(seed).
std::string seeded_tone_wav(std::string_view seed);
// data/sandbox/sample.mp4 (embedded in the binary): a 2 s 160x90 H.264 clip.
Result<std::string> sample_mp4();

// Sample file for an output kind (image | video | audio | text) and its extension and MIME type.
struct SampleFile {
  std::string bytes;
  std::string extension;  // "png", "mp4", "wav", "txt"
  std::string mime_type;
};
Result<SampleFile> sample_for(std::string_view output_kind, std::string_view seed);

// MIME type by file extension (lower-case, without dot); application/octet-stream when unknown.
std::string mime_for_extension(std::string_view extension);

}  // namespace kb::media
