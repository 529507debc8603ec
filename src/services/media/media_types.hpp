// MIME types and file extensions of media files (both directions), for Content-Type headers when
// the stored type is missing and for the cosmetic extension of signed URLs. Pure.
#pragma once

#include <string>
#include <string_view>

namespace kb::services {

// "image/jpeg" → "jpg"; parameters (";codecs=…") ignored; "" for types not in the table.
std::string extension_for_mime(std::string_view mime_type);
// "jpg"/"JPG" → "image/jpeg"; "application/octet-stream" for anything unknown.
std::string mime_for_extension(std::string_view extension);
// The extension at the end of a path or URL path ("videos/file_3.MP4?x=1" → "mp4"), or "".
std::string extension_of_path(std::string_view path_or_url);

}  // namespace kb::services
