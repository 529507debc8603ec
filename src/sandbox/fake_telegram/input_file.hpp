// InputFile parameters of send methods resolved like the Bot API server: a multipart upload, an
// `attach://<part>` reference, an HTTP URL the server downloads (with the by-URL limits and MIME
// rules), or an existing file_id (of a compatible type).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sandbox/fake_telegram/methods.hpp"

namespace kb::sandbox::tg {

struct InputFile {
  const StoredFile* existing = nullptr;      // sent by file_id (valid while impl.mu is held)
  std::string existing_id;                   // its file_id, to look it up again under the lock
  std::shared_ptr<const std::string> bytes;  // uploaded or downloaded
  std::string mime_type;
  std::string file_name;
  bool by_url = false;
};

// Limits of the cloud Bot API server.
inline constexpr std::size_t kPhotoUploadLimit = 10u << 20;
inline constexpr std::size_t kUploadLimit = 50u << 20;
inline constexpr std::size_t kPhotoUrlLimit = 5u << 20;
inline constexpr std::size_t kUrlLimit = 20u << 20;
inline constexpr std::size_t kVoiceUrlLimit = 1u << 20;
inline constexpr std::size_t kDownloadLimit = 20u << 20;

// `value` is the parameter text (file_id, URL or attach://name); `upload_name` the multipart part
// to use when the parameter itself was uploaded (may be empty). Errors are Bot API errors.
Task<Result<InputFile>> resolve_input_file(Impl& impl, const ApiParams& params, std::string value,
                                           std::string upload_name, FileKind kind);

// Whether a stored file of kind `have` may be sent as `want` (the type cannot change).
bool file_kind_compatible(FileKind have, FileKind want);

// MIME type from a file name's extension, for uploads without a content type.
std::string guess_mime_type(std::string_view file_name);

}  // namespace kb::sandbox::tg
