// Shared parameter handling of the fake's methods.
#include "sandbox/fake_telegram/method_support.hpp"

#include <fmt/format.h>

namespace kb::sandbox::tg {

Unexpected api_fail(ApiError error) {
  return fail(Errc::invalid_input, std::move(error.description), error.code);
}

ApiError to_api_error(const Error& error) {
  return ApiError{error.status ? error.status : 400, error.message, {}, {}};
}

Result<ChatState*> target_chat_locked(Impl& impl, const ApiParams& params) {
  auto chat_id = params.get("chat_id");
  if (!chat_id) return api_fail(bad_request("chat_id is empty"));
  auto chat = KB_TRY(impl.find_chat_locked(*chat_id, impl.options.auto_create_chats));
  if (chat->type == "private" && impl.world.blocked.contains(chat->id))
    return api_fail(forbidden("bot was blocked by the user"));
  return chat;
}

namespace {

Result<void> check_inline_keyboard(const Json& keyboard) {
  if (!keyboard.is_array())
    return api_fail(
        bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array"));
  for (const auto& row : keyboard) {
    if (!row.is_array())
      return api_fail(
          bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Array"));
    for (const auto& b : row) {
      if (!b.is_object())
        return api_fail(bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"));
      if (!b.contains("text") || !b["text"].is_string())
        return api_fail(bad_request(
            "can't parse inline keyboard button: Field \"text\" must be of type String"));
      if (b.contains("callback_data")) {
        if (!b["callback_data"].is_string())
          return api_fail(
              bad_request("can't parse inline keyboard button: Field \"callback_data\" must be of "
                          "type String"));
        auto size = b["callback_data"].get<std::string>().size();
        if (size == 0 || size > 64) return api_fail(bad_request("BUTTON_DATA_INVALID"));
        continue;
      }
      static constexpr std::string_view kActions[] = {"url",
                                                      "pay",
                                                      "web_app",
                                                      "login_url",
                                                      "switch_inline_query",
                                                      "switch_inline_query_current_chat",
                                                      "switch_inline_query_chosen_chat",
                                                      "copy_text",
                                                      "callback_game"};
      bool has_action = false;
      for (auto key : kActions) has_action = has_action || b.contains(std::string(key));
      if (!has_action)
        return api_fail(
            bad_request("can't parse inline keyboard button: Text buttons are unallowed in the "
                        "inline keyboard"));
    }
  }
  return {};
}

}  // namespace

Result<Json> reply_markup_param(const ApiParams& params) {
  auto text = params.get("reply_markup");
  if (!text) return Json(nullptr);
  auto markup = Json::parse(*text, nullptr, false);
  if (markup.is_discarded() || !markup.is_object())
    return api_fail(bad_request("can't parse reply keyboard markup JSON object"));
  if (text->size() > 10'000) return api_fail(bad_request("reply markup is too long"));
  if (markup.contains("inline_keyboard")) {
    KB_TRY(check_inline_keyboard(markup["inline_keyboard"]));
  } else if (markup.contains("keyboard")) {
    if (!markup["keyboard"].is_array())
      return api_fail(
          bad_request("field \"keyboard\" of the ReplyKeyboardMarkup must be an Array"));
  } else if (!markup.contains("remove_keyboard") && !markup.contains("force_reply")) {
    return api_fail(bad_request("can't parse reply keyboard markup JSON object"));
  }
  return markup;
}

Result<FormattedText> text_param(const ApiParams& params, std::string_view kind) {
  bool caption = kind == "caption";
  auto raw = params.get(caption ? "caption" : "text");
  if (!raw) {
    if (caption) return FormattedText{};
    return api_fail(bad_request("message text is empty"));
  }
  if (!caption && raw->size() > 32768) return api_fail(bad_request("text is too long"));
  auto formatted = format_text(*raw, params.get_or("parse_mode"),
                               params.get(caption ? "caption_entities" : "entities"));
  if (!formatted) return api_fail(bad_request(formatted.error().message));
  auto length = utf16_length(formatted->text);
  if (!caption && length == 0) return api_fail(bad_request("message text is empty"));
  if (!caption && length > 4096) return api_fail(bad_request("message is too long"));
  if (caption && length > 1024) return api_fail(bad_request("message caption is too long"));
  return formatted;
}

Result<Json> reply_param_locked(Impl& impl, const ApiParams& params, const ChatState& chat) {
  std::int64_t reply_to = 0;
  bool allow_without = params.get_bool("allow_sending_without_reply");
  if (auto rp = params.get("reply_parameters")) {
    auto parsed = Json::parse(*rp, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
      return api_fail(bad_request("can't parse reply parameters JSON object"));
    if (parsed.contains("message_id") && parsed["message_id"].is_number_integer())
      reply_to = parsed["message_id"].get<std::int64_t>();
    if (parsed.contains("allow_sending_without_reply"))
      allow_without = parsed["allow_sending_without_reply"].is_boolean()
                          ? parsed["allow_sending_without_reply"].get<bool>()
                          : to_bool(parsed["allow_sending_without_reply"].dump());
  } else if (auto legacy = params.get("reply_to_message_id")) {
    reply_to = to_integer(*legacy);
  }
  if (reply_to == 0) return Json(nullptr);
  auto* replied = impl.find_message_locked(chat.id, reply_to);
  if (!replied || replied->deleted) {
    if (allow_without) return Json(nullptr);
    return api_fail(bad_request("message to be replied not found"));
  }
  return render_message(*replied, impl.world, impl.bot, false);
}

StoredMessage new_bot_message(Impl& impl, const ChatState& chat) {
  StoredMessage m;
  m.chat_id = chat.id;
  m.from_bot = true;
  m.from_id = impl.bot.id;
  m.date = impl.now_s();
  return m;
}

Outcome message_outcome(Impl& impl, const StoredMessage& message) {
  return Outcome::ok(render_message(message, impl.world, impl.bot));
}

Result<std::int64_t> message_id_param(const ApiParams& params, std::string_view name) {
  auto v = params.get(name);
  if (!v) return api_fail(bad_request(fmt::format("{} is empty", name)));
  auto id = to_integer(*v);
  if (id <= 0) return api_fail(bad_request(fmt::format("{} is invalid", name)));
  return id;
}

}  // namespace kb::sandbox::tg
