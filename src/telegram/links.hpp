// http(s) links in message texts: found through `url`/`text_link` entities (UTF-16 offsets) and
// by scanning the text, validated as URLs. Never fetched here. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "telegram/types.hpp"

namespace kb::telegram {

inline constexpr std::size_t kMaxLinkLength = 2048;

// An absolute http:// or https:// URL with a plausible host (name, IPv4 or [IPv6]), optional
// port, no credentials, no whitespace or control characters, at most kMaxLinkLength bytes.
bool is_valid_http_url(std::string_view url);

// Links in a text in order of appearance, without duplicates: entity URLs first resolved, then
// any "http://" / "https://" token the entities missed (trailing punctuation trimmed). Includes
// invalid-looking candidates so callers can tell "no link" from "a broken link".
std::vector<std::string> find_links(std::string_view text,
                                    const std::vector<MessageEntity>& entities);

// The UTF-8 substring of `text` covered by a UTF-16 [offset, offset + length) range; empty when
// the range is outside the text.
std::string utf16_slice(std::string_view text, std::int64_t offset, std::int64_t length);

}  // namespace kb::telegram
