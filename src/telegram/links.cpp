// Link discovery and URL validation for media given as links.
#include "telegram/links.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "telegram/utf8.hpp"

namespace kb::telegram {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

bool valid_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  if (host.front() == '.' || host.back() == '.' || host.front() == '-') return false;
  std::size_t label = 0;
  for (char c : host) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
              static_cast<unsigned char>(c) >= 0x80;  // internationalized names
    if (!ok || ++label > 63) return false;
  }
  return true;
}

bool valid_ipv6_literal(std::string_view host) {
  // "[…]" with hex digits, ':' and '.' (IPv4-mapped); a full check is the resolver's job.
  if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
  auto inner = host.substr(1, host.size() - 2);
  return std::all_of(inner.begin(), inner.end(),
                     [](char c) {
                       return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
                     }) &&
         inner.find(':') != std::string_view::npos;
}

bool is_trailing_punctuation(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' ||
         c == ']' || c == '}' || c == '"' || c == '\'' || c == '>';
}

}  // namespace

bool is_valid_http_url(std::string_view url) {
  if (url.empty() || url.size() > kMaxLinkLength) return false;
  std::size_t scheme_len;
  if (starts_with_ci(url, "https://"))
    scheme_len = 8;
  else if (starts_with_ci(url, "http://"))
    scheme_len = 7;
  else
    return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7F) return false;  // whitespace and control characters
  auto rest = url.substr(scheme_len);
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return false;  // no credentials
  std::string_view host = authority;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(0, close + 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      authority = after;  // ":port"
    } else {
      authority = {};
    }
    if (!valid_ipv6_literal(host)) return false;
  } else {
    auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    authority = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
    if (!valid_host_name(host)) return false;
  }
  if (!authority.empty()) {  // ":port"
    auto digits = authority.substr(1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || port == 0 ||
        port > 65535)
      return false;
  }
  return true;
}

std::string utf16_slice(std::string_view text, std::int64_t offset, std::int64_t length) {
  if (offset < 0 || length <= 0) return {};
  std::int64_t units = 0;
  std::size_t pos = 0, begin = std::string_view::npos;
  while (pos < text.size()) {
    if (units == offset && begin == std::string_view::npos) begin = pos;
    if (units >= offset + length) break;
    auto cp = detail::decode_utf8(text, pos);
    units += static_cast<std::int64_t>(detail::utf16_units(cp.value));
    pos += cp.bytes;
  }
  if (begin == std::string_view::npos || units < offset + length) return {};
  return std::string(text.substr(begin, pos - begin));
}

std::vector<std::string> find_links(std::string_view text,
                                    const std::vector<MessageEntity>& entities) {
  std::vector<std::string> links;
  auto add = [&](std::string link) {
    if (!link.empty() && std::find(links.begin(), links.end(), link) == links.end())
      links.push_back(std::move(link));
  };
  for (const auto& e : entities) {
    if (e.type == "text_link")
      add(e.url);
    else if (e.type == "url")
      add(utf16_slice(text, e.offset, e.length));
  }
  // Clients that send no entities (or a link Telegram did not recognize): scan for schemes.
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto found = std::string_view::npos;
    for (std::size_t i = pos; i < text.size(); ++i) {
      if ((text[i] == 'h' || text[i] == 'H') && (starts_with_ci(text.substr(i), "http://") ||
                                                 starts_with_ci(text.substr(i), "https://"))) {
        found = i;
        break;
      }
    }
    if (found == std::string_view::npos) break;
    std::size_t end = found;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    auto candidate = text.substr(found, end - found);
    while (!candidate.empty() && is_trailing_punctuation(candidate.back()))
      candidate.remove_suffix(1);
    add(std::string(candidate));
    pos = end;
  }
  return links;
}

}  // namespace kb::telegram
