// HTTP pieces shared by the two media proxy routes: refusals, the headers every file answer
// carries, the status/headers of a (ranged) answer and Content-Range parsing. No I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_range.hpp"
#include "net/http_types.hpp"

namespace kb::services::proxy_http {

// A short plain-text answer that is never cached (403, 404, 410, 416, 502, 503…).
net::Response refusal(int status, std::string_view text);
// 503 with Retry-After.
net::Response try_later(std::chrono::seconds retry_after);
// 416 with `Content-Range: bytes */<total>` when the size is known.
net::Response range_not_satisfiable(std::optional<std::uint64_t> total);

// The status line and headers of a file answer: 200 (whole file, Content-Length when the size is
// known) or 206 (Content-Range); Accept-Ranges when ranges can be served; the content type; and
// headers that keep a browser from running user content on our origin (nosniff, CSP sandbox) or
// shared caches from keeping capability URLs. `stream` and `content_length` are set by callers.
net::Response file_answer(const net::RangeDecision& decision, std::optional<std::uint64_t> total,
                          const std::string& content_type);

// A single `bytes=` range (what may be forwarded upstream); lists and other units are not.
bool is_single_byte_range(std::string_view range_header);

struct ContentRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::optional<std::uint64_t> total;  // "*" → unknown
};
// "bytes 0-99/1000" or "bytes 0-99/*"; nullopt for anything else (including "bytes */1000").
std::optional<ContentRange> parse_content_range(std::string_view header);

}  // namespace kb::services::proxy_http
