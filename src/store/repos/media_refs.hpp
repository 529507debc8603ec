// References to user media on Telegram (file ids), addressed by a short numeric id in signed URLs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct MediaRef {
  std::int64_t id = 0;
  std::string telegram_file_id;
  std::string file_unique_id;
  std::optional<std::string> mime_type;
  std::optional<std::int64_t> file_size;
  std::int64_t created_at = 0;
};

class MediaRefs {
 public:
  explicit MediaRefs(db::Connection& c) : c_(c) {}

  // Returns the id; the same file_unique_id always gets the same id (its file id is refreshed,
  // since Telegram may issue a new one for the same file).
  Result<std::int64_t> put(const MediaRef& ref, std::int64_t now);
  Result<std::optional<MediaRef>> get(std::int64_t id);

 private:
  db::Connection& c_;
};

}  // namespace kb::store
