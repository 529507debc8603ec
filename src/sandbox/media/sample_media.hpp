// Sample result media for the fake KIE server and the sandbox: images and tones generated in code
// from a seed (so different prompts give visibly different results), images that show the prompt,
// and a small committed video.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sandbox/media/rgb_image.hpp"

namespace kb::media {

// A diagonal gradient whose two colours come from SHA-256(seed).
RgbImage gradient_image(std::string_view seed, int width, int height);
// The gradient as a PNG (no caption; tests use it as an uploaded photo).
std::string gradient_png(std::string_view seed, int width = 96, int height = 96);

// The gradient with `caption` (UTF-8, usually the prompt) written on a dark band at the bottom;
// an empty caption leaves the plain gradient.
RgbImage captioned_image(std::string_view seed, std::string_view caption, int width, int height);

struct ImageSize {
  int width{256};
  int height{256};
};
// The size of a sample image for an aspect ratio as KIE inputs spell it ("16:9"): about 256x256
// pixels in area (small, yet the caption is readable), the ratio clamped to 1:4..4:1. Anything
// else ("auto", empty, malformed) gives a square.
ImageSize sample_image_size(std::string_view aspect_ratio);

// What an image sample shows besides its seeded colours.
struct ImageSpec {
  std::string caption;       // the task's prompt; empty: no caption
  std::string aspect_ratio;  // the task's aspect_ratio / image_size input, if any
};
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
// Images are captioned and sized by `image`; other kinds ignore it.
Result<SampleFile> sample_for(std::string_view output_kind, std::string_view seed,
                              const ImageSpec& image = {});

// MIME type by file extension (lower-case, without dot); application/octet-stream when unknown.
std::string mime_for_extension(std::string_view extension);

}  // namespace kb::media
