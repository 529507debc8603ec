// services::ResultLinks over the media proxy: a result file too large for Telegram is offered as
// <base>/media/r/<token>, which streams the provider's file (the provider URL and the expiry are
// signed into the token; default lifetime 24 h).
#pragma once

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "services/media/media_resolver.hpp"
#include "services/media/media_token.hpp"

namespace kb::services {

struct ResultLinkOptions {
  std::string public_base_url;  // no trailing slash; empty: links are the provider URLs themselves
  std::chrono::seconds ttl{24 * 3600};
};

class SignedResultLinks final : public ResultLinks {
 public:
  SignedResultLinks(const MediaTokenSigner& signer, const Clock& clock, ResultLinkOptions options);

  // Only valid http(s) URLs are signed. Without a public base URL (nothing can reach this server)
  // and for anything that is not an http(s) URL, the provider URL is returned unchanged: it is
  // what the user would have got anyway, and this server never fetches it.
  std::string link_for(std::string_view provider_url, std::string_view file_name) override;

 private:
  const MediaTokenSigner& signer_;
  const Clock& clock_;
  ResultLinkOptions options_;
};

}  // namespace kb::services
