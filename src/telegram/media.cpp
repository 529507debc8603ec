// Media extraction from messages and acceptance against a wizard step's requirement.
#include "telegram/media.hpp"

#include <algorithm>
#include <cctype>

#include "telegram/links.hpp"

namespace kb::telegram {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <class T>
MediaItem file_item(MediaKind kind, const T& file) {
  MediaItem item;
  item.kind = kind;
  item.file_id = file.file_id;
  item.file_unique_id = file.file_unique_id;
  item.file_size = file.file_size;
  return item;
}

std::optional<MediaItem> file_of(const Message& m, std::int64_t max_bytes) {
  if (!m.photo.empty()) {
    auto best = largest_photo(m.photo, max_bytes);
    // Every size is too big: report the smallest so the rejection names a real size.
    if (!best)
      best = *std::min_element(m.photo.begin(), m.photo.end(), [](const auto& a, const auto& b) {
        return a.file_size.value_or(0) < b.file_size.value_or(0);
      });
    auto item = file_item(MediaKind::image, *best);
    item.width = best->width;
    item.height = best->height;
    item.mime_type = "image/jpeg";  // Telegram re-encodes photos as JPEG
    return item;
  }
  // An animation also carries a duplicate `document`: read the animation.
  auto moving = [&](MediaKind kind, const MovingImage& v) {
    auto item = file_item(kind, v);
    item.mime_type = v.mime_type;
    item.file_name = v.file_name;
    item.width = v.width;
    item.height = v.height;
    item.duration = v.duration;
    return item;
  };
  if (m.animation) return moving(MediaKind::animation, *m.animation);
  if (m.video) return moving(MediaKind::video, *m.video);
  if (m.video_note) {
    auto item = file_item(MediaKind::video_note, *m.video_note);
    item.mime_type = "video/mp4";
    item.width = item.height = m.video_note->length;
    item.duration = m.video_note->duration;
    return item;
  }
  if (m.voice) {
    auto item = file_item(MediaKind::voice, *m.voice);
    item.mime_type = m.voice->mime_type;
    item.duration = m.voice->duration;
    return item;
  }
  if (m.audio) {
    auto item = file_item(MediaKind::audio, *m.audio);
    item.mime_type = m.audio->mime_type;
    item.file_name = m.audio->file_name;
    item.duration = m.audio->duration;
    return item;
  }
  if (m.sticker) {
    auto item = file_item(MediaKind::sticker, *m.sticker);
    item.width = m.sticker->width;
    item.height = m.sticker->height;
    item.mime_type = m.sticker->is_video      ? "video/webm"
                     : m.sticker->is_animated ? "application/x-tgsticker"
                                              : "image/webp";
    return item;
  }
  if (m.document) {
    auto item = file_item(MediaKind::document, *m.document);
    item.mime_type = lower(m.document->mime_type);
    item.file_name = m.document->file_name;
    return item;
  }
  return std::nullopt;
}

}  // namespace

std::string_view media_kind_name(MediaKind kind) {
  switch (kind) {
    case MediaKind::image:
      return "image";
    case MediaKind::video:
      return "video";
    case MediaKind::audio:
      return "audio";
    case MediaKind::voice:
      return "voice";
    case MediaKind::animation:
      return "animation";
    case MediaKind::video_note:
      return "video_note";
    case MediaKind::document:
      return "document";
    case MediaKind::sticker:
      return "sticker";
    case MediaKind::url:
      return "url";
  }
  return "unknown";
}

std::string_view media_category_name(MediaCategory category) {
  switch (category) {
    case MediaCategory::image:
      return "image";
    case MediaCategory::video:
      return "video";
    case MediaCategory::audio:
      return "audio";
  }
  return "unknown";
}

