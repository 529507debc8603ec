// Building Bot API calls from typed parameters.
#include "telegram/requests.hpp"

#include <fmt/format.h>

#include "telegram/text.hpp"

namespace kb::telegram {
namespace {

using Json = nlohmann::json;

std::string_view parse_mode_name(ParseMode mode) {
  switch (mode) {
    case ParseMode::html:
      return "HTML";
    case ParseMode::markdown_v2:
      return "MarkdownV2";
    case ParseMode::none:
      break;
  }
  return "";
}

// Visible length as Telegram counts it for the given parse mode (MarkdownV2 markup is counted,
// which over-estimates: safe).
std::size_t visible_length(std::string_view text, ParseMode mode) {
  return mode == ParseMode::html ? html_visible_length(text) : utf16_length(text);
}

void set_parse_mode(Json& params, ParseMode mode) {
  if (mode != ParseMode::none) params["parse_mode"] = parse_mode_name(mode);
}

Result<void> set_keyboard(Json& params, const std::optional<InlineKeyboard>& keyboard) {
  if (!keyboard) return {};
  KB_TRY(validate(*keyboard));
  params["reply_markup"] = to_json(*keyboard);
  return {};
}

void set_reply(Json& params, const std::optional<std::int64_t>& reply_to) {
  // allow_sending_without_reply: a deleted reply target must not lose the message.
  if (reply_to)
    params["reply_parameters"] = {{"message_id", *reply_to}, {"allow_sending_without_reply", true}};
}

Result<void> check_text(std::string_view text, ParseMode mode, std::size_t limit,
                        std::string_view what, bool allow_empty) {
  if (!allow_empty && text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return fail(Errc::invalid_input, fmt::format("{} is empty", what));
  auto length = visible_length(text, mode);
  if (length > limit)
    return fail(Errc::invalid_input,
                fmt::format("{} is {} characters (max {}): split it first", what, length, limit));
  return {};
}

// A file parameter: the file_id/URL itself, or the upload in a part of the same name.
void set_file(ApiCall& call, const std::string& name, const InputFile& file) {
  if (file.is_upload()) {
    call.uploads.push_back({name, file});
    if (file.source == InputFile::Source::stream) call.single_shot = true;
  } else {
    call.params[name] = file.remote;
  }
}

// A file referenced from inside a JSON parameter (album items, thumbnails): "attach://<part>".
std::string attach(ApiCall& call, const std::string& part, const InputFile& file) {
  if (!file.is_upload()) return file.remote;
  call.uploads.push_back({part, file});
  if (file.source == InputFile::Source::stream) call.single_shot = true;
  return "attach://" + part;
}

ApiCall message_call(std::string method, std::int64_t chat_id, int cost = 1) {
  ApiCall call;
  call.method = std::move(method);
  call.params["chat_id"] = chat_id;
  call.throttle = Throttle::message;
  call.chat_id = chat_id;
  call.cost = cost;
  return call;
}

ApiCall plain_call(std::string method) {
  ApiCall call;
  call.method = std::move(method);
  return call;
}

std::string_view send_method(MediaType type) {
  switch (type) {
    case MediaType::photo:
      return "sendPhoto";
    case MediaType::video:
      return "sendVideo";
    case MediaType::audio:
      return "sendAudio";
    case MediaType::document:
      return "sendDocument";
    case MediaType::animation:
      return "sendAnimation";
    case MediaType::voice:
      return "sendVoice";
  }
  return "sendDocument";
}

Result<void> check_invoice(const Invoice& p) {
  if (p.title.empty() || utf16_length(p.title) > 32)
    return fail(Errc::invalid_input, "invoice title must be 1-32 characters");
  if (p.description.empty() || utf16_length(p.description) > 255)
    return fail(Errc::invalid_input, "invoice description must be 1-255 characters");
  if (p.payload.empty() || p.payload.size() > 128)
    return fail(Errc::invalid_input, "invoice payload must be 1-128 bytes");
  if (p.prices.empty()) return fail(Errc::invalid_input, "invoice needs a price");
  if (p.currency == "XTR" && p.prices.size() != 1)
    return fail(Errc::invalid_input, "a Stars invoice takes exactly one price");
  for (const auto& price : p.prices)
    if (price.amount <= 0) return fail(Errc::invalid_input, "invoice price must be positive");
  return {};
}

void set_invoice(Json& params, const Invoice& p) {
  params["title"] = p.title;
  params["description"] = p.description;
  params["payload"] = p.payload;
  params["provider_token"] = p.provider_token;
  params["currency"] = p.currency;
  auto prices = Json::array();
  for (const auto& price : p.prices)
    prices.push_back({{"label", price.label}, {"amount", price.amount}});
  params["prices"] = std::move(prices);
  if (!p.photo_url.empty()) params["photo_url"] = p.photo_url;
}

}  // namespace

InputFile InputFile::by_id_or_url(std::string file_id_or_url) {
  InputFile f;
  f.source = Source::remote;
  f.remote = std::move(file_id_or_url);
  return f;
}

InputFile InputFile::from_memory(std::string data, std::string filename, std::string content_type) {
  InputFile f;
  f.source = Source::memory;
  f.data = std::move(data);
  f.filename = std::move(filename);
  f.content_type = std::move(content_type);
  return f;
}

InputFile InputFile::from_path(std::string path, std::string filename, std::string content_type) {
  InputFile f;
  f.source = Source::path;
  if (filename.empty()) {
    auto slash = path.find_last_of('/');
    filename = slash == std::string::npos ? path : path.substr(slash + 1);
  }
  f.path = std::move(path);
  f.filename = std::move(filename);
  f.content_type = std::move(content_type);
  return f;
}

InputFile InputFile::from_stream(std::shared_ptr<net::ResponseStream> stream, std::string filename,
                                 std::string content_type, std::optional<std::uint64_t> size) {
  InputFile f;
  f.source = Source::stream;
  f.stream = std::move(stream);
  f.filename = std::move(filename);
  f.content_type = std::move(content_type);
  f.stream_size = size;
  return f;
}

std::string_view media_type_name(MediaType type) {
  switch (type) {
    case MediaType::photo:
      return "photo";
    case MediaType::video:
      return "video";
    case MediaType::audio:
      return "audio";
    case MediaType::document:
      return "document";
    case MediaType::animation:
      return "animation";
    case MediaType::voice:
      return "voice";
  }
  return "document";
}

ApiCall build_get_me() {
  return plain_call("getMe");
}

ApiCall build_set_webhook(const SetWebhook& p) {
  auto call = plain_call("setWebhook");
  call.params["url"] = p.url;
  if (!p.secret_token.empty()) call.params["secret_token"] = p.secret_token;
  if (p.max_connections) call.params["max_connections"] = *p.max_connections;
  if (p.allowed_updates) call.params["allowed_updates"] = *p.allowed_updates;
  if (p.drop_pending_updates) call.params["drop_pending_updates"] = true;
  if (!p.ip_address.empty()) call.params["ip_address"] = p.ip_address;
  return call;
}

ApiCall build_delete_webhook(bool drop_pending_updates) {
  auto call = plain_call("deleteWebhook");
  if (drop_pending_updates) call.params["drop_pending_updates"] = true;
  return call;
}

ApiCall build_get_webhook_info() {
  return plain_call("getWebhookInfo");
}

ApiCall build_get_updates(const GetUpdates& p) {
  auto call = plain_call("getUpdates");
  if (p.offset) call.params["offset"] = *p.offset;
  if (p.limit) call.params["limit"] = *p.limit;
  call.params["timeout"] = p.timeout_seconds;
  if (p.allowed_updates) call.params["allowed_updates"] = *p.allowed_updates;
  return call;
}

Result<ApiCall> build_send_message(const SendMessage& p) {
  KB_TRY(check_text(p.text, p.parse_mode, kMaxMessageText, "message text", false));
  auto call = message_call("sendMessage", p.chat_id);
  call.may_duplicate = true;
  call.params["text"] = p.text;
  set_parse_mode(call.params, p.parse_mode);
  KB_TRY(set_keyboard(call.params, p.reply_markup));
  set_reply(call.params, p.reply_to_message_id);
  if (p.disable_link_preview) call.params["link_preview_options"] = {{"is_disabled", true}};
  if (p.disable_notification) call.params["disable_notification"] = true;
  if (p.protect_content) call.params["protect_content"] = true;
  return call;
}

Result<ApiCall> build_edit_message_text(const EditMessageText& p) {
  KB_TRY(check_text(p.text, p.parse_mode, kMaxMessageText, "message text", false));
  auto call = message_call("editMessageText", p.chat_id);
  call.params["message_id"] = p.message_id;
  call.params["text"] = p.text;
  set_parse_mode(call.params, p.parse_mode);
  KB_TRY(set_keyboard(call.params, p.reply_markup));
  if (p.disable_link_preview) call.params["link_preview_options"] = {{"is_disabled", true}};
  return call;
}

Result<ApiCall> build_edit_message_reply_markup(const EditMessageReplyMarkup& p) {
  auto call = message_call("editMessageReplyMarkup", p.chat_id);
  call.params["message_id"] = p.message_id;
  KB_TRY(set_keyboard(call.params, p.reply_markup));
  return call;
}

ApiCall build_delete_message(std::int64_t chat_id, std::int64_t message_id) {
  auto call = plain_call("deleteMessage");
  call.params["chat_id"] = chat_id;
  call.params["message_id"] = message_id;
  return call;
}

ApiCall build_answer_callback_query(const AnswerCallbackQuery& p) {
  auto call = plain_call("answerCallbackQuery");
  call.params["callback_query_id"] = p.callback_query_id;
  if (!p.text.empty()) call.params["text"] = truncate_text(p.text, kMaxCallbackAnswerText);
  if (p.show_alert) call.params["show_alert"] = true;
  if (!p.url.empty()) call.params["url"] = p.url;
  if (p.cache_time > 0) call.params["cache_time"] = p.cache_time;
  return call;
}

Result<ApiCall> build_send_media(const SendMedia& p) {
  KB_TRY(check_text(p.caption, p.parse_mode, kMaxCaption, "caption", true));
  if (!p.file.is_upload() && p.file.remote.empty())
    return fail(Errc::invalid_input, "media file_id/URL is empty");
  auto call = message_call(std::string(send_method(p.type)), p.chat_id);
  call.may_duplicate = true;
  set_file(call, std::string(media_type_name(p.type)), p.file);
  if (p.thumbnail && p.file.is_upload())
    call.params["thumbnail"] = attach(call, "thumbnail_file", *p.thumbnail);
  if (!p.caption.empty()) {
    call.params["caption"] = p.caption;
    set_parse_mode(call.params, p.parse_mode);
  }
  KB_TRY(set_keyboard(call.params, p.reply_markup));
  set_reply(call.params, p.reply_to_message_id);
  if (p.duration) call.params["duration"] = *p.duration;
  if (p.width) call.params["width"] = *p.width;
  if (p.height) call.params["height"] = *p.height;
  if (!p.title.empty()) call.params["title"] = p.title;
  if (!p.performer.empty()) call.params["performer"] = p.performer;
  if (p.supports_streaming && p.type == MediaType::video) call.params["supports_streaming"] = true;
  if (p.has_spoiler) call.params["has_spoiler"] = true;
  if (p.disable_notification) call.params["disable_notification"] = true;
  if (p.protect_content) call.params["protect_content"] = true;
  return call;
}

Result<ApiCall> build_send_media_group(const SendMediaGroup& p) {
  if (p.media.size() < 2 || p.media.size() > 10)
    return fail(Errc::invalid_input,
                fmt::format("an album takes 2-10 items, not {}", p.media.size()));
  auto call = message_call("sendMediaGroup", p.chat_id, static_cast<int>(p.media.size()));
  call.may_duplicate = true;
  auto media = Json::array();
  for (std::size_t i = 0; i < p.media.size(); ++i) {
    const auto& m = p.media[i];
    if (m.type == MediaType::animation || m.type == MediaType::voice)
      return fail(Errc::invalid_input, "albums take photos, videos, audios or documents only");
    KB_TRY(check_text(m.caption, m.parse_mode, kMaxCaption, "caption", true));
    if (!m.media.is_upload() && m.media.remote.empty())
      return fail(Errc::invalid_input, "album item file_id/URL is empty");
    Json item = {{"type", media_type_name(m.type)},
                 {"media", attach(call, fmt::format("file{}", i), m.media)}};
    if (!m.caption.empty()) {
      item["caption"] = m.caption;
      set_parse_mode(item, m.parse_mode);
    }
    if (m.width) item["width"] = *m.width;
    if (m.height) item["height"] = *m.height;
    if (m.duration) item["duration"] = *m.duration;
    if (m.supports_streaming && m.type == MediaType::video) item["supports_streaming"] = true;
    if (m.has_spoiler) item["has_spoiler"] = true;
    media.push_back(std::move(item));
  }
  call.params["media"] = std::move(media);
  set_reply(call.params, p.reply_to_message_id);
  if (p.disable_notification) call.params["disable_notification"] = true;
  if (p.protect_content) call.params["protect_content"] = true;
  return call;
}

ApiCall build_send_chat_action(std::int64_t chat_id, std::string_view action) {
  auto call = message_call("sendChatAction", chat_id);
  call.params["action"] = action;
  return call;
}

ApiCall build_get_file(std::string_view file_id) {
  auto call = plain_call("getFile");
  call.params["file_id"] = file_id;
  return call;
}

Result<ApiCall> build_set_my_commands(const SetMyCommands& p) {
  if (p.commands.size() > 100) return fail(Errc::invalid_input, "at most 100 bot commands");
  auto commands = Json::array();
  for (const auto& c : p.commands) {
    bool valid_name = !c.command.empty() && c.command.size() <= 32;
    for (char ch : c.command)
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) valid_name = false;
    if (!valid_name)
      return fail(Errc::invalid_input, fmt::format("invalid bot command name '{}'", c.command));
    if (c.description.empty() || utf16_length(c.description) > 256)
      return fail(Errc::invalid_input,
                  fmt::format("command '{}': description must be 1-256 characters", c.command));
    commands.push_back({{"command", c.command}, {"description", c.description}});
  }
  auto call = plain_call("setMyCommands");
  call.params["commands"] = std::move(commands);
  if (p.scope_type != "default" || p.scope_chat_id) {
    Json scope = {{"type", p.scope_type}};
    if (p.scope_chat_id) scope["chat_id"] = *p.scope_chat_id;
    call.params["scope"] = std::move(scope);
  }
  if (!p.language_code.empty()) call.params["language_code"] = p.language_code;
  return call;
}

Result<ApiCall> build_send_invoice(const SendInvoice& p) {
  KB_TRY(check_invoice(p.invoice));
  if (p.invoice.subscription_period)
    return fail(Errc::invalid_input, "subscription_period is for createInvoiceLink only");
  if (p.reply_markup && !p.reply_markup->empty() &&
      !(p.reply_markup->rows.front().size() > 0 && p.reply_markup->rows.front().front().pay))
    return fail(Errc::invalid_input, "an invoice keyboard must start with a pay button");
  auto call = message_call("sendInvoice", p.chat_id);
  call.may_duplicate = true;
  set_invoice(call.params, p.invoice);
  if (!p.invoice.start_parameter.empty())
    call.params["start_parameter"] = p.invoice.start_parameter;
  KB_TRY(set_keyboard(call.params, p.reply_markup));
  return call;
}

Result<ApiCall> build_create_invoice_link(const Invoice& p) {
  KB_TRY(check_invoice(p));
  auto call = plain_call("createInvoiceLink");
  set_invoice(call.params, p);
  if (p.subscription_period) call.params["subscription_period"] = *p.subscription_period;
  return call;
}

Result<ApiCall> build_answer_pre_checkout_query(const AnswerPreCheckoutQuery& p) {
  if (!p.ok && p.error_message.empty())
    return fail(Errc::invalid_input, "a declined pre-checkout query needs an error_message");
  auto call = plain_call("answerPreCheckoutQuery");
  call.params["pre_checkout_query_id"] = p.pre_checkout_query_id;
  call.params["ok"] = p.ok;
  if (!p.ok) call.params["error_message"] = p.error_message;
  return call;
}

ApiCall build_refund_star_payment(std::int64_t user_id, std::string_view charge_id) {
  auto call = plain_call("refundStarPayment");
  call.params["user_id"] = user_id;
  call.params["telegram_payment_charge_id"] = charge_id;
  return call;
}

std::vector<std::pair<std::string, std::string>> form_fields(const Json& params) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (!params.is_object()) return fields;
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (it->is_null()) continue;
    if (it->is_string())
      fields.emplace_back(it.key(), it->get<std::string>());
    else
      fields.emplace_back(it.key(), it->dump());
  }
  return fields;
}

bool strip_formatting(Json& params) {
  auto strip = [](Json& object) {
    auto mode = object.find("parse_mode");
    if (mode == object.end()) return false;
    bool html = mode->is_string() && mode->get<std::string>() == "HTML";
    object.erase(mode);
    for (const char* key : {"text", "caption"}) {
      auto v = object.find(key);
      if (html && v != object.end() && v->is_string()) *v = html_to_plain(v->get<std::string>());
    }
    return true;
  };
  if (!params.is_object()) return false;
  bool changed = strip(params);
  if (auto media = params.find("media"); media != params.end() && media->is_array())
    for (auto& item : *media)
      if (item.is_object()) changed = strip(item) || changed;
  return changed;
}

}  // namespace kb::telegram
