// Output URL extraction from task results (see result_urls.hpp for the rules).
#include "kie/result_urls.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace kb::kie {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 16;
constexpr std::size_t kMaxUrls = 256;  // a result never has more; bounds hostile input

enum class KeyKind { excluded, extra, result, media, other };

std::string normalize_key(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '_' || c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

KeyKind classify_key(std::string_view nk) {
  // The request echo (`param`, `paramJson`…) holds the user's *input* URLs, never outputs.
  static constexpr std::array<std::string_view, 9> kExcluded = {
      "param",       "paramjson",           "promptjson", "generateparam", "requestparam",
      "callbackurl", "progresscallbackurl", "inputurls",  "input"};
  static constexpr std::array<std::string_view, 11> kExtraMarkers = {
      "firstframe", "lastframe", "origin", "source", "stream",   "thumb",
      "cover",      "preview",   "poster", "mask",   "reference"};
  static constexpr std::array<std::string_view, 5> kResultLists = {"urls", "outputs", "output",
                                                                   "files", "results"};
  if (std::find(kExcluded.begin(), kExcluded.end(), nk) != kExcluded.end())
    return KeyKind::excluded;
  const bool url_key = nk.ends_with("url") || nk.ends_with("urls") || nk == "link";
  for (auto marker : kExtraMarkers)
    if (contains(nk, marker) && url_key) return KeyKind::extra;
  if (nk.starts_with("result") && contains(nk, "url")) return KeyKind::result;
  if (std::find(kResultLists.begin(), kResultLists.end(), nk) != kResultLists.end())
    return KeyKind::result;
  if (url_key) return KeyKind::media;
  return KeyKind::other;
}

// Lower is more specific: a video next to its thumbnail image, a track next to its cover.
int media_rank(std::string_view nk) {
  if (contains(nk, "video")) return 0;
  if (contains(nk, "audio") || contains(nk, "music") || contains(nk, "song")) return 1;
  if (contains(nk, "image") || contains(nk, "img") || contains(nk, "photo") ||
      contains(nk, "picture"))
    return 3;
  return 2;
}

class Collector {
 public:
  void add(std::string url, bool primary) {
    if (count_ >= kMaxUrls) return;
    ++count_;
    (primary ? primary_ : extra_).push_back(std::move(url));
  }

  ExtractedUrls finish() && {
    ExtractedUrls out;
    std::set<std::string> seen;
    for (auto& u : primary_)
      if (seen.insert(u).second) out.primary.push_back(std::move(u));
    for (auto& u : extra_)
      if (seen.insert(u).second) out.extra.push_back(std::move(u));
    return out;
  }

 private:
  std::vector<std::string> primary_;
  std::vector<std::string> extra_;
  std::size_t count_ = 0;
};

struct Nested {
  const json* node;
  bool extra;
};

// URL strings directly in `value` (a string or an array of strings) go to `urls`; objects and
// arrays inside are visited later as nested nodes.
void gather(const json& value, std::vector<std::string>& urls, std::vector<Nested>& nested,
            bool extra) {
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (looks_like_url(s)) urls.push_back(s);
    return;
  }
  if (value.is_array()) {
    for (const auto& element : value) {
      if (element.is_string()) {
        const auto& s = element.get_ref<const std::string&>();
        if (looks_like_url(s)) urls.push_back(s);
      } else if (element.is_structured()) {
        nested.push_back({&element, extra});
      }
    }
    return;
  }
  if (value.is_object()) nested.push_back({&value, extra});
}

void visit(const json& node, int depth, bool as_extra, Collector& out);

void visit_object(const json& object, int depth, bool as_extra, Collector& out) {
  std::vector<std::string> results;
  std::vector<std::pair<int, std::string>> media;
  std::vector<std::string> extras;
  std::vector<Nested> nested;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string nk = normalize_key(it.key());
    switch (classify_key(nk)) {
      case KeyKind::excluded:
        break;
      case KeyKind::extra:
        gather(it.value(), extras, nested, true);
        break;
      case KeyKind::result:
        gather(it.value(), results, nested, false);
        break;
      case KeyKind::media: {
        std::vector<std::string> urls;
        gather(it.value(), urls, nested, false);
        int rank = media_rank(nk);
        for (auto& u : urls) media.emplace_back(rank, std::move(u));
        break;
      }
      case KeyKind::other:
        if (it.value().is_structured()) nested.push_back({&it.value(), false});
        break;
    }
  }
  if (!results.empty()) {
    for (auto& u : results) out.add(std::move(u), !as_extra);
    for (auto& [rank, u] : media) out.add(std::move(u), false);
  } else if (!media.empty()) {
    int best = std::min_element(media.begin(), media.end(), [](const auto& a, const auto& b) {
                 return a.first < b.first;
               })->first;
    for (auto& [rank, u] : media) out.add(std::move(u), !as_extra && rank == best);
  }
  for (auto& u : extras) out.add(std::move(u), false);
  for (const auto& n : nested) visit(*n.node, depth + 1, as_extra || n.extra, out);
}

void visit(const json& node, int depth, bool as_extra, Collector& out) {
  if (depth > kMaxDepth) return;
  if (node.is_string()) {
    const auto& s = node.get_ref<const std::string&>();
    if (looks_like_url(s)) out.add(s, !as_extra);
  } else if (node.is_array()) {
    for (const auto& element : node) visit(element, depth + 1, as_extra, out);
  } else if (node.is_object()) {
    visit_object(node, depth, as_extra, out);
  }
}

}  // namespace

bool looks_like_url(std::string_view text) {
  if (text.size() > 8192) return false;
  auto starts_ci = [&](std::string_view prefix) {
    if (text.size() <= prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
  };
  if (!starts_ci("http://") && !starts_ci("https://")) return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

ExtractedUrls extract_result_urls(const json& result) {
  Collector out;
  visit(result, 0, false, out);
  return std::move(out).finish();
}

}  // namespace kb::kie
