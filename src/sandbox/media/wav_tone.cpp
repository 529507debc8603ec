// RIFF/WAVE writer for a PCM sine tone.
#include "sandbox/media/wav_tone.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace kb::media {
namespace {

void put_le(std::string& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

std::string make_wav_tone(double frequency_hz, int duration_ms, int sample_rate) {
  if (frequency_hz <= 0 || duration_ms <= 0 || sample_rate <= 0) return {};
  const auto samples =
      static_cast<std::uint32_t>(static_cast<std::int64_t>(sample_rate) * duration_ms / 1000);
  const std::uint32_t data_bytes = samples * 2;
  const std::uint32_t fade =
      std::max<std::uint32_t>(1, static_cast<std::uint32_t>(sample_rate) / 100);

  std::string out;
  out.reserve(44 + data_bytes);
  out.append("RIFF");
  put_le(out, 36 + data_bytes, 4);
  out.append("WAVE");
  out.append("fmt ");
  put_le(out, 16, 4);                                           // fmt chunk size
  put_le(out, 1, 2);                                            // PCM
  put_le(out, 1, 2);                                            // mono
  put_le(out, static_cast<std::uint32_t>(sample_rate), 4);      // sample rate
  put_le(out, static_cast<std::uint32_t>(sample_rate) * 2, 4);  // byte rate
  put_le(out, 2, 2);                                            // block align
  put_le(out, 16, 2);                                           // bits per sample
  out.append("data");
  put_le(out, data_bytes, 4);
  for (std::uint32_t i = 0; i < samples; ++i) {
    double envelope =
        std::min({1.0, static_cast<double>(i) / fade, static_cast<double>(samples - 1 - i) / fade});
    double v = 0.4 * envelope *
               std::sin(2 * std::numbers::pi * frequency_hz * i / static_cast<double>(sample_rate));
    auto s = static_cast<std::int16_t>(std::lround(v * 32767));
    put_le(out, static_cast<std::uint16_t>(s), 2);
  }
  return out;
}

}  // namespace kb::media
