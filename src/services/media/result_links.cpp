// Signed links for large result files.
#include "services/media/result_links.hpp"

#include "core/log.hpp"
#include "services/media/media_types.hpp"
#include "telegram/links.hpp"

namespace kb::services {

SignedResultLinks::SignedResultLinks(const MediaTokenSigner& signer, const Clock& clock,
                                     ResultLinkOptions options)
    : signer_(signer), clock_(clock), options_(std::move(options)) {
  while (!options_.public_base_url.empty() && options_.public_base_url.back() == '/')
    options_.public_base_url.pop_back();
}

std::string SignedResultLinks::link_for(std::string_view provider_url, std::string_view file_name) {
  if (options_.public_base_url.empty()) return std::string(provider_url);
  if (!telegram::is_valid_http_url(provider_url)) {
    log::warn("result_link_not_signed", {{"reason", "not an http(s) URL"}});
    return std::string(provider_url);
  }
  MediaTokenClaims claims;
  claims.kind = MediaTokenKind::result_file;
  claims.expires_at = clock_.now_seconds() + options_.ttl.count();
  claims.url = std::string(provider_url);
  claims.file_name = sanitize_file_name(file_name.empty() ? "result" : file_name);
  claims.extension = extension_of(claims.file_name);
  if (claims.extension.empty()) claims.extension = extension_of_path(provider_url);
  return options_.public_base_url + "/media/r/" + signer_.sign(claims);
}

}  // namespace kb::services
