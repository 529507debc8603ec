// What a broadcast says: text, or a photo (Telegram file id) with a caption, plus an optional URL
// button. Stored as JSON in `broadcasts.content_json` and in the composing admin's state. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "telegram/requests.hpp"

namespace kb::services::admin {

struct BroadcastContent {
  std::string text;   // the message, or the photo's caption (plain text: sent escaped)
  std::string photo;  // file id; empty: a text message
  std::string button_text;
  std::string button_url;  // http(s); both empty: no button

  bool empty() const { return text.empty() && photo.empty(); }
};

std::string content_to_json(const BroadcastContent& content);
// Unreadable JSON: nothing.
std::optional<BroadcastContent> content_from_json(std::string_view json);

// "Text | https://example.com" → the button; nothing when the line does not fit.
std::optional<std::pair<std::string, std::string>> parse_url_button(std::string_view line);

// The Bot API request that delivers the content to `chat_id`.
std::variant<telegram::SendMessage, telegram::SendMedia> broadcast_request(
    const BroadcastContent& content, std::int64_t chat_id);

}  // namespace kb::services::admin
