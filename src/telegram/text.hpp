// Message text helpers: HTML escaping (parse_mode HTML), UTF-16 length (Telegram's unit for
// limits and entity offsets), a splitter that keeps each part within the limit without cutting a
// tag, an entity or a character (re-opening formatting across parts), and HTML → plain text for
// the "can't parse entities" fallback. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kb::telegram {

inline constexpr std::size_t kMaxMessageText = 4096;  // UTF-16 units after entity parsing
inline constexpr std::size_t kMaxCaption = 1024;
inline constexpr std::size_t kMaxCallbackAnswerText = 200;

// Escapes &, <, > and " so any text is safe inside parse_mode=HTML (also in attribute values).
std::string escape_html(std::string_view text);

// UTF-16 code units of a UTF-8 string (each invalid byte counts as one).
std::size_t utf16_length(std::string_view text);

// Visible length of an HTML text as Telegram counts it: tags count nothing, an entity counts as
// the character it stands for.
std::size_t html_visible_length(std::string_view html);

// Splits `text` into parts of at most `limit` UTF-16 units (visible length for HTML), preferring
// paragraph breaks, then line breaks, then spaces, and never cutting a character, an HTML tag or
// entity. With `html`, formatting open at a cut is closed at the end of the part and re-opened at
// the start of the next. Whitespace at the cuts is dropped; empty parts are never produced.
std::vector<std::string> split_text(std::string_view text, std::size_t limit = kMaxMessageText,
                                    bool html = false);

// Removes tags and decodes entities: what a user should see when the HTML was rejected.
std::string html_to_plain(std::string_view html);

// At most `limit` UTF-16 units, cut at a character boundary, with "…" when shortened.
std::string truncate_text(std::string_view text, std::size_t limit);

}  // namespace kb::telegram
