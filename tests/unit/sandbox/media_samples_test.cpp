// WAV tones, the sample video and the per-kind sample files.
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

TEST(SampleMedia, MimeTypesByExtension) {
  EXPECT_EQ(mime_for_extension("png"), "image/png");
  EXPECT_EQ(mime_for_extension("mp4"), "video/mp4");
  EXPECT_EQ(mime_for_extension("bin"), "application/octet-stream");
}

}  // namespace
}  // namespace kb::media
