// WAV tones, the sample video, captioned sample images and the per-kind sample files.
#include <gtest/gtest.h>

#include "sandbox/media/sample_media.hpp"
#include "sandbox/media/wav_tone.hpp"

namespace kb::media {
namespace {

std::uint32_t le(std::string_view s, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

TEST(WavTone, HasACorrectRiffHeaderAndLength) {
  auto wav = make_wav_tone(440, 500, 8000);
  ASSERT_EQ(wav.size(), 44u + 4000 * 2);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(le(wav, 4, 4), wav.size() - 8);
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(le(wav, 20, 2), 1u);     // PCM
  EXPECT_EQ(le(wav, 22, 2), 1u);     // mono
  EXPECT_EQ(le(wav, 24, 4), 8000u);  // sample rate
  EXPECT_EQ(le(wav, 34, 2), 16u);    // bits
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(le(wav, 40, 4), 8000u);
  // Not silence: some sample in the middle is loud.
  std::int16_t peak = 0;
  for (std::size_t i = 44; i + 1 < wav.size(); i += 2)
    peak = std::max<std::int16_t>(peak, static_cast<std::int16_t>(le(wav, i, 2)));
  EXPECT_GT(peak, 10000);
}

TEST(WavTone, RejectsNonPositiveArguments) {
  EXPECT_TRUE(make_wav_tone(0, 100).empty());
  EXPECT_TRUE(make_wav_tone(440, 0).empty());
}

TEST(SampleMedia, VideoIsTheCommittedMp4) {
  auto mp4 = sample_mp4();
  ASSERT_TRUE(mp4) << mp4.error().describe();
  ASSERT_GT(mp4->size(), 1000u);
  EXPECT_LT(mp4->size(), 64u * 1024);
  EXPECT_EQ(mp4->substr(4, 4), "ftyp");
}

TEST(SampleMedia, SampleForEachKind) {
  auto image = sample_for("image", "x");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->extension, "png");
  EXPECT_EQ(image->mime_type, "image/png");
  EXPECT_EQ(image->bytes.substr(1, 3), "PNG");
  auto audio = sample_for("audio", "x");
  ASSERT_TRUE(audio);
  EXPECT_EQ(audio->extension, "wav");
  EXPECT_EQ(audio->bytes.substr(0, 4), "RIFF");
  EXPECT_NE(audio->bytes, sample_for("audio", "y")->bytes);
  auto video = sample_for("video", "x");
  ASSERT_TRUE(video);
  EXPECT_EQ(video->mime_type, "video/mp4");
  EXPECT_FALSE(sample_for("hologram", "x"));
}

int white_pixels(const RgbImage& image, int from_y) {
  int n = 0;
  for (int y = from_y; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) n += image.at(x, y) == Rgb{255, 255, 255};
  return n;
}

std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& png) {
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(png[at + i]);
    return v;
  };
  if (png.size() < 24) return {0, 0};
  return {be32(16), be32(20)};  // IHDR width and height follow the signature and chunk head
}

TEST(SampleMedia, CaptionedImageShowsThePromptInTheLowerBand) {
  auto fox = captioned_image("seed", "a red fox", 256, 256);
  auto plain = captioned_image("seed", "", 256, 256);
  EXPECT_EQ(plain.pixels, gradient_image("seed", 256, 256).pixels);
  EXPECT_EQ(white_pixels(plain, 0), 0);
  EXPECT_GT(white_pixels(fox, 128), 50);
  EXPECT_EQ(white_pixels(fox, 0), white_pixels(fox, 128));  // all text sits in the lower half
  EXPECT_NE(fox.pixels, captioned_image("seed", "a red fix", 256, 256).pixels);
  EXPECT_NE(captioned_image("seed", "кот", 256, 256).pixels,
            captioned_image("seed", "кит", 256, 256).pixels);
}

TEST(SampleMedia, ImagePngCarriesThePromptAndStaysSmall) {
  // Same colours (seed), different prompts: only the caption can make them differ.
  auto fox = sample_for("image", "seed", {"a red fox", "1:1"});
  auto whale = sample_for("image", "seed", {"a blue whale", "1:1"});
  auto none = sample_for("image", "seed", {"", "1:1"});
  ASSERT_TRUE(fox && whale && none);
  EXPECT_NE(fox->bytes, whale->bytes);
  EXPECT_NE(fox->bytes, none->bytes);
  EXPECT_EQ(fox->bytes, sample_for("image", "seed", {"a red fox", "1:1"})->bytes);
  EXPECT_EQ(png_size(fox->bytes), (std::pair<std::uint32_t, std::uint32_t>{256, 256}));
  EXPECT_LT(fox->bytes.size(), 40u * 1024);  // stored (uncompressed) deflate blocks made ~197 KB
}

TEST(SampleMedia, ImageSizeFollowsTheAspectRatio) {
  auto size = [](std::string_view ratio) {
    auto s = sample_image_size(ratio);
    return std::pair{s.width, s.height};
  };
  EXPECT_EQ(size("1:1"), std::pair(256, 256));
  EXPECT_EQ(size("16:9"), std::pair(341, 192));
  EXPECT_EQ(size("9:16"), std::pair(192, 341));
  EXPECT_EQ(size("100:1"), std::pair(512, 128));  // clamped to 4:1
  for (std::string_view odd : {"", "auto", "16:", ":9", "0:1", "a:b", "16:9x", "-4:3"})
    EXPECT_EQ(size(odd), std::pair(256, 256)) << odd;
  auto wide = sample_for("image", "x", {"a wide view", "16:9"});
  ASSERT_TRUE(wide);
  EXPECT_EQ(png_size(wide->bytes), (std::pair<std::uint32_t, std::uint32_t>{341, 192}));
}

TEST(SampleMedia, MimeTypesByExtension) {
  EXPECT_EQ(mime_for_extension("png"), "image/png");
  EXPECT_EQ(mime_for_extension("mp4"), "video/mp4");
  EXPECT_EQ(mime_for_extension("bin"), "application/octet-stream");
}

}  // namespace
}  // namespace kb::media
