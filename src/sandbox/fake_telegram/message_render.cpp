// JSON rendering of Bot API objects.
#include "sandbox/fake_telegram/message_render.hpp"

namespace kb::sandbox::tg {
namespace {

void put_thumbnail(Json& j, const StoredFile* thumbnail) {
  if (!thumbnail) return;
  auto t = photo_size_json(*thumbnail);
  j["thumbnail"] = t;
  j["thumb"] = t;  // legacy name, still written by the server
}

void put_ids(Json& j, const StoredFile& f) {
  j["file_id"] = f.file_id;
  j["file_unique_id"] = f.file_unique_id;
  j["file_size"] = f.size();
}

std::string text_field(const Json& object, const char* key) {
  if (!object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

void splice(Json& target, const Json& fields) {
  if (!fields.is_object()) return;
  for (auto it = fields.begin(); it != fields.end(); ++it) target[it.key()] = it.value();
}

}  // namespace

Json user_json(const User& u) {
  Json j;
  j["id"] = u.id;
  j["is_bot"] = false;
  j["first_name"] = u.first_name;
  if (!u.last_name.empty()) j["last_name"] = u.last_name;
  if (!u.username.empty()) j["username"] = u.username;
  if (!u.language_code.empty()) j["language_code"] = u.language_code;
  if (u.is_premium) j["is_premium"] = true;
  return j;
}

Json bot_json(const BotIdentity& bot) {
  Json j;
  j["id"] = bot.id;
  j["is_bot"] = true;
  j["first_name"] = bot.first_name;
  j["username"] = bot.username;
  return j;
}

Json chat_json(const ChatState& chat, const World& world) {
  Json j;
  j["id"] = chat.id;
  if (chat.type == "private") {
    auto it = world.users.find(chat.id);
    if (it != world.users.end()) {
      j["first_name"] = it->second.first_name;
      if (!it->second.last_name.empty()) j["last_name"] = it->second.last_name;
      if (!it->second.username.empty()) j["username"] = it->second.username;
    }
    j["type"] = "private";
  } else {
    j["title"] = chat.title;
    j["type"] = chat.type;
    if (chat.type == "group") j["all_members_are_administrators"] = true;
  }
  return j;
}

Json photo_size_json(const StoredFile& f) {
  Json j;
  put_ids(j, f);
  j["width"] = f.width;
  j["height"] = f.height;
  return j;
}

Json photo_json(const std::vector<const StoredFile*>& sizes) {
  Json a = Json::array();
  for (const auto* f : sizes) a.push_back(photo_size_json(*f));
  return a;
}

Json document_json(const StoredFile& f, const StoredFile* thumbnail) {
  Json j;
  if (!f.file_name.empty()) j["file_name"] = f.file_name;
  if (!f.mime_type.empty()) j["mime_type"] = f.mime_type;
  put_thumbnail(j, thumbnail);
  put_ids(j, f);
  return j;
}

Json video_json(const StoredFile& f, const StoredFile* thumbnail) {
  Json j;
  j["duration"] = f.duration;
  j["width"] = f.width;
  j["height"] = f.height;
  if (!f.file_name.empty()) j["file_name"] = f.file_name;
  if (!f.mime_type.empty()) j["mime_type"] = f.mime_type;
  put_thumbnail(j, thumbnail);
  put_ids(j, f);
  return j;
}

Json animation_json(const StoredFile& f, const StoredFile* thumbnail) {
  Json j;
  if (!f.file_name.empty()) j["file_name"] = f.file_name;
  if (!f.mime_type.empty()) j["mime_type"] = f.mime_type;
  j["duration"] = f.duration;
  j["width"] = f.width;
  j["height"] = f.height;
  put_thumbnail(j, thumbnail);
  put_ids(j, f);
  return j;
}

Json audio_json(const StoredFile& f, const std::string& title, const std::string& performer) {
  Json j;
  j["duration"] = f.duration;
  if (!f.file_name.empty()) j["file_name"] = f.file_name;
  if (!f.mime_type.empty()) j["mime_type"] = f.mime_type;
  if (!title.empty()) j["title"] = title;
  if (!performer.empty()) j["performer"] = performer;
  put_ids(j, f);
  return j;
}

Json voice_json(const StoredFile& f) {
  Json j;
  j["duration"] = f.duration;
  if (!f.mime_type.empty()) j["mime_type"] = f.mime_type;
  put_ids(j, f);
  return j;
}

Json video_note_json(const StoredFile& f, const StoredFile* thumbnail) {
  Json j;
  j["duration"] = f.duration;
  j["length"] = f.width;
  put_thumbnail(j, thumbnail);
  put_ids(j, f);
  return j;
}

Json sticker_json(const StoredFile& f, const std::string& emoji) {
  Json j;
  j["width"] = f.width;
  j["height"] = f.height;
  j["emoji"] = emoji;
  j["is_animated"] = false;
  j["is_video"] = false;
  j["type"] = "regular";
  put_ids(j, f);
  return j;
}

Json forward_fields(const ForwardOrigin& o, std::int64_t date) {
  Json origin;
  Json legacy;
  switch (o.type) {
    case ForwardOrigin::Type::user:
      origin["type"] = "user";
      origin["sender_user"] = user_json(o.sender_user);
      legacy["forward_from"] = user_json(o.sender_user);
      break;
    case ForwardOrigin::Type::hidden_user:
      origin["type"] = "hidden_user";
      origin["sender_user_name"] = o.sender_user_name;
      legacy["forward_sender_name"] = o.sender_user_name;
      break;
    case ForwardOrigin::Type::chat:
    case ForwardOrigin::Type::channel: {
      bool channel = o.type == ForwardOrigin::Type::channel;
      Json chat;
      chat["id"] = o.chat_id;
      chat["title"] = o.chat_title;
      if (!o.chat_username.empty()) chat["username"] = o.chat_username;
      chat["type"] = channel ? "channel" : "supergroup";
      origin["type"] = channel ? "channel" : "chat";
      origin[channel ? "chat" : "sender_chat"] = chat;
      if (channel) origin["message_id"] = o.message_id;
      if (!o.author_signature.empty()) origin["author_signature"] = o.author_signature;
      legacy["forward_from_chat"] = chat;
      if (channel) legacy["forward_from_message_id"] = o.message_id;
      if (!o.author_signature.empty()) legacy["forward_signature"] = o.author_signature;
      break;
    }
  }
  origin["date"] = date;
  Json out;
  out["forward_origin"] = std::move(origin);
  splice(out, legacy);
  out["forward_date"] = date;
  return out;
}

Json render_message(const StoredMessage& m, const World& world, const BotIdentity& bot,
                    bool include_reply) {
  Json j;
  j["message_id"] = m.message_id;
  if (m.from_bot) {
    j["from"] = bot_json(bot);
  } else if (auto it = world.users.find(m.from_id); it != world.users.end()) {
    j["from"] = user_json(it->second);
  }
  if (auto chat = world.chats.find(m.chat_id); chat != world.chats.end())
    j["chat"] = chat_json(chat->second, world);
  j["date"] = m.date;
  splice(j, m.forward);
  if (include_reply && m.reply_to.is_object()) j["reply_to_message"] = m.reply_to;
  if (m.edit_date) j["edit_date"] = m.edit_date;
  if (!m.media_group_id.empty()) j["media_group_id"] = m.media_group_id;
  if (m.kind == "text") {
    j["text"] = m.text;
    if (!m.entities.empty()) j["entities"] = m.entities;
  }
  if (!m.media_key.empty()) {
    j[m.media_key] = m.media;
    splice(j, m.media_extra);
    if (!m.caption.empty()) j["caption"] = m.caption;
    if (!m.caption_entities.empty()) j["caption_entities"] = m.caption_entities;
    if (m.has_media_spoiler) j["has_media_spoiler"] = true;
  }
  splice(j, m.service);
  // Only inline keyboards are part of a Message object.
  if (m.reply_markup.is_object() && m.reply_markup.contains("inline_keyboard"))
    j["reply_markup"] = m.reply_markup;
  return j;
}

Json inaccessible_message(std::int64_t message_id, const ChatState& chat, const World& world) {
  Json j;
  j["message_id"] = message_id;
  j["chat"] = chat_json(chat, world);
  j["date"] = 0;
  return j;
}

std::vector<std::vector<Button>> inline_keyboard_of(const Json& markup) {
  std::vector<std::vector<Button>> rows;
  if (!markup.is_object() || !markup.contains("inline_keyboard") ||
      !markup["inline_keyboard"].is_array())
    return rows;
  for (const auto& row : markup["inline_keyboard"]) {
    std::vector<Button> out;
    if (!row.is_array()) continue;
    for (const auto& b : row) {
      if (!b.is_object()) continue;
      Button button;
      button.text = text_field(b, "text");
      button.callback_data = text_field(b, "callback_data");
      button.url = text_field(b, "url");
      button.pay = b.contains("pay") && b["pay"].is_boolean() && b["pay"].get<bool>();
      out.push_back(std::move(button));
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

MessageView view_of(const StoredMessage& m, const World& world, const BotIdentity& bot) {
  MessageView v;
  v.chat_id = m.chat_id;
  v.message_id = m.message_id;
  v.from_bot = m.from_bot;
  v.from_id = m.from_bot ? bot.id : m.from_id;
  v.date = m.date;
  v.edit_date = m.edit_date;
  v.deleted = m.deleted;
  v.kind = m.kind;
  v.text = m.text;
  v.caption = m.caption;
  v.parse_mode = m.parse_mode;
  v.media_group_id = m.media_group_id;
  if (m.reply_to.is_object()) v.reply_to_message_id = m.reply_to.value("message_id", 0LL);
  if (!m.file_ids.empty()) {
    if (const auto* f = world.files.find(m.file_ids.front())) {
      v.file_id = f->file_id;
      v.file_unique_id = f->file_unique_id;
      v.mime_type = f->mime_type;
      v.file_name = f->file_name;
      v.file_size = static_cast<std::int64_t>(f->size());
    }
  }
  v.reply_markup = m.reply_markup.is_null() ? nlohmann::json() : nlohmann::json(m.reply_markup);
  v.inline_keyboard = inline_keyboard_of(m.reply_markup);
  if (m.kind == "invoice" && v.inline_keyboard.empty() && m.service.contains("invoice")) {
    const auto& inv = m.service["invoice"];
    Button pay;
    pay.text = "Pay ⭐️" + std::to_string(inv.value("total_amount", 0LL));
    pay.pay = true;
    v.inline_keyboard.push_back({pay});
  }
  v.json = nlohmann::json(render_message(m, world, bot));
  return v;
}

}  // namespace kb::sandbox::tg
