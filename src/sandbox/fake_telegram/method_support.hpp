// Shared parameter handling of the fake's methods: chats, reply markup, text, replies and new
// bot messages, with the real server's error texts. All functions need impl.mu held.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sandbox/fake_telegram/methods.hpp"
#include "sandbox/fake_telegram/text_format.hpp"

namespace kb::sandbox::tg {

// The target chat of a send: chat_id required, chat must exist (or be creatable), the user must
// not have blocked the bot.
Result<ChatState*> target_chat_locked(Impl& impl, const ApiParams& params);
// Turns a Result error from target_chat_locked/… back into an ApiError.
ApiError to_api_error(const Error& error);
// Encodes an ApiError into a kb::Error so it can travel through Result.
Unexpected api_fail(ApiError error);

// reply_markup (any keyboard type) validated like the server; null when absent.
Result<Json> reply_markup_param(const ApiParams& params);
// text + parse_mode + entities. `kind`: "text" (1–4096) or "caption" (0–1024).
Result<FormattedText> text_param(const ApiParams& params, std::string_view kind);
// reply_parameters / reply_to_message_id: the replied message rendered, or null.
Result<Json> reply_param_locked(Impl& impl, const ApiParams& params, const ChatState& chat);

// A new message from the bot in `chat` with the common fields set (id assigned on add).
StoredMessage new_bot_message(Impl& impl, const ChatState& chat);
Outcome message_outcome(Impl& impl, const StoredMessage& message);
// Parses a message_id parameter (required).
Result<std::int64_t> message_id_param(const ApiParams& params, std::string_view name);

}  // namespace kb::sandbox::tg
