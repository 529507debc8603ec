// Parsers of the Bot API's building blocks: users, chats, entities, media, forward origins,
// payments, keyboards, chat members.
#include "telegram/parse_parts.hpp"

namespace kb::telegram::detail {

User read_user(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  User u;
  u.id = r.req_int("id");
  u.is_bot = r.req_bool("is_bot");
  u.first_name = r.req_str("first_name");
  u.last_name = r.str_or_empty("last_name");
  u.username = r.str_or_empty("username");
  u.language_code = r.str_or_empty("language_code");
  u.is_premium = r.opt_bool("is_premium");
  return u;
}

namespace {

ChatType chat_type_from(const std::string& name) {
  if (name == "private") return ChatType::private_chat;
  if (name == "group") return ChatType::group;
  if (name == "supergroup") return ChatType::supergroup;
  if (name == "channel") return ChatType::channel;
  return ChatType::other;
}

}  // namespace

Chat read_chat(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  Chat c;
  c.id = r.req_int("id");
  c.type_name = r.req_str("type");
  c.type = chat_type_from(c.type_name);
  c.title = r.str_or_empty("title");
  c.username = r.str_or_empty("username");
  c.first_name = r.str_or_empty("first_name");
  c.last_name = r.str_or_empty("last_name");
  return c;
}

MessageEntity read_entity(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  MessageEntity m;
  m.type = r.req_str("type");
  m.offset = r.req_int("offset");
  m.length = r.req_int("length");
  if (m.offset < 0) e.add(r.path("offset"), "negative offset");
  if (m.length < 0) e.add(r.path("length"), "negative length");
  m.url = r.str_or_empty("url");
  m.user = r.opt_obj("user", read_user);
  m.language = r.str_or_empty("language");
  return m;
}

namespace {

template <class T>
void read_thumbnail(ObjectReader& r, T& out) {
  // `thumb` is the legacy duplicate; `thumbnail` wins when both are present.
  out.thumbnail = r.opt_obj("thumbnail", read_photo_size);
  if (!out.thumbnail) out.thumbnail = r.opt_obj("thumb", read_photo_size);
}

}  // namespace

PhotoSize read_photo_size(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  PhotoSize p;
  read_file_ids(r, p);
  p.width = r.req_int32("width");
  p.height = r.req_int32("height");
  return p;
}

Document read_document(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  Document d;
  read_file_ids(r, d);
  d.file_name = r.str_or_empty("file_name");
  d.mime_type = r.str_or_empty("mime_type");
  read_thumbnail(r, d);
  return d;
}

namespace {
template <class T>
T read_moving_image(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  T out;
  read_file_ids(r, out);
  out.width = r.req_int32("width");
  out.height = r.req_int32("height");
  out.duration = r.req_int32("duration");
  out.file_name = r.str_or_empty("file_name");
  out.mime_type = r.str_or_empty("mime_type");
  read_thumbnail(r, out);
  return out;
}
}  // namespace

Video read_video(const Json& v, std::string path, ParseErrors& e) {
  return read_moving_image<Video>(v, std::move(path), e);
}

Animation read_animation(const Json& v, std::string path, ParseErrors& e) {
  return read_moving_image<Animation>(v, std::move(path), e);
}

VideoNote read_video_note(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  VideoNote out;
  read_file_ids(r, out);
  out.length = r.req_int32("length");
  out.duration = r.req_int32("duration");
  read_thumbnail(r, out);
  return out;
}

Audio read_audio(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  Audio out;
  read_file_ids(r, out);
  out.duration = r.req_int32("duration");
  out.performer = r.str_or_empty("performer");
  out.title = r.str_or_empty("title");
  out.file_name = r.str_or_empty("file_name");
  out.mime_type = r.str_or_empty("mime_type");
  read_thumbnail(r, out);
  return out;
}

Voice read_voice(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  Voice out;
  read_file_ids(r, out);
  out.duration = r.req_int32("duration");
  out.mime_type = r.str_or_empty("mime_type");
  return out;
}

Sticker read_sticker(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  Sticker out;
  read_file_ids(r, out);
  out.type = r.str_or_empty("type");
  out.width = r.req_int32("width");
  out.height = r.req_int32("height");
  out.is_animated = r.opt_bool("is_animated");
  out.is_video = r.opt_bool("is_video");
  out.emoji = r.str_or_empty("emoji");
  out.set_name = r.str_or_empty("set_name");
  read_thumbnail(r, out);
  return out;
}

MessageOrigin read_origin(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  MessageOrigin o;
  o.type_name = r.req_str("type");
  o.date = r.req_int("date");
  if (o.type_name == "user") {
    o.type = MessageOrigin::Type::user;
    o.sender_user = r.req_obj("sender_user", read_user);
  } else if (o.type_name == "hidden_user") {
    o.type = MessageOrigin::Type::hidden_user;
    o.sender_user_name = r.req_str("sender_user_name");
  } else if (o.type_name == "chat") {
    o.type = MessageOrigin::Type::chat;
    o.chat = r.req_obj("sender_chat", read_chat);
    o.author_signature = r.str_or_empty("author_signature");
  } else if (o.type_name == "channel") {
    o.type = MessageOrigin::Type::channel;
    o.chat = r.req_obj("chat", read_chat);
    o.message_id = r.req_int("message_id");
    o.author_signature = r.str_or_empty("author_signature");
  } else {
    o.type = MessageOrigin::Type::other;  // a future origin type: still "forwarded"
  }
  return o;
}

SuccessfulPayment read_successful_payment(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  SuccessfulPayment p;
  p.currency = r.req_str("currency");
  p.total_amount = r.req_int("total_amount");
  p.invoice_payload = r.req_str("invoice_payload");
  p.telegram_payment_charge_id = r.req_str("telegram_payment_charge_id");
  // Always written by the server, but its content is meaningless for Stars: optional here.
  p.provider_payment_charge_id = r.str_or_empty("provider_payment_charge_id");
  p.subscription_expiration_date = r.opt_int("subscription_expiration_date");
  p.is_recurring = r.opt_bool("is_recurring");
  p.is_first_recurring = r.opt_bool("is_first_recurring");
  return p;
}

RefundedPayment read_refunded_payment(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  RefundedPayment p;
  p.currency = r.req_str("currency");
  p.total_amount = r.req_int("total_amount");
  p.invoice_payload = r.req_str("invoice_payload");
  p.telegram_payment_charge_id = r.req_str("telegram_payment_charge_id");
  p.provider_payment_charge_id = r.str_or_empty("provider_payment_charge_id");
  return p;
}

namespace {

InlineButton read_button(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  InlineButton b;
  b.text = r.req_str("text");
  b.callback_data = r.str_or_empty("callback_data");
  b.url = r.str_or_empty("url");
  if (const Json* copy = r.find("copy_text")) {
    ObjectReader c(*copy, r.path("copy_text"), e);
    b.copy_text = c.req_str("text");
  }
  if (const Json* web_app = r.find("web_app")) {
    ObjectReader w(*web_app, r.path("web_app"), e);
    b.web_app_url = w.req_str("url");
  }
  b.pay = r.opt_bool("pay");
  return b;
}

std::vector<InlineButton> read_button_row(const Json& v, std::string path, ParseErrors& e) {
  std::vector<InlineButton> row;
  if (!v.is_array()) {
    e.add(path, "expected an array");
    return row;
  }
  for (std::size_t i = 0; i < v.size(); ++i)
    row.push_back(read_button(v[i], path + "[" + std::to_string(i) + "]", e));
  return row;
}

}  // namespace

InlineKeyboard read_inline_keyboard(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  InlineKeyboard k;
  k.rows = r.array("inline_keyboard", read_button_row);
  return k;
}

ChatMember read_chat_member(const Json& v, std::string path, ParseErrors& e) {
  ObjectReader r(v, std::move(path), e);
  ChatMember m;
  m.user = r.req_obj("user", read_user);
  m.status = r.req_str("status");
  m.until_date = r.opt_int("until_date");
  return m;
}

}  // namespace kb::telegram::detail
