// Message text as the Bot API server processes it: HTML parse mode into plain text + entities
// (with the server's error texts), auto-detected entities (bot commands, URLs, mentions),
// whitespace trimming, and lengths in UTF-16 code units. Pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sandbox/fake_telegram/envelope.hpp"

namespace kb::sandbox::tg {

struct FormattedText {
  std::string text;
  Json entities = Json::array();  // MessageEntity objects, sorted by offset (longer first)
};

std::size_t utf16_length(std::string_view utf8);
bool is_valid_utf8(std::string_view text);

// Parses Telegram's HTML subset. Errors are the server's texts after "can't parse entities: ",
// e.g. `Unsupported start tag "p" at byte offset 0`.
Result<FormattedText> parse_html(std::string_view html);

// Adds bot_command, url and mention entities the server detects by itself (never overlapping
// the given ones).
void add_auto_entities(FormattedText& text);

// Removes leading and trailing whitespace, moving and clipping entities with it.
void trim_formatted(FormattedText& text);

// The whole pipeline for a text or caption parameter: parse_mode (HTML, MarkdownV2, Markdown or
// none; "unsupported parse_mode" otherwise), explicit `entities` JSON when no parse_mode, trim,
// auto entities. Error messages are Bot API descriptions without the "Bad Request: " prefix.
Result<FormattedText> format_text(std::string_view text, std::string_view parse_mode,
                                  std::optional<std::string> entities_json);

}  // namespace kb::sandbox::tg
