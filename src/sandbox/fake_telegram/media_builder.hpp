// Turns file bytes (or an existing file) into stored files and the media part of a message:
// photo size sets, thumbnails of videos, the animation's duplicate `document`. Pure.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "sandbox/fake_telegram/world.hpp"

namespace kb::sandbox::tg {

struct MediaSource {
  std::string existing_id;                   // resend of a known file, or
  std::shared_ptr<const std::string> bytes;  // new content
  std::string mime_type;
  std::string file_name;
};

struct MediaAttributes {
  int duration = 0;
  int width = 0;
  int height = 0;
  int length = 0;  // video notes
  std::string title;
  std::string performer;
  std::string emoji;
};

// Fills message.kind, media_key, media, media_extra and file_ids. Errors carry Bot API texts
// (without the "Bad Request: " prefix), e.g. PHOTO_INVALID_DIMENSIONS.
Result<void> attach_media(World& world, StoredMessage& message, FileKind kind,
                          const MediaSource& source, const MediaAttributes& attributes);

}  // namespace kb::sandbox::tg
