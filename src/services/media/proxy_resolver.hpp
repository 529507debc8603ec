// MEDIA_MODE=proxy: a stored media reference becomes a signed URL on this server's public base
// URL (GET /media/<token>), valid MEDIA_URL_TTL_SECONDS from the moment the job is submitted.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "services/media/media_resolver.hpp"
#include "services/media/media_token.hpp"
#include "store/database.hpp"

namespace kb::services {

struct ProxyResolverOptions {
  std::string public_base_url;     // WEBHOOK_BASE_URL / RENDER_EXTERNAL_URL, no trailing slash
  std::chrono::seconds ttl{7200};  // MEDIA_URL_TTL_SECONDS: long enough for provider queues
};

class ProxyMediaResolver final : public MediaResolver {
 public:
  ProxyMediaResolver(store::Database& db, const MediaTokenSigner& signer, const Clock& clock,
                     ProxyResolverOptions options);

  // "kbmedia:<id>" → <base>/media/<token>.<ext> (the reference must exist: Errc::not_found
  // otherwise); an http(s) link → itself; anything else → Errc::invalid_input. Without a public
  // base URL nothing can be signed for the provider: Errc::invalid_input naming the fix.
  Task<Result<std::vector<std::string>>> resolve(std::vector<std::string> references) override;

  // The signed URL of one reference (no database check), for tools and tests.
  std::string url_for(std::int64_t media_ref_id, std::string_view mime_type) const;

 private:
  store::Database& db_;
  const MediaTokenSigner& signer_;
  const Clock& clock_;
  ProxyResolverOptions options_;
};

}  // namespace kb::services
