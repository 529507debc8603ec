// Generated WAV audio (16-bit mono PCM sine tone) for sample audio results.
#pragma once

#include <string>

namespace kb::media {

// A RIFF/WAVE file holding a sine tone with short fades (no clicks). Empty when an argument is not
// positive.
std::string make_wav_tone(double frequency_hz, int duration_ms, int sample_rate = 8000);

}  // namespace kb::media
