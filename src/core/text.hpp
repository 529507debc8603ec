// Whitespace trimming shared by every parser of typed or transmitted text.
#pragma once

#include <string_view>

namespace kb {

// ASCII whitespace as C's isspace in the "C" locale: space, \t, \n, \r, \f, \v.
constexpr bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// `s` without leading and trailing ASCII whitespace (typed input, config values, JSON strings).
constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// `s` without leading and trailing HTTP optional whitespace (RFC 9110 OWS: space and tab).
constexpr std::string_view trim_http_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace kb
