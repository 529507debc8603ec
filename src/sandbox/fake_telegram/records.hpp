// Plain value types of the fake Telegram Bot API's test/sandbox interface: simulated users,
// views of the conversation, and what the bot did (calls, callback answers, invoices, payments).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kb::sandbox::tg {

// A simulated Telegram user. A private chat with the bot has chat id == user id.
struct User {
  std::int64_t id = 0;  // 0 when registering: the next free id (5550001001, 5550001002, …)
  std::string first_name = "User";
  std::string last_name;      // optional
  std::string username;       // optional, without '@'
  std::string language_code;  // optional IETF tag, e.g. "en", "ru"
  bool is_premium = false;
};

// Outbound flood limits the fake enforces on message-sending methods (send*, sendMediaGroup (one
// unit per album), sendInvoice, copyMessage, forwardMessage; edits only with `count_edits`).
// Exceeding them answers 429 "Too Many Requests: retry after N" with parameters.retry_after and a
// Retry-After header. Buckets refill continuously; time comes from the fake's clock.
struct RateLimits {
  bool enabled = true;
  double global_per_second = 30;  // whole bot
  double global_burst = 30;
  double chat_per_second = 1;  // one chat (private chats and groups)
  double chat_burst = 3;
  double group_per_minute = 20;  // additionally, chats with a negative id
  bool count_edits = false;      // editMessage* count towards the chat and global buckets
};

// An error answered instead of running a method (fault injection). The HTTP status equals
// error_code; a retry_after also sets the Retry-After header.
struct InjectedError {
  int error_code = 500;
  std::string description = "Internal Server Error: injected failure";
  std::optional<int> retry_after;
  std::optional<std::int64_t> migrate_to_chat_id;

  static InjectedError too_many_requests(int retry_after_seconds);  // 429 "...: retry after N"
  static InjectedError server_error(
      int code = 500);                  // 500 Internal Server Error / 502 Bad Gateway…
  static InjectedError bot_blocked();   // 403 "Forbidden: bot was blocked by the user"
  static InjectedError not_modified();  // 400 "Bad Request: message is not modified: …"
  static InjectedError bad_request(std::string text);  // 400 "Bad Request: <text>"
};

struct Button {
  std::string text;
  std::string callback_data;  // empty for non-callback buttons
  std::string url;            // url buttons
  bool pay = false;           // the Pay button of an invoice
};

// One message of a chat as the sandbox page and tests see it.
struct MessageView {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  bool from_bot = false;
  std::int64_t from_id = 0;
  std::int64_t date = 0;       // unix seconds
  std::int64_t edit_date = 0;  // 0: never edited
  bool deleted = false;
  // "text", "photo", "video", "animation", "audio", "voice", "video_note", "document", "sticker",
  // "invoice", "successful_payment", "refunded_payment".
  std::string kind;
  std::string text;        // text messages (after parse_mode processing)
  std::string caption;     // media messages
  std::string parse_mode;  // as the bot sent it; "" when none
  std::string file_id;     // the main file (for photos: the largest size)
  std::string file_unique_id;
  std::string mime_type;
  std::string file_name;
  std::int64_t file_size = 0;
  std::string media_group_id;
  std::int64_t reply_to_message_id = 0;
  std::vector<std::vector<Button>> inline_keyboard;
  nlohmann::json reply_markup;  // as sent (any keyboard type); null when none
  nlohmann::json json;          // the Message object exactly as the Bot API emits it

  // callback_data of the first button whose text equals `button_text`.
  std::optional<std::string> callback_data_of(std::string_view button_text) const;
  // All buttons in reading order.
  std::vector<Button> buttons() const;
};

// What a simulated user action produced.
struct UserMessage {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  std::int64_t update_id = 0;  // 0 when the update was filtered out by allowed_updates
};

struct CallbackRecord {
  std::string id;  // callback_query.id (decimal string)
  std::int64_t user_id = 0;
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  std::string data;
  std::int64_t update_id = 0;
  std::int64_t created_ms = 0;
  bool answered = false;  // a successful answerCallbackQuery
  std::int64_t answered_ms = 0;
  std::string answer_text;
  bool show_alert = false;
  std::string answer_url;
  int cache_time = 0;
  int answer_attempts = 0;  // every answerCallbackQuery for this id, including refused ones
};

