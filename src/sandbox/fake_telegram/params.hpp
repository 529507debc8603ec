// Parameters of a Bot API call as the real server reads them: query string, urlencoded form,
// JSON object (strings decoded, other values kept as raw JSON text) or multipart/form-data (parts
// with a filename are files). Pure: no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "net/multipart.hpp"

namespace kb::sandbox::tg {

struct ApiParams {
  std::map<std::string, std::string, std::less<>> values;
  std::map<std::string, net::FormPart, std::less<>> files;  // multipart parts with a filename
  std::string encoding = "query";                           // query | form | json | multipart

  bool has(std::string_view name) const;
  // The text of a parameter; nullopt when absent. An empty value counts as absent, like the real
  // server's `arg()` (which cannot tell them apart).
  std::optional<std::string> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string_view fallback = "") const;
  bool get_bool(std::string_view name) const;
  // Missing: `fallback`; present: parsed like the server (garbage → 0) and clamped.
  std::int64_t get_int(std::string_view name, std::int64_t fallback, std::int64_t min,
                       std::int64_t max) const;
  const net::FormPart* file(std::string_view name) const;
};

std::string ascii_lower(std::string_view text);
// "true", "yes", "1" (trimmed, case-insensitive) are true; anything else is false.
bool to_bool(std::string_view text);
// Leading optional sign and digits; anything else gives 0 (like td::to_integer).
std::int64_t to_integer(std::string_view text);

// Errors carry the Bot API description (without the "Bad Request: " prefix).
Result<ApiParams> parse_api_params(std::string_view content_type, std::string_view query,
                                   std::string_view body);

}  // namespace kb::sandbox::tg
