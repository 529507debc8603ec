// Turns the media references a wizard stored ("kbmedia:<id>" or a user's http(s) link) into URLs
// the provider can fetch, right before a task is created (signed URLs expire, so never earlier).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/asio.hpp"
#include "core/result.hpp"

namespace kb::services {

inline constexpr std::string_view kMediaRefScheme = "kbmedia:";

std::string media_ref(std::int64_t media_ref_id);
// The id inside "kbmedia:<id>", or nothing for anything else (a plain link).
std::optional<std::int64_t> parse_media_ref(std::string_view value);

class MediaResolver {
 public:
  virtual ~MediaResolver() = default;
  // One URL per reference, in order. Links pass through unchanged.
  virtual Task<Result<std::vector<std::string>>> resolve(std::vector<std::string> references) = 0;
};

// A public link for a result too large to send through Telegram (streams the provider's file).
class ResultLinks {
 public:
  virtual ~ResultLinks() = default;
  virtual std::string link_for(std::string_view provider_url, std::string_view file_name) = 0;
};

}  // namespace kb::services
