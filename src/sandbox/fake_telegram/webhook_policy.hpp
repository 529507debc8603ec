// Rules of the Bot API server's webhook handling: URL and secret validation, redelivery delays,
// per-type update expiry and per-chat delivery queues. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sandbox/fake_telegram/envelope.hpp"

namespace kb::sandbox::tg {

// nullopt when `url` is acceptable (an empty url means "delete"). `strict`: the cloud's rules
// (https only, ports 443/80/88/8443, no reserved IPs); otherwise any http(s) URL, like --local.
std::optional<ApiError> validate_webhook_url(std::string_view url, bool strict);
std::optional<ApiError> validate_secret_token(std::string_view secret);

// Delay before the next attempt after `failures` consecutive failures (1 = the first failure):
// 0, 2, 4, 8, 16, 32, 64 s, then a value in 60–120 s picked from `random`. A Retry-After header
// from the webhook replaces it (clamped to 3600 s).
std::int64_t webhook_retry_delay_ms(int failures, std::optional<int> retry_after_header,
                                    std::uint64_t random);

// When an update of `type` created at `event_ms` is dropped: messages and chat member updates
// after 24 h, callback, shipping and pre-checkout queries after 150 s, inline queries after 30 s.
std::int64_t update_expiry_ms(std::string_view type, std::int64_t event_ms);

// The delivery queue of an update: at most one update per key is in flight.
std::string update_queue_key(const Json& update);

// The update's type: the name of its payload field ("message", "callback_query", …).
std::string update_type(const Json& update);

}  // namespace kb::sandbox::tg
