// Parsing of a single-range `Range: bytes=…` header against a known resource size (RFC 9110 §14).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kb::net {

struct ByteRange {
  std::uint64_t first = 0;  // inclusive
  std::uint64_t last = 0;   // inclusive
  std::uint64_t length() const { return last - first + 1; }
  std::string content_range(std::uint64_t total) const;  // "bytes 0-99/1000"
};

enum class RangeOutcome { full, partial, unsatisfiable };

struct RangeDecision {
  RangeOutcome outcome = RangeOutcome::full;
  ByteRange range;
};

// No header, a header in another unit, or several ranges → full (serving the whole body is always
// allowed); a syntactically valid range outside the resource → unsatisfiable (416); a malformed
// bytes range → unsatisfiable as well, so clients learn their request was wrong.
RangeDecision decide_range(std::optional<std::string_view> header, std::uint64_t size);

}  // namespace kb::net
