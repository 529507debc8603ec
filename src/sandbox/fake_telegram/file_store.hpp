// Files known to the fake: bytes, opaque stable file_id / file_unique_id, kind and the relative
// file_path served under /file/bot<token>/. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::sandbox::tg {

enum class FileKind {
  photo,
  document,
  video,
  audio,
  voice,
  video_note,
  animation,
  sticker,
  thumbnail
};
std::string_view file_kind_name(FileKind kind);  // "photo", "document", …

struct StoredFile {
  std::string file_id;
  std::string file_unique_id;
  FileKind kind = FileKind::document;
  std::shared_ptr<const std::string> bytes;
  std::string mime_type;
  std::string file_name;
  std::string file_path;  // e.g. "photos/file_3.jpg"
  int width = 0;
  int height = 0;
  int duration = 0;
  std::size_t size() const { return bytes ? bytes->size() : 0; }
};

class FileStore {
 public:
  // `salt` makes ids differ between fakes (different bots have different file ids).
  explicit FileStore(std::string salt) : salt_(std::move(salt)) {}

  // Stores a new file and returns it (ids are unique per call, even for identical bytes).
  const StoredFile& add(FileKind kind, std::shared_ptr<const std::string> bytes,
                        std::string mime_type = "", std::string file_name = "", int width = 0,
                        int height = 0, int duration = 0);
  const StoredFile* find(std::string_view file_id) const;
  const StoredFile* find_by_path(std::string_view file_path) const;
  // All sizes of the photo `size` belongs to (they share their bytes), smallest first.
  std::vector<const StoredFile*> photo_set(const StoredFile& size) const;

 private:
  std::string salt_;
  std::uint64_t counter_ = 0;
  std::map<std::string, StoredFile, std::less<>> by_id_;
  std::map<std::string, std::string, std::less<>> id_by_path_;
};

// The extension used in file paths for a MIME type / file name ("jpg", "mp4", …).
std::string file_extension(std::string_view mime_type, std::string_view file_name);

}  // namespace kb::sandbox::tg
