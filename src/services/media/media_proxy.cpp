// The media proxy: token checks, the user-media route (database → getFile → Telegram file
// stream) and the route registration. The result route is in media_proxy_results.cpp.
#include "services/media/media_proxy.hpp"

#include "core/log.hpp"
#include "core/mime_type.hpp"
#include "net/http_range.hpp"
#include "services/media/media_types.hpp"
#include "services/media/proxy_http.hpp"
#include "services/media/range_body.hpp"
#include "telegram/errors.hpp"

namespace kb::services {
namespace {

// What a Telegram failure means to the fetcher: gone (404), try later (503), or refused (502).
net::Response telegram_refusal(const Error& e, std::chrono::seconds retry_after) {
  auto info = telegram::classify(e);
  if (e.code == Errc::not_found || info.kind == telegram::ErrorKind::wrong_file_id)
    return proxy_http::refusal(404, "not found\n");
  if (info.error_class == telegram::ErrorClass::retryable || e.code == Errc::unavailable ||
      e.code == Errc::timeout || e.code == Errc::rate_limited)
    return proxy_http::try_later(retry_after);
  return proxy_http::refusal(502, "file unavailable\n");
}

}  // namespace

MediaProxy::MediaProxy(store::Database& db, telegram::TelegramApi& telegram, net::HttpClient& http,
                       const MediaTokenSigner& signer, const Clock& clock,
                       MediaProxyOptions options, net::MetricsRegistry* metrics)
    : db_(db),
      telegram_(telegram),
      http_(http),
      signer_(signer),
      clock_(clock),
      options_(options),
      slots_(options.max_concurrent),
      files_(clock, options.file_path_ttl, options.file_path_cache_entries) {
  if (metrics)
    metrics->gauge_callback("kiebot_media_streams_active",
                            "Media proxy requests being served (the cap is MediaProxyOptions)", {},
                            slots_.reader());
}

net::Response MediaProxy::busy() const {
  log::info("media_busy", {{"limit", static_cast<std::int64_t>(slots_.limit())}});
  return proxy_http::try_later(options_.retry_after);
}

Task<Result<telegram::File>> MediaProxy::file_for(const std::string& file_id, bool refresh) {
  if (!refresh) {
    if (auto cached = files_.get(file_id)) co_return *cached;
  }
  auto file = co_await telegram_.get_file(file_id);
  if (!file) co_return fail(file.error());
  files_.put(file_id, *file);
  co_return *file;
}

Task<net::Response> MediaProxy::serve_user_media(net::Request& request) {
  auto permit = slots_.try_acquire();
  if (!permit) co_return busy();
  auto check = signer_.verify(request.param("token"), clock_.now_seconds());
  if (check.status == TokenStatus::tampered || check.claims.kind != MediaTokenKind::user_media) {
    log::info("media_refused", {{"route", "media"}, {"reason", "bad_token"}});
    co_return proxy_http::refusal(403, "forbidden\n");
  }
  if (check.status == TokenStatus::expired) {
    log::info("media_refused", {{"route", "media"}, {"reason", "expired"}});
    co_return proxy_http::refusal(410, "this link has expired\n");
  }

  const auto ref_id = check.claims.media_ref_id;
  auto found = co_await db_.read<std::optional<store::MediaRef>>(
      [ref_id](store::Tx& tx) { return tx.media().get(ref_id); });
  if (!found) {
    log::warn("media_lookup_failed", {{"media_ref", ref_id}, {"error", found.error().describe()}});
    co_return proxy_http::try_later(options_.retry_after);
  }
  if (!*found) {
    log::info("media_refused",
              {{"route", "media"}, {"reason", "unknown_ref"}, {"media_ref", ref_id}});
    co_return proxy_http::refusal(404, "not found\n");
  }
  const store::MediaRef ref = std::move(**found);

  auto file = co_await file_for(ref.telegram_file_id, false);
  if (!file) {
    log::warn("media_get_file_failed", {{"media_ref", ref_id}, {"error", file.error().describe()}});
    co_return telegram_refusal(file.error(), options_.retry_after);
  }
  std::string content_type = ref.mime_type && is_plain_mime_type(*ref.mime_type)
                                 ? *ref.mime_type
                                 : mime_for_extension(extension_of_path(file->file_path));
  std::optional<std::uint64_t> total;
  if (auto size = file->file_size ? file->file_size : ref.file_size; size && *size >= 0)
    total = static_cast<std::uint64_t>(*size);
  const auto range_header = request.headers.get("Range");
  const bool head = request.method == "HEAD";

  // HEAD with a known size needs no download at all.
  if (head && total) {
    auto decision = net::decide_range(range_header, *total);
    if (decision.outcome == net::RangeOutcome::unsatisfiable)
      co_return proxy_http::range_not_satisfiable(total);
    auto answer = proxy_http::file_answer(decision, total, content_type);
    answer.stream = std::make_shared<NoBody>();
    co_return answer;
  }

  // The Bot API file endpoint takes no Range through TelegramApi::open_file: the range is cut
  // out of the stream here (at most 20 MB are read on the cloud API).
  auto stream = co_await telegram_.open_file(*file);
  if (!stream && stream.error().code == Errc::not_found) {
    // A cached file_path may have gone stale: ask getFile once more.
    files_.forget(ref.telegram_file_id);
    file = co_await file_for(ref.telegram_file_id, true);
    if (!file) co_return telegram_refusal(file.error(), options_.retry_after);
    stream = co_await telegram_.open_file(*file);
  }
  if (!stream) {
    log::warn("media_download_failed",
              {{"media_ref", ref_id}, {"error", stream.error().describe()}});
    co_return telegram_refusal(stream.error(), options_.retry_after);
  }
  if (auto length = (*stream)->content_length()) total = length;

  auto decision = total ? net::decide_range(range_header, *total) : net::RangeDecision{};
  if (decision.outcome == net::RangeOutcome::unsatisfiable)
    co_return proxy_http::range_not_satisfiable(total);
  auto answer = proxy_http::file_answer(decision, total, content_type);
  if (head) {
    answer.stream = std::make_shared<NoBody>();
    co_return answer;
  }
  std::uint64_t skip = decision.outcome == net::RangeOutcome::partial ? decision.range.first : 0;
  answer.stream = std::make_shared<RangeBody>(std::move(*stream), skip, answer.content_length,
                                              std::move(permit));
  co_return answer;
}

void add_media_routes(net::Router& router, MediaProxy& proxy) {
  MediaProxy* p = &proxy;
  router.add("GET", "/media/{token}",
             [p](net::Request& request) { return p->serve_user_media(request); });
  router.add("GET", "/media/r/{token}",
             [p](net::Request& request) { return p->serve_result(request); });
}

}  // namespace kb::services
