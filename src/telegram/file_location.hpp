// Where a file returned by getFile can be read: a download URL on the file server
// (`<base>/file/bot<token>/<file_path>`) or, with a --local Bot API server, an absolute path on
// disk. The URL carries the bot token: it must never be logged or handed to anyone. Pure.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "telegram/types.hpp"

namespace kb::telegram {

struct FileLocation {
  bool on_disk = false;
  std::string path{};  // on_disk
  std::string url{};   // otherwise
};

// Refuses a missing file_path, path traversal ("..") and, on the cloud, files over 20 MB
// (answered like Telegram: status 400 "Bad Request: file is too big").
Result<FileLocation> locate_file(const File& file, std::string_view file_base_url,
                                 std::string_view token, bool local_mode);

}  // namespace kb::telegram
