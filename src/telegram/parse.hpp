// JSON → Bot API types. Pure (nlohmann::json only, no Asio) and exception-free so it can be
// fuzzed with clang 14: unknown fields are ignored; a wrong type or a missing required field
// gives Errc::invalid_input with the JSON path of the problem ("$.message.chat.id: …").
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "telegram/types.hpp"

namespace kb::telegram {

// reply_to_message nests at most once in practice; deeper nesting is refused as hostile input.
inline constexpr int kMaxMessageNesting = 3;

Result<Update> parse_update(std::string_view json_text);
Result<Update> parse_update_value(const nlohmann::json& value);

// Method results (the `result` of an envelope).
Result<Message> parse_message(const nlohmann::json& value);
Result<std::vector<Message>> parse_messages(const nlohmann::json& value);
Result<User> parse_user(const nlohmann::json& value);
Result<BotInfo> parse_bot_info(const nlohmann::json& value);
Result<File> parse_file(const nlohmann::json& value);
Result<WebhookInfo> parse_webhook_info(const nlohmann::json& value);
// getUpdates: each element kept as raw JSON text; an element without a usable update_id fails
// the whole batch (the offset could not advance past it safely otherwise).
Result<std::vector<RawUpdate>> parse_raw_updates(const nlohmann::json& value);
Result<InlineKeyboard> parse_inline_keyboard(const nlohmann::json& value);

}  // namespace kb::telegram
