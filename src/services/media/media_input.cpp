// The wizard-facing media intake.
#include "services/media/media_input.hpp"

#include <algorithm>
#include <limits>

#include "core/mime_type.hpp"
#include "services/media/media_resolver.hpp"

namespace kb::services {

std::int64_t download_limit(bool telegram_local_mode) {
  return telegram_local_mode ? std::numeric_limits<std::int64_t>::max()
                             : telegram::kCloudDownloadLimit;
}

Result<telegram::MediaRequirement> media_requirement(const catalog::Input& input,
                                                     bool telegram_local_mode) {
  telegram::MediaRequirement req;
  switch (input.type) {
    case catalog::InputType::image:
      req.category = telegram::MediaCategory::image;
      break;
    case catalog::InputType::video:
      req.category = telegram::MediaCategory::video;
      break;
    case catalog::InputType::audio:
      req.category = telegram::MediaCategory::audio;
      break;
    default:
      return fail(Errc::invalid_input, "input " + input.name + " does not take media");
  }
  req.max_bytes = download_limit(telegram_local_mode);
  constexpr std::int64_t kMiB = 1024 * 1024;
  if (input.max_mb > 0 && input.max_mb < req.max_bytes / kMiB)
    req.max_bytes = std::min(req.max_bytes, input.max_mb * kMiB);
  req.allow_album = input.array && input.max_items > 1;
  req.allow_links = true;
  return req;
}

Result<telegram::MediaDecision> check_media_input(const telegram::Message& message,
                                                  const catalog::Input& input,
                                                  bool telegram_local_mode) {
  auto req = KB_TRY(media_requirement(input, telegram_local_mode));
  return telegram::accept_media(message, req);
}

Result<catalog::MediaUrls> store_accepted_media(store::Tx& tx,
                                                const telegram::AcceptedMedia& accepted,
                                                std::int64_t now_ms) {
  catalog::MediaUrls values;
  auto media = tx.media();
  for (const auto& item : accepted.items) {
    if (item.kind == telegram::MediaKind::url) {
      values.push_back(item.url);
      continue;
    }
    store::MediaRef ref;
    ref.telegram_file_id = item.file_id;
    ref.file_unique_id = item.file_unique_id;
    // The sender's client chose it: only a plain type is kept (it is repeated in headers).
    if (is_plain_mime_type(item.mime_type)) ref.mime_type = item.mime_type;
    ref.file_size = item.file_size;
    auto id = KB_TRY(media.put(ref, now_ms));
    values.push_back(media_ref(id));
  }
  return values;
}

Result<MediaInputOutcome> take_media_input(store::Tx& tx, const telegram::Message& message,
                                           const catalog::Input& input, bool telegram_local_mode,
                                           std::int64_t now_ms) {
  auto decision = KB_TRY(check_media_input(message, input, telegram_local_mode));
  if (auto* rejection = std::get_if<telegram::MediaRejection>(&decision))
    return MediaInputOutcome(std::move(*rejection));
  auto& accepted = std::get<telegram::AcceptedMedia>(decision);
  AcceptedMediaInput out;
  out.values = KB_TRY(store_accepted_media(tx, accepted, now_ms));
  out.media = std::move(accepted);
  return MediaInputOutcome(std::move(out));
}

}  // namespace kb::services
