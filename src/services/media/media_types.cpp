// The MIME ↔ extension table.
#include "services/media/media_types.hpp"

#include <array>
#include <utility>

#include "services/media/media_token.hpp"

namespace kb::services {
namespace {

struct TypeEntry {
  std::string_view mime;
  std::string_view ext;
};

// First entry per MIME type is its canonical extension.
constexpr std::array<TypeEntry, 22> kTypes{{
    {"image/jpeg", "jpg"},      {"image/jpeg", "jpeg"}, {"image/png", "png"},
    {"image/webp", "webp"},     {"image/gif", "gif"},   {"image/bmp", "bmp"},
    {"image/heic", "heic"},     {"image/tiff", "tiff"}, {"video/mp4", "mp4"},
    {"video/quicktime", "mov"}, {"video/webm", "webm"}, {"video/x-matroska", "mkv"},
    {"audio/mpeg", "mp3"},      {"audio/ogg", "ogg"},   {"audio/ogg", "oga"},
    {"audio/wav", "wav"},       {"audio/x-wav", "wav"}, {"audio/mp4", "m4a"},
    {"audio/aac", "aac"},       {"audio/flac", "flac"}, {"audio/webm", "weba"},
    {"application/pdf", "pdf"},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::string extension_for_mime(std::string_view mime_type) {
  auto semicolon = mime_type.find(';');
  auto base = lower(mime_type.substr(0, semicolon));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (const auto& t : kTypes)
    if (t.mime == base) return std::string(t.ext);
  return "";
}

std::string mime_for_extension(std::string_view extension) {
  auto ext = lower(extension);
  for (const auto& t : kTypes)
    if (t.ext == ext) return std::string(t.mime);
  return "application/octet-stream";
}

std::string extension_of_path(std::string_view path_or_url) {
  auto end = path_or_url.find_first_of("?#");
  auto path = path_or_url.substr(0, end);
  auto slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  return extension_of(path);
}

}  // namespace kb::services
