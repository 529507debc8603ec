// Bot API JSON for users, chats, files and messages, in the key order the real server writes
// (legacy `thumb`, legacy forward fields, `document` duplicated for animations, false booleans
// omitted), and the MessageView the tests and the sandbox page read. Pure.
#pragma once

#include <cstdint>
#include <vector>

#include "sandbox/fake_telegram/envelope.hpp"
#include "sandbox/fake_telegram/file_store.hpp"
#include "sandbox/fake_telegram/records.hpp"
#include "sandbox/fake_telegram/world.hpp"

namespace kb::sandbox::tg {

struct BotIdentity {
  std::int64_t id = 0;
  std::string first_name;
  std::string username;
};

Json user_json(const User& user);
Json bot_json(const BotIdentity& bot);
Json chat_json(const ChatState& chat, const World& world);

// PhotoSize array, smallest first.
Json photo_json(const std::vector<const StoredFile*>& sizes);
Json photo_size_json(const StoredFile& file);
// Document / Video / Animation / Audio / Voice / VideoNote / Sticker objects.
Json document_json(const StoredFile& file, const StoredFile* thumbnail);
Json video_json(const StoredFile& file, const StoredFile* thumbnail);
Json animation_json(const StoredFile& file, const StoredFile* thumbnail);
Json audio_json(const StoredFile& file, const std::string& title, const std::string& performer);
Json voice_json(const StoredFile& file);
Json video_note_json(const StoredFile& file, const StoredFile* thumbnail);
Json sticker_json(const StoredFile& file, const std::string& emoji);

// forward_origin plus the legacy fields for the origin's type, then forward_date.
Json forward_fields(const ForwardOrigin& origin, std::int64_t date);

Json render_message(const StoredMessage& message, const World& world, const BotIdentity& bot,
                    bool include_reply = true);
// {"message_id", "chat", "date": 0}: a message the bot can no longer access.
Json inaccessible_message(std::int64_t message_id, const ChatState& chat, const World& world);

MessageView view_of(const StoredMessage& message, const World& world, const BotIdentity& bot);

// The inline keyboard of a reply_markup JSON (empty for other keyboards).
std::vector<std::vector<Button>> inline_keyboard_of(const Json& reply_markup);

}  // namespace kb::sandbox::tg
