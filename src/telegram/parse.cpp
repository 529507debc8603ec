// Parsing of updates, messages and method results.
#include "telegram/parse.hpp"

#include <array>

#include "telegram/parse_parts.hpp"

namespace kb::telegram {
namespace {

using detail::Json;
using detail::ObjectReader;
using detail::ParseErrors;

// Message content the product does not read; its presence is recorded so the conversation layer
// can say "this is not something I can use" instead of treating the message as empty.
constexpr std::array<std::string_view, 16> kUnsupportedContent = {
    "contact",         "dice",         "poll",        "venue",     "location",
    "story",           "game",         "paid_media",  "invoice",   "giveaway",
    "web_app_data",    "users_shared", "chat_shared", "checklist", "left_chat_member",
    "new_chat_members"};

Message read_message(const Json& v, std::string path, ParseErrors& e, int depth);

std::shared_ptr<const Message> read_nested_message(ObjectReader& r, std::string_view key,
                                                   int depth) {
  const Json* v = r.find(key);
  if (!v) return nullptr;
  if (depth + 1 >= kMaxMessageNesting) {
    r.errors().add(r.path(key), "messages nested too deeply");
    return nullptr;
  }
  return std::make_shared<const Message>(read_message(*v, r.path(key), r.errors(), depth + 1));
}

Message read_message(const Json& v, std::string path, ParseErrors& e, int depth) {
  ObjectReader r(v, std::move(path), e);
  Message m;
  if (!r.is_object()) return m;
  m.message_id = r.req_int("message_id");
  m.message_thread_id = r.opt_int("message_thread_id");
  m.from = r.opt_obj("from", detail::read_user);
  m.sender_chat = r.opt_obj("sender_chat", detail::read_chat);
  m.date = r.req_int("date");
  m.chat = r.req_obj("chat", detail::read_chat);
  m.forward_origin = r.opt_obj("forward_origin", detail::read_origin);
  m.legacy_forward.from = r.opt_obj("forward_from", detail::read_user);
  m.legacy_forward.from_chat = r.opt_obj("forward_from_chat", detail::read_chat);
  m.legacy_forward.from_message_id = r.opt_int("forward_from_message_id");
  m.legacy_forward.signature = r.str_or_empty("forward_signature");
  m.legacy_forward.sender_name = r.str_or_empty("forward_sender_name");
  m.legacy_forward.date = r.opt_int("forward_date");
  m.is_automatic_forward = r.opt_bool("is_automatic_forward");
  m.reply_to_message = read_nested_message(r, "reply_to_message", depth);
  m.edit_date = r.opt_int("edit_date");
  m.media_group_id = r.str_or_empty("media_group_id");
  m.text = r.opt_str("text");
  m.entities = r.array("entities", detail::read_entity);
  m.caption = r.opt_str("caption");
  m.caption_entities = r.array("caption_entities", detail::read_entity);
  m.animation = r.opt_obj("animation", detail::read_animation);
  m.audio = r.opt_obj("audio", detail::read_audio);
  m.document = r.opt_obj("document", detail::read_document);
  m.photo = r.array("photo", detail::read_photo_size);
  m.sticker = r.opt_obj("sticker", detail::read_sticker);
  m.video = r.opt_obj("video", detail::read_video);
  m.video_note = r.opt_obj("video_note", detail::read_video_note);
  m.voice = r.opt_obj("voice", detail::read_voice);
  m.successful_payment = r.opt_obj("successful_payment", detail::read_successful_payment);
  m.refunded_payment = r.opt_obj("refunded_payment", detail::read_refunded_payment);
  m.migrate_to_chat_id = r.opt_int("migrate_to_chat_id");
  m.reply_markup = r.opt_obj("reply_markup", detail::read_inline_keyboard);
  for (auto key : kUnsupportedContent)
    if (r.has(key)) m.has_unsupported_content = true;
  return m;
}

// An InaccessibleMessage has only message_id, chat and date (= 0); the full parser accepts it
// because those are exactly the required fields.
CallbackQuery read_callback_query(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  CallbackQuery q;
  q.id = r.req_str("id");
  q.from = r.req_obj("from", detail::read_user);
  if (const Json* m = r.find("message")) q.message = read_message(*m, r.path("message"), e, 0);
  q.inline_message_id = r.str_or_empty("inline_message_id");
  q.chat_instance = r.req_str("chat_instance");
  q.data = r.opt_str("data");
  q.game_short_name = r.str_or_empty("game_short_name");
  return q;
}

PreCheckoutQuery read_pre_checkout_query(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  PreCheckoutQuery q;
  q.id = r.req_str("id");
  q.from = r.req_obj("from", detail::read_user);
  q.currency = r.req_str("currency");
  q.total_amount = r.req_int("total_amount");
  q.invoice_payload = r.req_str("invoice_payload");
  q.shipping_option_id = r.str_or_empty("shipping_option_id");
  return q;
}

ChatMemberUpdated read_chat_member_updated(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  ChatMemberUpdated u;
  u.chat = r.req_obj("chat", detail::read_chat);
  u.from = r.req_obj("from", detail::read_user);
  u.date = r.req_int("date");
  u.old_chat_member = r.req_obj("old_chat_member", detail::read_chat_member);
  u.new_chat_member = r.req_obj("new_chat_member", detail::read_chat_member);
  return u;
}

// The update types the API defines besides the five we read (Bot API 10.1).
constexpr std::array<std::string_view, 20> kOtherUpdateKinds = {"channel_post",
                                                                "edited_channel_post",
                                                                "business_connection",
                                                                "business_message",
                                                                "edited_business_message",
                                                                "deleted_business_messages",
                                                                "guest_message",
                                                                "message_reaction",
                                                                "message_reaction_count",
                                                                "inline_query",
                                                                "chosen_inline_result",
                                                                "shipping_query",
                                                                "purchased_paid_media",
                                                                "poll",
                                                                "poll_answer",
                                                                "chat_member",
                                                                "chat_join_request",
                                                                "chat_boost",
                                                                "removed_chat_boost",
                                                                "managed_bot"};

Update read_update(const Json& v, ParseErrors& e) {
  ObjectReader r(v, "$", e);
  Update u;
  if (!r.is_object()) return u;
  u.update_id = r.req_int("update_id");
  if (r.has("message")) {
    u.kind = UpdateKind::message;
    u.message = read_message(*r.find("message"), r.path("message"), e, 0);
  } else if (r.has("edited_message")) {
    u.kind = UpdateKind::edited_message;
    u.edited_message = read_message(*r.find("edited_message"), r.path("edited_message"), e, 0);
  } else if (r.has("callback_query")) {
    u.kind = UpdateKind::callback_query;
    u.callback_query = r.opt_obj("callback_query", read_callback_query);
  } else if (r.has("pre_checkout_query")) {
    u.kind = UpdateKind::pre_checkout_query;
    u.pre_checkout_query = r.opt_obj("pre_checkout_query", read_pre_checkout_query);
  } else if (r.has("my_chat_member")) {
    u.kind = UpdateKind::my_chat_member;
    u.my_chat_member = r.opt_obj("my_chat_member", read_chat_member_updated);
  } else {
    u.kind = UpdateKind::other;
    for (auto key : kOtherUpdateKinds) {
      if (r.has(key)) {
        u.other_kind = std::string(key);
        break;
      }
    }
  }
  return u;
}

template <class T>
Result<T> finish(T value, const ParseErrors& e) {
  if (e.failed()) return fail(Errc::invalid_input, e.message());
  return value;
}

template <class T, class Read>
Result<T> parse_with(const Json& value, Read read) {
  ParseErrors e;
  T out = read(value, "$", e);
  return finish(std::move(out), e);
}

}  // namespace

Result<Update> parse_update(std::string_view json_text) {
  auto value = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return fail(Errc::invalid_input, "$: not valid JSON");
  return parse_update_value(value);
}

Result<Update> parse_update_value(const Json& value) {
  ParseErrors e;
  Update u = read_update(value, e);
  return finish(std::move(u), e);
}

Result<Message> parse_message(const Json& value) {
  ParseErrors e;
  Message m = read_message(value, "$", e, 0);
  return finish(std::move(m), e);
}

Result<std::vector<Message>> parse_messages(const Json& value) {
  ParseErrors e;
  std::vector<Message> out;
  if (!value.is_array()) return fail(Errc::invalid_input, "$: expected an array");
  for (std::size_t i = 0; i < value.size(); ++i)
    out.push_back(read_message(value[i], "$[" + std::to_string(i) + "]", e, 0));
  return finish(std::move(out), e);
}

Result<User> parse_user(const Json& value) {
  return parse_with<User>(value, detail::read_user);
}

Result<BotInfo> parse_bot_info(const Json& value) {
  ParseErrors e;
  BotInfo info;
  info.user = detail::read_user(value, "$", e);
  ObjectReader r(value, "$", e);
  info.can_join_groups = r.opt_bool("can_join_groups");
  info.can_read_all_group_messages = r.opt_bool("can_read_all_group_messages");
  info.supports_inline_queries = r.opt_bool("supports_inline_queries");
  return finish(std::move(info), e);
}

Result<File> parse_file(const Json& value) {
  ParseErrors e;
  ObjectReader r(value, "$", e);
  File f;
  detail::read_file_ids(r, f);
  f.file_path = r.str_or_empty("file_path");
  return finish(std::move(f), e);
}

Result<WebhookInfo> parse_webhook_info(const Json& value) {
  ParseErrors e;
  ObjectReader r(value, "$", e);
  WebhookInfo w;
  w.url = r.req_str("url");
  w.has_custom_certificate = r.req_bool("has_custom_certificate");
  w.pending_update_count = r.req_int("pending_update_count");
  w.ip_address = r.str_or_empty("ip_address");
  w.last_error_date = r.opt_int("last_error_date");
  w.last_error_message = r.str_or_empty("last_error_message");
  w.last_synchronization_error_date = r.opt_int("last_synchronization_error_date");
  w.max_connections = r.opt_int32("max_connections");
  w.allowed_updates = r.string_array("allowed_updates");
  return finish(std::move(w), e);
}

Result<std::vector<RawUpdate>> parse_raw_updates(const Json& value) {
  if (!value.is_array()) return fail(Errc::invalid_input, "$: expected an array");
  std::vector<RawUpdate> out;
  out.reserve(value.size());
  ParseErrors e;
  for (std::size_t i = 0; i < value.size(); ++i) {
    ObjectReader r(value[i], "$[" + std::to_string(i) + "]", e);
    RawUpdate raw;
    raw.update_id = r.req_int("update_id");
    if (e.failed()) break;
    raw.json = value[i].dump(-1, ' ', false, Json::error_handler_t::replace);
    out.push_back(std::move(raw));
  }
  return finish(std::move(out), e);
}

Result<InlineKeyboard> parse_inline_keyboard(const Json& value) {
  return parse_with<InlineKeyboard>(value, detail::read_inline_keyboard);
}

}  // namespace kb::telegram
