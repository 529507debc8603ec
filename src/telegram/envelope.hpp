// The Bot API response envelope: `{"ok":true,"result":…}` or `{"ok":false,"error_code":…,
// "description":…,"parameters":{…}}`, also when a proxy in between answers with an HTML page.
// Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "telegram/errors.hpp"

namespace kb::telegram {

struct ApiFailure {
  int http_status = 0;
  int error_code = 0;  // equals the HTTP status in practice; the HTTP status when absent
  std::string description{};
  std::optional<int> retry_after;  // seconds (parameters.retry_after, else the Retry-After header)
  std::optional<std::int64_t> migrate_to_chat_id{};

  ErrorInfo info() const { return classify(error_code, description); }
  // As a kb::Error: status = error_code, message = description (+ the migration marker).
  Error to_error() const;
};

struct Envelope {
  bool ok = false;
  nlohmann::json result{};  // when ok
  ApiFailure failure{};     // when not ok
};

// `retry_after_header` is the HTTP Retry-After value when present.
Envelope parse_envelope(int http_status, std::string_view body,
                        std::optional<std::string_view> retry_after_header = std::nullopt);

}  // namespace kb::telegram
