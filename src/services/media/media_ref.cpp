// "kbmedia:<id>" references.
#include <charconv>

#include "services/media/media_resolver.hpp"

namespace kb::services {

std::string media_ref(std::int64_t id) { return std::string(kMediaRefScheme) + std::to_string(id); }

std::optional<std::int64_t> parse_media_ref(std::string_view value) {
  if (!value.starts_with(kMediaRefScheme)) return std::nullopt;
  auto digits = value.substr(kMediaRefScheme.size());
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace kb::services
