// Parameters of the Bot API methods the product uses, and their translation into one ApiCall
// (method name, JSON parameters, files to upload, throttling scope). Pure: no I/O, so request
// shapes are unit-tested without a server.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "telegram/keyboard.hpp"

namespace kb::net {
class ResponseStream;
}

namespace kb::telegram {

enum class ParseMode { none, html, markdown_v2 };

// A file to send: a file_id / http(s) URL Telegram already knows how to get, or bytes uploaded
// with the request (from memory, a local file, or streamed from a download).
struct InputFile {
  enum class Source { remote, memory, path, stream };
  Source source = Source::remote;
  std::string remote{};  // file_id or URL
  std::string data{};
  std::string path{};
  std::shared_ptr<net::ResponseStream> stream{};
  std::optional<std::uint64_t> stream_size{};
  std::string filename{};
  std::string content_type{};

  static InputFile by_id_or_url(std::string file_id_or_url);
  static InputFile from_memory(std::string data, std::string filename,
                               std::string content_type = {});
  static InputFile from_path(std::string path, std::string filename = {},
                             std::string content_type = {});
  // A stream part can be sent once only: calls carrying one are never retried.
  static InputFile from_stream(std::shared_ptr<net::ResponseStream> stream, std::string filename,
                               std::string content_type = {},
                               std::optional<std::uint64_t> size = std::nullopt);
  bool is_upload() const { return source != Source::remote; }
};

struct SendMessage {
  std::int64_t chat_id = 0;
  std::string text{};
  ParseMode parse_mode = ParseMode::html;
  std::optional<InlineKeyboard> reply_markup{};
  std::optional<std::int64_t> reply_to_message_id{};
  bool disable_link_preview = false;
  bool disable_notification = false;
  bool protect_content = false;
};

struct EditMessageText {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  std::string text{};
  ParseMode parse_mode = ParseMode::html;
  std::optional<InlineKeyboard> reply_markup{};
  bool disable_link_preview = false;
};

struct EditMessageReplyMarkup {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  std::optional<InlineKeyboard> reply_markup{};  // nullopt: remove the keyboard
};

enum class MediaType { photo, video, audio, document, animation, voice };
std::string_view media_type_name(MediaType type);  // "photo", … (the parameter name)

struct SendMedia {
  std::int64_t chat_id = 0;
  MediaType type = MediaType::photo;
  InputFile file{};
  std::string caption{};
  ParseMode parse_mode = ParseMode::html;
  std::optional<InlineKeyboard> reply_markup{};
  std::optional<std::int64_t> reply_to_message_id{};
  std::optional<InputFile> thumbnail{};  // honoured only when `file` is uploaded
  std::optional<int> duration{};
  std::optional<int> width{};
  std::optional<int> height{};
  std::string title{};              // audio
  std::string performer{};          // audio
  bool supports_streaming = false;  // video
  bool has_spoiler = false;         // photo, video, animation
  bool disable_notification = false;
  bool protect_content = false;
};

// One album item; photos and videos mix, documents and audios only group with their own kind.
struct InputMedia {
  MediaType type = MediaType::photo;  // photo, video, audio or document
  InputFile media{};
  std::string caption{};
  ParseMode parse_mode = ParseMode::html;
  std::optional<int> width{};
  std::optional<int> height{};
  std::optional<int> duration{};
  bool supports_streaming = false;
  bool has_spoiler = false;
};

struct SendMediaGroup {
  std::int64_t chat_id = 0;
  std::vector<InputMedia> media{};  // 2-10 items
  std::optional<std::int64_t> reply_to_message_id{};
  bool disable_notification = false;
  bool protect_content = false;
};

struct AnswerCallbackQuery {
  std::string callback_query_id{};
  std::string text{};  // cut to 200 characters
  bool show_alert = false;
  std::string url{};
  int cache_time = 0;
};

struct SetWebhook {
  std::string url{};
  std::string secret_token{};
  std::optional<int> max_connections{};
  std::optional<std::vector<std::string>> allowed_updates{};  // nullopt: keep the server's setting
  bool drop_pending_updates = false;
  std::string ip_address{};
};

struct GetUpdates {
  std::optional<std::int64_t> offset{};
  std::optional<int> limit{};
  int timeout_seconds = 0;
  std::optional<std::vector<std::string>> allowed_updates{};
};

struct BotCommand {
  std::string command{};  // 1-32 of a-z, 0-9, _
  std::string description{};
};

struct SetMyCommands {
  std::vector<BotCommand> commands{};
  std::string language_code{};         // "" = default for every language without its own list
  std::string scope_type = "default";  // default, all_private_chats, chat, …
  std::optional<std::int64_t> scope_chat_id{};
};

struct LabeledPrice {
  std::string label{};
  std::int64_t amount = 0;
};

struct Invoice {
  std::string title{};        // 1-32 characters
  std::string description{};  // 1-255 characters
  std::string payload{};      // 1-128 bytes, not shown to the user
  std::string currency = "XTR";
  std::vector<LabeledPrice> prices{};  // exactly one for Stars
  std::string provider_token{};        // empty for Stars
  std::string photo_url{};
  std::optional<int> subscription_period;  // createInvoiceLink only (2592000)
  std::string start_parameter{};           // sendInvoice only
};

struct SendInvoice {
  std::int64_t chat_id = 0;
  Invoice invoice{};
  std::optional<InlineKeyboard> reply_markup{};  // the first button must be a pay button
};

struct AnswerPreCheckoutQuery {
  std::string pre_checkout_query_id{};
  bool ok = true;
  std::string error_message{};  // required when !ok; shown to the user
};

// How a call is throttled by the outbound limiter.
enum class Throttle {
  none,     // not a message (answers, getters, settings): never queued behind chat buckets
  message,  // sends, edits, chat actions: global + per-chat buckets
};

struct UploadPart {
  std::string name;  // multipart part name (the parameter itself, or an attach:// name)
  InputFile file{};
};

struct ApiCall {
  std::string method{};
  nlohmann::json params = nlohmann::json::object();
  std::vector<UploadPart> uploads{};  // non-empty: sent as multipart/form-data
  Throttle throttle = Throttle::none;
  std::optional<std::int64_t> chat_id{};
  int cost = 1;                // messages this call sends (album items)
  bool may_duplicate = false;  // a send: repeating it after an ambiguous failure may duplicate
  bool single_shot = false;    // carries a stream upload: can be sent once only
};

ApiCall build_get_me();
ApiCall build_set_webhook(const SetWebhook& p);
ApiCall build_delete_webhook(bool drop_pending_updates);
ApiCall build_get_webhook_info();
ApiCall build_get_updates(const GetUpdates& p);
Result<ApiCall> build_send_message(const SendMessage& p);
Result<ApiCall> build_edit_message_text(const EditMessageText& p);
Result<ApiCall> build_edit_message_reply_markup(const EditMessageReplyMarkup& p);
ApiCall build_delete_message(std::int64_t chat_id, std::int64_t message_id);
ApiCall build_answer_callback_query(const AnswerCallbackQuery& p);
Result<ApiCall> build_send_media(const SendMedia& p);
Result<ApiCall> build_send_media_group(const SendMediaGroup& p);
ApiCall build_send_chat_action(std::int64_t chat_id, std::string_view action);
ApiCall build_get_file(std::string_view file_id);
Result<ApiCall> build_set_my_commands(const SetMyCommands& p);
Result<ApiCall> build_send_invoice(const SendInvoice& p);
Result<ApiCall> build_create_invoice_link(const Invoice& p);
Result<ApiCall> build_answer_pre_checkout_query(const AnswerPreCheckoutQuery& p);
ApiCall build_refund_star_payment(std::int64_t user_id, std::string_view charge_id);

// Top-level parameters as form/multipart field values: strings as they are, everything else
// (numbers, booleans, objects, arrays) as JSON text, which is how the Bot API reads them.
std::vector<std::pair<std::string, std::string>> form_fields(const nlohmann::json& params);

// For the "can't parse entities" fallback: drops parse_mode (also inside `media` items) and turns
// HTML texts and captions into plain text. Returns false when there was no formatting to drop.
bool strip_formatting(nlohmann::json& params);

}  // namespace kb::telegram
