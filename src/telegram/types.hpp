// Bot API value types the product reads: updates, messages, media, forwards, payments, callback
// and pre-checkout queries, chat member changes, files. Pure data; parsing is in parse.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "telegram/keyboard.hpp"

namespace kb::telegram {

struct User {
  std::int64_t id = 0;
  bool is_bot = false;
  std::string first_name{};
  std::string last_name{};
  std::string username{};
  std::string language_code{};  // IETF tag; empty when unknown
  bool is_premium = false;
};

// getMe: the bot itself, with the getMe-only flags.
struct BotInfo {
  User user{};
  bool can_join_groups = false;
  bool can_read_all_group_messages = false;
  bool supports_inline_queries = false;
};

enum class ChatType { private_chat, group, supergroup, channel, other };

struct Chat {
  std::int64_t id = 0;
  ChatType type = ChatType::other;
  std::string type_name;  // as sent ("private", "group", …), kept for unknown future types
  std::string title{};
  std::string username{};
  std::string first_name{};
  std::string last_name{};
};

// Offsets and lengths are in UTF-16 code units.
struct MessageEntity {
  std::string type{};  // "bot_command", "url", "text_link", "bold", …
  std::int64_t offset = 0;
  std::int64_t length = 0;
  std::string url{};           // text_link
  std::optional<User> user{};  // text_mention
  std::string language{};      // pre
};

struct PhotoSize {
  std::string file_id{};
  std::string file_unique_id{};
  int width = 0;
  int height = 0;
  std::optional<std::int64_t> file_size{};
};

struct Document {
  std::string file_id{};
  std::string file_unique_id{};
  std::string file_name{};
  std::string mime_type{};
  std::optional<std::int64_t> file_size{};
  std::optional<PhotoSize> thumbnail{};
};

// Video and Animation have the same fields in the Bot API; distinct types keep the message's
// `video` and `animation` apart.
struct MovingImage {
  std::string file_id{};
  std::string file_unique_id{};
  int width = 0;
  int height = 0;
  int duration = 0;
  std::string file_name{};
  std::string mime_type{};
  std::optional<std::int64_t> file_size{};
  std::optional<PhotoSize> thumbnail{};
};
struct Video : MovingImage {};
struct Animation : MovingImage {};

struct VideoNote {
  std::string file_id{};
  std::string file_unique_id{};
  int length = 0;  // diameter
  int duration = 0;
  std::optional<std::int64_t> file_size{};
  std::optional<PhotoSize> thumbnail{};
};

struct Audio {
  std::string file_id{};
  std::string file_unique_id{};
  int duration = 0;
  std::string performer{};
  std::string title{};
  std::string file_name{};
  std::string mime_type{};
  std::optional<std::int64_t> file_size{};
  std::optional<PhotoSize> thumbnail{};
};

struct Voice {
  std::string file_id{};
  std::string file_unique_id{};
  int duration = 0;
  std::string mime_type{};
  std::optional<std::int64_t> file_size{};
};

struct Sticker {
  std::string file_id{};
  std::string file_unique_id{};
  std::string type{};  // "regular", "mask", "custom_emoji"
  int width = 0;
  int height = 0;
  bool is_animated = false;
  bool is_video = false;
  std::string emoji{};
  std::string set_name{};
  std::optional<std::int64_t> file_size{};
  std::optional<PhotoSize> thumbnail{};
};

// Where a forwarded message came from (Bot API 7.0+ `forward_origin`).
struct MessageOrigin {
  enum class Type { user, hidden_user, chat, channel, other };
  Type type = Type::other;
  std::string type_name{};
  std::int64_t date = 0;
  std::optional<User> sender_user{};         // user
  std::string sender_user_name{};            // hidden_user
  std::optional<Chat> chat;                  // chat (sender_chat) / channel (chat)
  std::optional<std::int64_t> message_id{};  // channel
  std::string author_signature{};            // chat / channel
};

// The forward fields removed from the docs in Bot API 7.0 but still sent by the server.
struct LegacyForward {
  std::optional<User> from{};
  std::optional<Chat> from_chat{};
  std::optional<std::int64_t> from_message_id{};
  std::string signature{};
  std::string sender_name{};
  std::optional<std::int64_t> date{};

