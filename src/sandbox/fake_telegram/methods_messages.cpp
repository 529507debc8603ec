// sendMessage, message edits and deletes, answerCallbackQuery.
#include <fmt/format.h>

#include "sandbox/fake_telegram/method_support.hpp"

namespace kb::sandbox::tg {
namespace {

constexpr std::string_view kNotModified =
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message";
constexpr std::string_view kQueryTooOld =
    "query is too old and response timeout expired or query ID is invalid";
constexpr std::int64_t kDeleteWindowSeconds = 48 * 3600;

Outcome send_message(Impl& impl, const ApiParams& params) {
  auto chat = target_chat_locked(impl, params);
  if (!chat) return to_api_error(chat.error());
  auto text = text_param(params, "text");
  if (!text) return to_api_error(text.error());
  auto markup = reply_markup_param(params);
  if (!markup) return to_api_error(markup.error());
  auto reply = reply_param_locked(impl, params, **chat);
  if (!reply) return to_api_error(reply.error());
  auto m = new_bot_message(impl, **chat);
  m.kind = "text";
  m.text = std::move(text->text);
  m.entities = std::move(text->entities);
  m.parse_mode = params.get_or("parse_mode");
  m.reply_to = std::move(*reply);
  m.reply_markup = std::move(*markup);
  return message_outcome(impl, impl.add_message_locked(**chat, std::move(m)));
}

// The bot's own, existing message named by chat_id + message_id.
Result<StoredMessage*> edit_target_locked(Impl& impl, const ApiParams& params) {
  if (params.has("inline_message_id") && !params.has("chat_id"))
    return api_fail(bad_request("MESSAGE_ID_INVALID"));
  auto chat_id = params.get("chat_id");
  if (!chat_id) return api_fail(bad_request("chat_id is empty"));
  auto chat = KB_TRY(impl.find_chat_locked(*chat_id, false));
  if (chat->type == "private" && impl.world.blocked.contains(chat->id))
    return api_fail(forbidden("bot was blocked by the user"));
  auto id = KB_TRY(message_id_param(params, "message_id"));
  auto* m = impl.find_message_locked(chat->id, id);
  if (!m || m->deleted) return api_fail(bad_request("message to edit not found"));
  if (!m->from_bot) return api_fail(bad_request("message can't be edited"));
  return m;
}

// Only inline keyboards can be attached by an edit.
Result<Json> edit_markup_param(const ApiParams& params) {
  auto markup = KB_TRY(reply_markup_param(params));
  if (!markup.is_null() && !markup.contains("inline_keyboard"))
    return api_fail(bad_request("inline keyboard expected"));
  return markup;
}

Json inline_markup_of(const StoredMessage& m) {
  if (m.reply_markup.is_object() && m.reply_markup.contains("inline_keyboard"))
    return m.reply_markup;
  return Json(nullptr);
}

Outcome finish_edit(Impl& impl, StoredMessage& m, bool content_changed) {
  if (content_changed) m.edit_date = impl.now_s();
  impl.emit_message_locked(ChatEvent::Kind::message_edited, m);
  return message_outcome(impl, m);
}

Outcome edit_message_text(Impl& impl, const ApiParams& params) {
  auto target = edit_target_locked(impl, params);
  if (!target) return to_api_error(target.error());
  auto& m = **target;
  auto text = text_param(params, "text");
  if (!text) return to_api_error(text.error());
  auto markup = edit_markup_param(params);
  if (!markup) return to_api_error(markup.error());
  if (m.kind != "text") return bad_request("there is no text in the message to edit");
  bool same_content = m.text == text->text && m.entities == text->entities;
  if (same_content && inline_markup_of(m) == *markup) return bad_request(kNotModified);
  m.text = std::move(text->text);
  m.entities = std::move(text->entities);
  m.parse_mode = params.get_or("parse_mode");
  m.reply_markup = std::move(*markup);
  return finish_edit(impl, m, !same_content);
}

Outcome edit_message_caption(Impl& impl, const ApiParams& params) {
  auto target = edit_target_locked(impl, params);
  if (!target) return to_api_error(target.error());
  auto& m = **target;
  auto caption = text_param(params, "caption");
  if (!caption) return to_api_error(caption.error());
  auto markup = edit_markup_param(params);
  if (!markup) return to_api_error(markup.error());
  if (m.media_key.empty()) return bad_request("there is no caption in the message to edit");
  bool same_content = m.caption == caption->text && m.caption_entities == caption->entities;
  if (same_content && inline_markup_of(m) == *markup) return bad_request(kNotModified);
  m.caption = std::move(caption->text);
  m.caption_entities = std::move(caption->entities);
  m.parse_mode = params.get_or("parse_mode");
  m.reply_markup = std::move(*markup);
  return finish_edit(impl, m, !same_content);
}

Outcome edit_message_reply_markup(Impl& impl, const ApiParams& params) {
  auto target = edit_target_locked(impl, params);
  if (!target) return to_api_error(target.error());
  auto& m = **target;
  auto markup = edit_markup_param(params);
  if (!markup) return to_api_error(markup.error());
  if (inline_markup_of(m) == *markup) return bad_request(kNotModified);
  m.reply_markup = std::move(*markup);
  return finish_edit(impl, m, false);
}

// Deletes one message; an error text when it cannot be deleted.
std::optional<ApiError> delete_one_locked(Impl& impl, ChatState& chat, std::int64_t id) {
  auto* m = impl.find_message_locked(chat.id, id);
  if (!m || m->deleted) return bad_request("message to delete not found");
  if (impl.now_s() - m->date > kDeleteWindowSeconds) return bad_request("message can't be deleted");
  if (!m->from_bot && chat.type != "private") return bad_request("message can't be deleted");
  m->deleted = true;
  impl.emit_message_locked(ChatEvent::Kind::message_deleted, *m);
  return std::nullopt;
}

Outcome delete_message(Impl& impl, const ApiParams& params) {
  auto chat_id = params.get("chat_id");
  if (!chat_id) return bad_request("chat_id is empty");
  auto chat = impl.find_chat_locked(*chat_id, false);
  if (!chat) return to_api_error(chat.error());
  auto id = message_id_param(params, "message_id");
  if (!id) return to_api_error(id.error());
  if (auto e = delete_one_locked(impl, **chat, *id)) return *e;
  return Outcome::ok(true);
}

Outcome delete_messages(Impl& impl, const ApiParams& params) {
  auto chat_id = params.get("chat_id");
  if (!chat_id) return bad_request("chat_id is empty");
  auto chat = impl.find_chat_locked(*chat_id, false);
  if (!chat) return to_api_error(chat.error());
  auto ids = Json::parse(params.get_or("message_ids"), nullptr, false);
  if (ids.is_discarded() || !ids.is_array() || ids.empty())
    return bad_request("message identifiers are not specified");
  if (ids.size() > 100) return bad_request("too many message identifiers specified");
  for (const auto& id : ids) {
    if (id.is_number_integer()) delete_one_locked(impl, **chat, id.get<std::int64_t>());
  }
  return Outcome::ok(true);
}

Outcome answer_callback_query(Impl& impl, const ApiParams& params) {
  auto id = params.get("callback_query_id");
  if (!id) return missing_parameter("callback_query_id");
  CallbackRecord* record = nullptr;
  for (auto& r : impl.world.callbacks)
    if (r.id == *id) record = &r;
  if (!record) return bad_request(kQueryTooOld);
  record->answer_attempts += 1;
  auto now = impl.now_ms();
  if (record->answered || now > record->created_ms + impl.options.callback_answer_window.count())
    return bad_request(kQueryTooOld);
  auto text = params.get_or("text");
  if (utf16_length(text) > 200) return bad_request("MESSAGE_TOO_LONG");
  record->answered = true;
  record->answered_ms = now;
  record->answer_text = text;
  record->show_alert = params.get_bool("show_alert");
  record->answer_url = params.get_or("url");
  record->cache_time = static_cast<int>(params.get_int("cache_time", 0, 0, 1 << 30));
  ChatEvent e;
  e.kind = ChatEvent::Kind::callback_answered;
  e.chat_id = record->chat_id;
  e.data = {{"callback_query_id", record->id},
            {"text", record->answer_text},
            {"show_alert", record->show_alert},
            {"url", record->answer_url}};
  impl.emit_locked(std::move(e));
  return Outcome::ok(true);
}

}  // namespace

std::vector<MethodSpec> message_methods() {
  return {
      {"sendMessage", send_message, nullptr, FloodClass::message},
      {"editMessageText", edit_message_text, nullptr, FloodClass::edit},
      {"editMessageCaption", edit_message_caption, nullptr, FloodClass::edit},
      {"editMessageReplyMarkup", edit_message_reply_markup, nullptr, FloodClass::edit},
      {"deleteMessage", delete_message},
      {"deleteMessages", delete_messages},
      {"answerCallbackQuery", answer_callback_query},
  };
}

}  // namespace kb::sandbox::tg
