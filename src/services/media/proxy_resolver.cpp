// Signed proxy URLs for stored media references.
#include "services/media/proxy_resolver.hpp"

#include <functional>
#include <map>

#include "services/media/media_types.hpp"
#include "telegram/links.hpp"

namespace kb::services {

ProxyMediaResolver::ProxyMediaResolver(store::Database& db, const MediaTokenSigner& signer,
                                       const Clock& clock, ProxyResolverOptions options)
    : db_(db), signer_(signer), clock_(clock), options_(std::move(options)) {
  while (!options_.public_base_url.empty() && options_.public_base_url.back() == '/')
    options_.public_base_url.pop_back();
}

std::string ProxyMediaResolver::url_for(std::int64_t media_ref_id,
                                        std::string_view mime_type) const {
  MediaTokenClaims claims;
  claims.kind = MediaTokenKind::user_media;
  claims.expires_at = clock_.now_seconds() + options_.ttl.count();
  claims.media_ref_id = media_ref_id;
  claims.extension = extension_for_mime(mime_type);
  return options_.public_base_url + "/media/" + signer_.sign(claims);
}

Task<Result<std::vector<std::string>>> ProxyMediaResolver::resolve(
    std::vector<std::string> references) {
  std::vector<std::int64_t> ids;
  for (const auto& reference : references) {
    if (auto id = parse_media_ref(reference)) {
      ids.push_back(*id);
    } else if (!telegram::is_valid_http_url(reference)) {
      co_return fail(Errc::invalid_input,
                     "a media input is neither a stored file nor an http(s) link");
    }
  }
  if (!ids.empty() && options_.public_base_url.empty())
    co_return fail(Errc::invalid_input,
                   "MEDIA_MODE=proxy needs a public base URL (WEBHOOK_BASE_URL) for the provider "
                   "to fetch user files; set it or use MEDIA_MODE=kie_upload");

  // Mime types (for the URL's extension) and existence, in one read.
  std::map<std::int64_t, std::string> mime_by_id;
  if (!ids.empty()) {
    // Named, not a temporary inside the co_await: GCC 12 destroys such temporaries twice.
    std::function<Result<std::map<std::int64_t, std::string>>(store::Tx&)> lookup =
        [ids](store::Tx& tx) -> Result<std::map<std::int64_t, std::string>> {
          std::map<std::int64_t, std::string> out;
          auto media = tx.media();
          for (auto id : ids) {
            auto ref = KB_TRY(media.get(id));
            if (!ref) return fail(Errc::not_found, "a stored media file is missing");
            out[id] = ref->mime_type.value_or("");
          }
          return out;
        };
    auto found = co_await db_.read<std::map<std::int64_t, std::string>>(std::move(lookup));
    if (!found) co_return fail(found.error());
    mime_by_id = std::move(*found);
  }

  std::vector<std::string> urls;
  urls.reserve(references.size());
  for (auto& reference : references) {
    if (auto id = parse_media_ref(reference))
      urls.push_back(url_for(*id, mime_by_id[*id]));
    else
      urls.push_back(std::move(reference));
  }
  co_return urls;
}

}  // namespace kb::services