  bool present() const { return date.has_value() || from || from_chat || !sender_name.empty(); }
};

struct SuccessfulPayment {
  std::string currency{};
  std::int64_t total_amount = 0;
  std::string invoice_payload{};
  std::string telegram_payment_charge_id{};
  std::string provider_payment_charge_id{};
  std::optional<std::int64_t> subscription_expiration_date{};
  bool is_recurring = false;
  bool is_first_recurring = false;
};

struct RefundedPayment {
  std::string currency{};
  std::int64_t total_amount = 0;
  std::string invoice_payload{};
  std::string telegram_payment_charge_id{};
  std::string provider_payment_charge_id{};
};

struct Message {
  std::int64_t message_id = 0;
  std::optional<std::int64_t> message_thread_id{};
  std::optional<User> from{};
  std::optional<Chat> sender_chat{};
  std::int64_t date = 0;  // 0: an InaccessibleMessage (in callback queries)
  Chat chat{};
  std::optional<MessageOrigin> forward_origin{};
  LegacyForward legacy_forward{};
  bool is_automatic_forward = false;
  // The message this one replies to (shared: messages are copied around freely).
  std::shared_ptr<const Message> reply_to_message{};
  std::optional<std::int64_t> edit_date{};
  std::string media_group_id{};  // non-empty for album items
  std::optional<std::string> text{};
  std::vector<MessageEntity> entities{};
  std::optional<std::string> caption{};
  std::vector<MessageEntity> caption_entities{};
  std::optional<Animation> animation{};
  std::optional<Audio> audio{};
  std::optional<Document> document;  // also set (duplicate) for animations
  std::vector<PhotoSize> photo{};    // available sizes; empty when not a photo
  std::optional<Sticker> sticker{};
  std::optional<Video> video{};
  std::optional<VideoNote> video_note{};
  std::optional<Voice> voice{};
  std::optional<SuccessfulPayment> successful_payment{};
  std::optional<RefundedPayment> refunded_payment{};
  std::optional<std::int64_t> migrate_to_chat_id{};
  std::optional<InlineKeyboard> reply_markup{};
  // Something the product does not read (contact, location, poll, dice, story, …) is present.
  bool has_unsupported_content = false;

  bool is_forwarded() const { return forward_origin.has_value() || legacy_forward.present(); }
  bool inaccessible() const { return date == 0; }
  // text, else caption, else empty.
  const std::string& text_or_caption() const;
  const std::vector<MessageEntity>& text_or_caption_entities() const;
};

struct CallbackQuery {
  std::string id{};
  User from{};
  std::optional<Message> message;  // may be inaccessible (message->inaccessible())
  std::string inline_message_id{};
  std::string chat_instance{};
  std::optional<std::string> data{};
  std::string game_short_name{};
};

struct PreCheckoutQuery {
  std::string id{};
  User from{};
  std::string currency{};
  std::int64_t total_amount = 0;
  std::string invoice_payload{};
  std::string shipping_option_id{};
};

struct ChatMember {
  User user{};
  std::string status{};  // creator, administrator, member, restricted, left, kicked
  std::optional<std::int64_t> until_date{};
};

struct ChatMemberUpdated {
  Chat chat{};
  User from{};
  std::int64_t date = 0;
  ChatMember old_chat_member{};
  ChatMember new_chat_member{};

  // A private chat whose user blocked (or unblocked) the bot.
  bool user_blocked_bot() const;
  bool user_unblocked_bot() const;
};

enum class UpdateKind {
  message,
  edited_message,
  callback_query,
  pre_checkout_query,
  my_chat_member,
  other,  // a type the product does not read (channel_post, poll, …): not an error
};

struct Update {
  std::int64_t update_id = 0;
  UpdateKind kind = UpdateKind::other;
  std::string other_kind;            // the field name when kind == other ("" when none was present)
  std::optional<Message> message{};  // message
  std::optional<Message> edited_message{};  // edited_message
  std::optional<CallbackQuery> callback_query{};
  std::optional<PreCheckoutQuery> pre_checkout_query{};
  std::optional<ChatMemberUpdated> my_chat_member{};

  // The chat the update belongs to (for per-chat ordering); pre-checkout queries use the user id
  // (their private chat).
  std::optional<std::int64_t> chat_id() const;
  // The user who caused it.
  std::optional<std::int64_t> user_id() const;
};

// getFile
struct File {
  std::string file_id{};
  std::string file_unique_id{};
  std::optional<std::int64_t> file_size{};
  std::string file_path{};  // relative on the cloud; absolute on a --local server
};

struct WebhookInfo {
  std::string url{};
  bool has_custom_certificate = false;
  std::int64_t pending_update_count = 0;
  std::string ip_address{};
  std::optional<std::int64_t> last_error_date{};
  std::string last_error_message{};
  std::optional<std::int64_t> last_synchronization_error_date{};
  std::optional<int> max_connections{};
  std::vector<std::string> allowed_updates{};
};

// One update from getUpdates, kept as raw JSON text for the durable inbox (the same form a
// webhook delivery has), with its id.
struct RawUpdate {
  std::int64_t update_id = 0;
  std::string json{};
};

}  // namespace kb::telegram
