// Range header evaluation.
#include "net/http_range.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/text.hpp"

namespace kb::net {
namespace {

std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string ByteRange::content_range(std::uint64_t total) const {
  return fmt::format("bytes {}-{}/{}", first, last, total);
}

RangeDecision decide_range(std::optional<std::string_view> header, std::uint64_t size) {
  RangeDecision full{RangeOutcome::full, {}};
  RangeDecision bad{RangeOutcome::unsatisfiable, {}};
  if (!header) return full;
  auto h = trim_http_ows(*header);
  if (!h.starts_with("bytes=")) return full;
  auto spec = trim_http_ows(h.substr(6));
  if (spec.find(',') != std::string_view::npos) return full;
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return bad;
  auto first_text = trim_http_ows(spec.substr(0, dash));
  auto last_text = trim_http_ows(spec.substr(dash + 1));
  if (first_text.empty()) {
    // Suffix range: the last N bytes.
    auto n = number(last_text);
    if (!n || *n == 0 || size == 0) return bad;
    std::uint64_t len = std::min(*n, size);
    return {RangeOutcome::partial, {size - len, size - 1}};
  }
  auto first = number(first_text);
  if (!first) return bad;
  if (*first >= size) return bad;
  std::uint64_t last = size - 1;
  if (!last_text.empty()) {
    auto l = number(last_text);
    if (!l || *l < *first) return bad;
    last = std::min(*l, size - 1);
  }
  return {RangeOutcome::partial, {*first, last}};
}

}  // namespace kb::net
