// Telegram → provider upload of stored media references.
#include "services/media/kie_upload_resolver.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "services/media/media_token.hpp"
#include "services/media/media_types.hpp"
#include "telegram/errors.hpp"
#include "telegram/links.hpp"

namespace kb::services {
namespace {

// Telegram failures: transient ones become Errc::unavailable so that the caller retries later.
Error telegram_error(const Error& e) {
  auto info = telegram::classify(e);
  if (e.code == Errc::not_found || info.kind == telegram::ErrorKind::wrong_file_id)
    return Error{Errc::not_found, "Telegram no longer has the user's file", e.status};
  if (info.error_class == telegram::ErrorClass::retryable || e.code == Errc::unavailable ||
      e.code == Errc::timeout)
    return Error{Errc::unavailable, "Telegram file download failed: " + e.message, e.status};
  return Error{Errc::upstream, "Telegram refused the file download: " + e.message, e.status};
}

Error upload_error(const kie::KieFailure& f) {
  std::string what = "provider upload failed: " + std::string(kie::failure_reason_name(f.reason));
  // An upload creates nothing billable: "ambiguous" is as retryable as "later".
  if (f.retry != kie::Retry::never) return Error{Errc::unavailable, what, f.code};
  return Error{Errc::upstream, what, f.code};
}

}  // namespace

KieUploadMediaResolver::KieUploadMediaResolver(store::Database& db, telegram::TelegramApi& telegram,
                                               kie::KieApi& kie, KieUploadOptions options)
    : db_(db), telegram_(telegram), kie_(kie), options_(std::move(options)) {}

Task<Result<std::vector<std::string>>> KieUploadMediaResolver::resolve(
    std::vector<std::string> references) {
  std::vector<std::string> urls;
  urls.reserve(references.size());
  for (auto& reference : references) {
    if (auto id = parse_media_ref(reference)) {
      auto url = co_await upload_one(*id);
      if (!url) co_return fail(url.error());
      urls.push_back(std::move(*url));
    } else if (telegram::is_valid_http_url(reference)) {
      urls.push_back(std::move(reference));
    } else {
      co_return fail(Errc::invalid_input,
                     "a media input is neither a stored file nor an http(s) link");
    }
  }
  co_return urls;
}

Task<Result<std::string>> KieUploadMediaResolver::upload_one(std::int64_t media_ref_id) {
  auto found = co_await db_.read<std::optional<store::MediaRef>>(
      [media_ref_id](store::Tx& tx) { return tx.media().get(media_ref_id); });
  if (!found) co_return fail(found.error());
  if (!*found) co_return fail(Errc::not_found, "a stored media file is missing");
  const store::MediaRef ref = std::move(**found);

  Result<std::string> outcome = fail(Errc::internal, "no upload attempt");
  for (int attempt = 1; attempt <= std::max(1, options_.attempts); ++attempt) {
    outcome = co_await try_upload(ref);
    if (outcome || outcome.error().code != Errc::unavailable) break;
    log::info(
        "media_upload_retry",
        {{"media_ref", media_ref_id}, {"attempt", attempt}, {"error", outcome.error().message}});
  }
  co_return outcome;
}

Task<Result<std::string>> KieUploadMediaResolver::try_upload(const store::MediaRef& ref) {
  auto file = co_await telegram_.get_file(ref.telegram_file_id);
  if (!file) co_return fail(telegram_error(file.error()));
  auto stream = co_await telegram_.open_file(*file);
  if (!stream) co_return fail(telegram_error(stream.error()));

  kie::FileUpload upload;
  upload.upload_path = options_.upload_path;
  std::string mime = ref.mime_type.value_or("");
  std::string ext = extension_for_mime(mime);
  if (ext.empty()) ext = extension_of_path(file->file_path);
  // The stable unique id names the file: the same file uploaded again overwrites itself.
  upload.file_name = sanitize_file_name(ref.file_unique_id) + (ext.empty() ? "" : "." + ext);
  upload.content_type = mime.empty() ? mime_for_extension(ext) : mime;
  upload.stream_size = (*stream)->content_length();
  if (!upload.stream_size && file->file_size && *file->file_size >= 0)
    upload.stream_size = static_cast<std::uint64_t>(*file->file_size);
  upload.stream = std::move(*stream);

  auto uploaded = co_await kie_.upload_file(std::move(upload));
  if (!uploaded) co_return fail(upload_error(uploaded.failure));
  if (uploaded.value->download_url.empty())
    co_return fail(Errc::upstream, "provider upload answered without a downloadUrl");
  log::info("media_uploaded",
            {{"media_ref", ref.id},
             {"bytes", static_cast<std::int64_t>(uploaded.value->size.value_or(0))}});
  co_return uploaded.value->download_url;
}

}  // namespace kb::services
