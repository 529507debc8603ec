// What a message carries as media, and whether it satisfies what a wizard step expects. Pure: the
// conversation layer localizes the structured rejection ("send a photo or an image file up to
// 20 MB, or a link").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "telegram/types.hpp"

namespace kb::telegram {

// Telegram's cloud Bot API lets bots download files up to 20 MB.
inline constexpr std::int64_t kCloudDownloadLimit = 20LL * 1024 * 1024;

enum class MediaKind { image, video, audio, voice, animation, video_note, document, sticker, url };
std::string_view media_kind_name(MediaKind kind);

struct MediaItem {
  MediaKind kind = MediaKind::document;
  std::string file_id{};                  // empty for links
  std::string file_unique_id{};           // empty for links
  std::optional<std::int64_t> file_size;  // unknown for links (never fetched here)
  std::string mime_type{};
  std::string file_name{};
  std::string url{};  // MediaKind::url
  int width = 0;
  int height = 0;
  int duration = 0;
};

struct MessageMedia {
  std::optional<MediaItem> file;   // the one file of the message (photos: the size chosen)
  std::vector<std::string> links;  // http(s) links in the text or caption (not yet validated)
  bool forwarded = false;
  std::string album_id{};  // media_group_id
  bool has_text = false;
  bool unsupported = false;  // contact, location, poll… (nothing usable)
};

// The largest photo size (by pixels) whose known size is within `max_bytes`; nullopt when every
// size is larger (or there are none).
std::optional<PhotoSize> largest_photo(const std::vector<PhotoSize>& sizes,
                                       std::int64_t max_bytes = kCloudDownloadLimit);

MessageMedia extract_media(const Message& message, std::int64_t max_bytes = kCloudDownloadLimit);

// What a wizard step wants.
enum class MediaCategory { image, video, audio };
std::string_view media_category_name(MediaCategory category);

// The category a file counts as: image documents (image/*) are images, voice is audio,
// animations and video notes are video. nullopt: it fits none (stickers, other documents).
std::optional<MediaCategory> category_of(const MediaItem& item);

struct MediaRequirement {
  MediaCategory category = MediaCategory::image;
  std::int64_t max_bytes = kCloudDownloadLimit;
  bool allow_album = false;  // several items (album parts, several links) are welcome
  bool allow_links = true;
};

enum class RejectReason {
  wrong_kind,         // a file of another kind (`got` says which)
  too_big,            // `size_bytes` > `limit_bytes`
  sticker,            // stickers are not accepted as input
  text_without_link,  // plain text where media was expected
  invalid_link,       // something link-like that is not a valid http(s) URL
  album_not_allowed,  // one item expected, an album part arrived
  no_media,           // nothing usable (contact, location, empty message…)
};
std::string_view reject_reason_name(RejectReason reason);

struct MediaRejection {
  RejectReason reason = RejectReason::no_media;
  MediaCategory expected = MediaCategory::image;
  std::optional<MediaKind> got{};  // the kind received, when it was a file
  std::string mime_type{};         // of the received document
  std::int64_t limit_bytes = 0;    // too_big
  std::int64_t size_bytes = 0;     // too_big
};

struct AcceptedMedia {
  MediaCategory category = MediaCategory::image;
  std::vector<MediaItem> items{};  // one file, or one or more links
  bool forwarded = false;
  std::string album_id{};
};

using MediaDecision = std::variant<AcceptedMedia, MediaRejection>;

MediaDecision accept_media(const Message& message, const MediaRequirement& requirement);

}  // namespace kb::telegram
