// Parsing of /start deep-link payloads.
#include "domain/start_payload.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kb::domain {

StartPayload parse_start_payload(std::string_view p) {
  if (p.empty() || p.size() > 64) return NoPayload{};
  if (p.starts_with("ref_")) {
    auto digits = p.substr(4);
    std::int64_t id = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || id <= 0) return NoPayload{};
    return ReferralPayload{id};
  }
  if (p.starts_with("m-")) {
    auto slug = p.substr(2);
    bool ok = !slug.empty() && std::all_of(slug.begin(), slug.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    if (ok) return ModelPayload{std::string(slug)};
  }
  return NoPayload{};
}

bool referral_allowed(std::int64_t invited, std::int64_t referrer) {
  return invited > 0 && referrer > 0 && invited != referrer;
}

}  // namespace kb::domain
