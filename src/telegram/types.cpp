// Small derived facts about Bot API values (which chat an update belongs to, block detection).
#include "telegram/types.hpp"

namespace kb::telegram {

const std::string& Message::text_or_caption() const {
  static const std::string kEmpty;
  if (text) return *text;
  if (caption) return *caption;
  return kEmpty;
}

const std::vector<MessageEntity>& Message::text_or_caption_entities() const {
  return text ? entities : caption_entities;
}

bool ChatMemberUpdated::user_blocked_bot() const {
  return chat.type == ChatType::private_chat && new_chat_member.status == "kicked" &&
         old_chat_member.status != "kicked";
}

bool ChatMemberUpdated::user_unblocked_bot() const {
  return chat.type == ChatType::private_chat && old_chat_member.status == "kicked" &&
         new_chat_member.status != "kicked";
}

std::optional<std::int64_t> Update::chat_id() const {
  if (message) return message->chat.id;
  if (edited_message) return edited_message->chat.id;
  if (callback_query) {
    if (callback_query->message) return callback_query->message->chat.id;
    return callback_query->from.id;
  }
  if (pre_checkout_query) return pre_checkout_query->from.id;
  if (my_chat_member) return my_chat_member->chat.id;
  return std::nullopt;
}

std::optional<std::int64_t> Update::user_id() const {
  auto sender = [](const Message& m) -> std::optional<std::int64_t> {
    if (m.from) return m.from->id;
    return std::nullopt;
  };
  if (message) return sender(*message);
  if (edited_message) return sender(*edited_message);
  if (callback_query) return callback_query->from.id;
  if (pre_checkout_query) return pre_checkout_query->from.id;
  if (my_chat_member) return my_chat_member->from.id;
  return std::nullopt;
}

}  // namespace kb::telegram
