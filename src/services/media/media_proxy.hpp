// The signed streaming media proxy: GET/HEAD /media/<token> streams a user's file from Telegram
// (resolved with getFile, never redirected: the download URL carries the bot token), and
// GET/HEAD /media/r/<token> streams a provider result file too large for Telegram. Both honour
// Range (206 / 416), announce Content-Type and Content-Length, relay with bounded memory (the next
// upstream chunk is read only after the previous one was written) and are capped in concurrency.
//
// Status codes: 403 tampered (or a token for the other route), 410 expired, 404 unknown file,
// 416 bad range, 503 + Retry-After over the cap or while Telegram/the database is unavailable,
// 502 when the upstream refuses the file. Bodies are short fixed texts; nothing upstream says
// (URLs, error texts) is ever echoed.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "net/http_client.hpp"
#include "net/http_types.hpp"
#include "net/metrics.hpp"
#include "net/router.hpp"
#include "services/media/file_path_cache.hpp"
#include "services/media/media_token.hpp"
#include "services/media/stream_slots.hpp"
#include "store/database.hpp"
#include "telegram/api.hpp"

namespace kb::services {

struct MediaProxyOptions {
  // Streams (and their getFile / database lookups) at once in this instance; beyond: 503.
  std::size_t max_concurrent = 32;
  std::chrono::seconds retry_after{5};  // Retry-After of the 503 answers
  // getFile answers are reused this long (Telegram keeps a download link valid >= 1 h).
  std::chrono::seconds file_path_ttl{50 * 60};
  std::size_t file_path_cache_entries = 4096;
  // Result files: connecting, and the whole download (a slow reader slows the upstream down).
  std::chrono::milliseconds result_connect_timeout{10'000};
  std::chrono::milliseconds result_timeout{60 * 60'000};
};

class MediaProxy {
 public:
  // Everything referenced must outlive the proxy (and the HTTP server that routes to it).
  // `signer` is the one shared with ProxyMediaResolver and SignedResultLinks.
  MediaProxy(store::Database& db, telegram::TelegramApi& telegram, net::HttpClient& http,
             const MediaTokenSigner& signer, const Clock& clock, MediaProxyOptions options = {},
             net::MetricsRegistry* metrics = nullptr);

  // GET and HEAD /media/{token}
  Task<net::Response> serve_user_media(net::Request& request);
  // GET and HEAD /media/r/{token}
  Task<net::Response> serve_result(net::Request& request);

  std::size_t active_streams() const { return slots_.in_use(); }
  const MediaProxyOptions& options() const { return options_; }

 private:
  Task<Result<telegram::File>> file_for(const std::string& file_id, bool refresh);
  net::Response busy() const;

  store::Database& db_;
  telegram::TelegramApi& telegram_;
  net::HttpClient& http_;
  const MediaTokenSigner& signer_;
  const Clock& clock_;
  MediaProxyOptions options_;
  StreamSlots slots_;
  FilePathCache files_;
};

// Registers GET (HEAD follows GET) /media/{token} and /media/r/{token}.
void add_media_routes(net::Router& router, MediaProxy& proxy);

}  // namespace kb::services
