// Media proxy answers and header parsing.
#include "services/media/proxy_http.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/text.hpp"

namespace kb::services::proxy_http {
namespace {

void protect(net::Response& r) {
  r.headers.set("X-Content-Type-Options", "nosniff");
  // A user's "image" may be an SVG or HTML document: never let it run as our origin.
  r.headers.set("Content-Security-Policy", "sandbox");
  r.headers.set("Referrer-Policy", "no-referrer");
  r.headers.set("Cache-Control", "private, no-store");
}

std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

net::Response refusal(int status, std::string_view text) {
  auto r = net::Response::text(status, std::string(text));
  protect(r);
  return r;
}

net::Response try_later(std::chrono::seconds retry_after) {
  auto r = refusal(503, "busy, try again later\n");
  r.headers.set("Retry-After", std::to_string(retry_after.count()));
  return r;
}

net::Response range_not_satisfiable(std::optional<std::uint64_t> total) {
  auto r = refusal(416, "range not satisfiable\n");
  if (total) r.headers.set("Content-Range", fmt::format("bytes */{}", *total));
  return r;
}

net::Response file_answer(const net::RangeDecision& decision, std::optional<std::uint64_t> total,
                          const std::string& content_type) {
  net::Response r;
  r.headers.set("Content-Type", content_type);
  protect(r);
  if (total) r.headers.set("Accept-Ranges", "bytes");
  if (decision.outcome == net::RangeOutcome::partial && total) {
    r.status = 206;
    r.headers.set("Content-Range", decision.range.content_range(*total));
    r.content_length = decision.range.length();
  } else {
    r.status = 200;
    r.content_length = total;
  }
  return r;
}

bool is_single_byte_range(std::string_view range_header) {
  auto h = trim_http_ows(range_header);
  return h.starts_with("bytes=") && h.size() > 6 && h.find(',') == std::string_view::npos;
}

std::optional<ContentRange> parse_content_range(std::string_view header) {
  auto h = trim_http_ows(header);
  if (!h.starts_with("bytes ")) return std::nullopt;
  h = trim_http_ows(h.substr(6));
  auto dash = h.find('-');
  auto slash = h.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash)
    return std::nullopt;
  auto first = number(h.substr(0, dash));
  auto last = number(h.substr(dash + 1, slash - dash - 1));
  if (!first || !last || *last < *first) return std::nullopt;
  ContentRange out{*first, *last, std::nullopt};
  auto total_text = h.substr(slash + 1);
  if (total_text != "*") {
    auto total = number(total_text);
    if (!total || *last >= *total) return std::nullopt;
    out.total = total;
  }
  return out;
}

}  // namespace kb::services::proxy_http
