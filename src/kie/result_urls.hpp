// Finds the output URLs in a task result, whatever the model family calls them (pure).
//
// Field names drift across families (kie-api.md §3.2, §4.4, §5, §9): `resultUrls`, `result_urls`,
// `resultUrl`, `resultImageUrl`, `outputs[]`, `video_url`, `response.data[].audio_url`,
// `resultUrls[].resultUrl`, … Within one object, explicit result fields win; otherwise the most
// specific media field (video, audio, then other, then image) is the output and the rest are
// extras. First/last frames, origins, sources, streams, covers and previews are always extras.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kb::kie {

struct ExtractedUrls {
  std::vector<std::string> primary;  // the outputs, in document order, deduplicated
  std::vector<std::string> extra;    // everything else that is a URL (deduplicated, disjoint)
};

ExtractedUrls extract_result_urls(const nlohmann::json& result);

// http(s) URL without whitespace or control characters, at most 8 KiB.
bool looks_like_url(std::string_view text);

}  // namespace kb::kie
