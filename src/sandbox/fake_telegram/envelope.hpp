// Bot API response envelopes: {"ok":true,"result":…} and {"ok":false,"error_code":…}, with the
// description prefixes the real server uses per status code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kb::sandbox::tg {

using Json = nlohmann::ordered_json;  // keeps keys in the order the real server writes them

struct ApiError {
  int code = 400;
  std::string description;
  std::optional<int> retry_after;
  std::optional<std::int64_t> migrate_to_chat_id;
};

ApiError bad_request(std::string_view text);        // 400 "Bad Request: <text>"
ApiError forbidden(std::string_view text);          // 403 "Forbidden: <text>"
ApiError not_found(std::string_view text = "");     // 404 "Not Found" / "Not Found: <text>"
ApiError conflict(std::string_view text);           // 409 "Conflict: <text>"
ApiError unauthorized(std::string_view text = "");  // 401 "Unauthorized" / "Unauthorized: <text>"
ApiError too_many_requests(int retry_after);        // 429 "Too Many Requests: retry after N"
ApiError missing_parameter(std::string_view name);  // 400 parameter "<name>" is required

// The answer of a method: a result (with an optional description) or an error.
struct Outcome {
  std::optional<ApiError> error;
  Json result;
  std::string description;

  Outcome() = default;
  Outcome(ApiError e) : error(std::move(e)) {}  // NOLINT: implicit on purpose
  static Outcome ok(Json result, std::string description = "");
  bool is_ok() const { return !error.has_value(); }
};

std::string ok_body(const Json& result, std::string_view description = "");
std::string error_body(const ApiError& error);
int http_status_of(const Outcome& outcome);

}  // namespace kb::sandbox::tg
