// Parsing of multipart/form-data bodies (RFC 7578), used by the fake servers' upload routes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace kb::net {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;  // empty when the part has none
  std::string data;
};

// The boundary parameter of a `multipart/form-data; boundary=…` content type.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Splits a complete body into parts. Malformed input gives an error, never a crash.
Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary);

// Decodes `a=1&b=x%20y` into ordered pairs.
std::vector<std::pair<std::string, std::string>> parse_urlencoded(std::string_view body);

}  // namespace kb::net
