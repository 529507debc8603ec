// Download locations of Bot API files.
#include "telegram/file_location.hpp"

#include "net/http_types.hpp"
#include "telegram/media.hpp"

namespace kb::telegram {
namespace {

bool has_dot_dot_segment(std::string_view path) {
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    auto segment =
        path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (segment == "..") return true;
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return false;
}

// Percent-encodes each segment, keeping the slashes between them.
std::string encode_path(std::string_view path) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    auto segment =
        path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    out += net::url_encode(segment);
    if (slash == std::string_view::npos) break;
    out += '/';
    pos = slash + 1;
  }
  return out;
}

}  // namespace

Result<FileLocation> locate_file(const File& file, std::string_view file_base_url,
                                 std::string_view token, bool local_mode) {
  const auto& path = file.file_path;
  if (path.empty()) return fail(Errc::invalid_input, "file has no file_path (call getFile first)");
  if (has_dot_dot_segment(path) || path.find('\0') != std::string::npos)
    return fail(Errc::invalid_input, "file_path must not contain '..'");
  FileLocation location;
  if (local_mode && path.front() == '/') {
    location.on_disk = true;
    location.path = path;
    return location;
  }
  if (path.front() == '/')
    return fail(Errc::invalid_input,
                "getFile returned an absolute file_path: set TELEGRAM_LOCAL_MODE=true for a "
                "--local Bot API server");
  if (!local_mode && file.file_size && *file.file_size > kCloudDownloadLimit)
    return fail(Errc::invalid_input, "Bad Request: file is too big", 400);
  std::string base(file_base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  location.url = base + "/file/bot" + std::string(token) + "/" + encode_path(path);
  return location;
}

}  // namespace kb::telegram