// Where the bot's message came from, for forwards (forward_origin + legacy fields).
struct ForwardOrigin {
  enum class Type { user, hidden_user, chat, channel };
  Type type = Type::user;
  User sender_user;                       // user
  std::string sender_user_name;           // hidden_user
  std::int64_t chat_id = -1001234567890;  // chat / channel
  std::string chat_title = "Art Feed";
  std::string chat_username;
  std::int64_t message_id = 77;  // channel
  std::string author_signature;  // chat / channel (optional)
  std::int64_t date = 0;         // 0: one day before now
};

struct InvoiceRecord {
  std::string id;            // the fake's id of the invoice (also the slug of a link)
  std::int64_t chat_id = 0;  // sendInvoice: the chat; createInvoiceLink: 0
  std::int64_t message_id = 0;
  std::string link;  // createInvoiceLink: "https://t.me/$<slug>"
  std::string title;
  std::string description;
  std::string payload;
  std::string currency;
  std::string price_label;
  std::int64_t amount = 0;
  std::int64_t subscription_period = 0;
  std::int64_t created_ms = 0;
};

enum class PaymentState {
  awaiting_answer,  // pre_checkout_query sent, the bot has not answered
  declined,         // answered ok=false
  expired,          // not answered within the pre-checkout window
  paid,             // answered ok=true: successful_payment message sent
  refunded,         // refundStarPayment
};
std::string_view payment_state_name(PaymentState state);

struct PaymentRecord {
  std::string pre_checkout_query_id;
  std::string invoice_id;
  std::int64_t user_id = 0;
  std::string currency;
  std::int64_t amount = 0;
  std::string payload;
  PaymentState state = PaymentState::awaiting_answer;
  std::string error_message;               // from ok=false
  std::string telegram_payment_charge_id;  // set once paid
  std::string provider_payment_charge_id;
  std::int64_t successful_payment_message_id = 0;
  std::int64_t refunded_payment_message_id = 0;
  std::int64_t update_id = 0;  // of the pre_checkout_query
  std::int64_t created_ms = 0;
  std::int64_t paid_ms = 0;
  std::int64_t refunded_ms = 0;
};

struct UploadedFile {
  std::string name;  // multipart field name
  std::string filename;
  std::string content_type;
  std::size_t size = 0;
};

// One request the fake received on /bot<token>/<method>.
struct ReceivedCall {
  std::string method;  // canonical spelling ("sendMessage"); as sent when unknown
  std::map<std::string, std::string> params;  // every parameter as text (complex ones as JSON)
  std::vector<UploadedFile> files;            // multipart parts with a filename
  std::string encoding;                       // "query", "form", "json" or "multipart"
  int status = 0;           // HTTP status answered; 0 while the call is still running
  std::string description;  // of an error answer
  std::int64_t at_ms = 0;   // clock time of arrival (before faults and flood control)
  // A message send: the methods flood control counts (send*, sendMediaGroup, sendInvoice).
  bool message_send = false;

  bool has(std::string_view name) const;
  std::string param(std::string_view name) const;          // "" when absent
  nlohmann::json json_param(std::string_view name) const;  // parsed; null when absent/invalid
};

struct WebhookView {
  std::string url;  // empty: no webhook (getUpdates mode)
  std::string secret_token;
  int max_connections = 40;
  std::vector<std::string> allowed_updates;
  std::size_t pending_update_count = 0;
  std::int64_t last_error_date = 0;
  std::string last_error_message;
};

// One POST the fake made to the bot's webhook.
struct DeliveryAttempt {
  std::int64_t update_id = 0;
  int attempt = 1;            // 1-based per update
  int status = 0;             // HTTP status; 0 = no answer (connection error, timeout)
  std::string error;          // the last_error_message this attempt produced; empty on success
  std::string secret_header;  // X-Telegram-Bot-Api-Secret-Token sent ("" when none)
  std::int64_t at_ms = 0;
};

// A change in a chat, reported to observers (the sandbox page streams these).
struct ChatEvent {
  enum class Kind {
    message_added,      // `message` is the new message (bot or user)
    message_edited,     // `message` is the new state
    message_deleted,    // `message` is the last state, deleted = true
    callback_answered,  // `data`: {callback_query_id, text, show_alert, url}
    chat_action,        // `data`: {action}
    payment_changed,    // `data`: {pre_checkout_query_id, state, ...}
    user_blocked,       // `data`: {blocked: bool}
  };
  Kind kind = Kind::message_added;
  std::int64_t chat_id = 0;
  MessageView message;  // message_* kinds
  nlohmann::json data;  // other kinds
};
std::string_view chat_event_kind_name(ChatEvent::Kind kind);

}  // namespace kb::sandbox::tg
