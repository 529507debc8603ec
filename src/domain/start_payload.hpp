// Deep-link payloads of /start: `ref_<user_id>` (referral) and `m-<slug>` (open a model card). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace kb::domain {

struct NoPayload {};
struct ReferralPayload {
  std::int64_t referrer_id;
};
struct ModelPayload {
  std::string slug;
};
using StartPayload = std::variant<NoPayload, ReferralPayload, ModelPayload>;

// Unknown or malformed payloads are simply ignored (NoPayload): a link typo must not break /start.
StartPayload parse_start_payload(std::string_view payload);

// Whether `referrer` may be credited for inviting `invited` (no self-referral, real ids only).
bool referral_allowed(std::int64_t invited, std::int64_t referrer);

}  // namespace kb::domain