std::string_view reject_reason_name(RejectReason reason) {
  switch (reason) {
    case RejectReason::wrong_kind:
      return "wrong_kind";
    case RejectReason::too_big:
      return "too_big";
    case RejectReason::sticker:
      return "sticker";
    case RejectReason::text_without_link:
      return "text_without_link";
    case RejectReason::invalid_link:
      return "invalid_link";
    case RejectReason::album_not_allowed:
      return "album_not_allowed";
    case RejectReason::no_media:
      return "no_media";
  }
  return "unknown";
}

std::optional<PhotoSize> largest_photo(const std::vector<PhotoSize>& sizes,
                                       std::int64_t max_bytes) {
  std::optional<PhotoSize> best;
  for (const auto& s : sizes) {
    // A size without file_size is accepted: Telegram omits it rarely, and only for small sizes.
    if (s.file_size && *s.file_size > max_bytes) continue;
    auto pixels = static_cast<std::int64_t>(s.width) * s.height;
    if (!best || pixels > static_cast<std::int64_t>(best->width) * best->height ||
        (pixels == static_cast<std::int64_t>(best->width) * best->height &&
         s.file_size.value_or(0) > best->file_size.value_or(0)))
      best = s;
  }
  return best;
}

MessageMedia extract_media(const Message& message, std::int64_t max_bytes) {
  MessageMedia out;
  out.file = file_of(message, max_bytes);
  const auto& text = message.text_or_caption();
  out.has_text = !text.empty();
  out.links = find_links(text, message.text_or_caption_entities());
  out.forwarded = message.is_forwarded();
  out.album_id = message.media_group_id;
  out.unsupported = message.has_unsupported_content;
  return out;
}

std::optional<MediaCategory> category_of(const MediaItem& item) {
  switch (item.kind) {
    case MediaKind::image:
      return MediaCategory::image;
    case MediaKind::video:
    case MediaKind::animation:
    case MediaKind::video_note:
      return MediaCategory::video;
    case MediaKind::audio:
    case MediaKind::voice:
      return MediaCategory::audio;
    case MediaKind::document:
      if (starts_with(item.mime_type, "image/")) return MediaCategory::image;
      if (starts_with(item.mime_type, "video/")) return MediaCategory::video;
      if (starts_with(item.mime_type, "audio/")) return MediaCategory::audio;
      return std::nullopt;
    case MediaKind::sticker:
    case MediaKind::url:
      return std::nullopt;
  }
  return std::nullopt;
}

MediaDecision accept_media(const Message& message, const MediaRequirement& req) {
  auto media = extract_media(message, req.max_bytes);
  MediaRejection reject;
  reject.expected = req.category;
  auto rejected = [&](RejectReason reason) {
    reject.reason = reason;
    return MediaDecision(reject);
  };
  AcceptedMedia accepted;
  accepted.category = req.category;
  accepted.forwarded = media.forwarded;
  accepted.album_id = media.album_id;

  if (!media.album_id.empty() && !req.allow_album) return rejected(RejectReason::album_not_allowed);

  if (media.file) {
    const auto& file = *media.file;
    reject.got = file.kind;
    reject.mime_type = file.mime_type;
    if (file.kind == MediaKind::sticker) return rejected(RejectReason::sticker);
    if (category_of(file) != req.category) return rejected(RejectReason::wrong_kind);
    if (file.file_size && *file.file_size > req.max_bytes) {
      reject.limit_bytes = req.max_bytes;
      reject.size_bytes = *file.file_size;
      return rejected(RejectReason::too_big);
    }
    accepted.items.push_back(file);
    return accepted;
  }

  if (!media.links.empty() && req.allow_links) {
    for (const auto& link : media.links) {
      if (!is_valid_http_url(link)) continue;
      MediaItem item;
      item.kind = MediaKind::url;
      item.url = link;
      accepted.items.push_back(std::move(item));
      if (!req.allow_album) break;
    }
    if (accepted.items.empty()) return rejected(RejectReason::invalid_link);
    return accepted;
  }
  if (media.has_text) return rejected(RejectReason::text_without_link);
  return rejected(RejectReason::no_media);
}

}  // namespace kb::telegram
