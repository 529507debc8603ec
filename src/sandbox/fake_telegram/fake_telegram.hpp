// A faithful local stand-in for the Telegram Bot API on real HTTP (loopback, port 0): envelopes,
// error strings, getUpdates/webhook delivery, media, payments in Stars, plus simulated users,
// inspection and fault injection. Used by integration/e2e tests and by `kiebot sandbox`.
//
// Thread safety: every public member may be called from any thread (test thread or io threads),
// except wait_until(), which blocks and must not run on an io thread of the fake's io_context.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "sandbox/fake_telegram/records.hpp"

namespace kb::net {
class HttpClient;
}

namespace kb::sandbox::tg {

struct FakeTelegramOptions {
  // Must look like a real token (<bot id>:<35+ chars>) so log redaction masks it.
  std::string token = "7000000001:AAFakeTokenForTests-0123456789abcdefXYZ";
  std::int64_t bot_id = 0;  // 0: the token's numeric prefix
  std::string bot_username = "genart_test_bot";
  RateLimits limits{};
  // Message dates, rate buckets, answer deadlines, webhook backoff and update expiry.
  // nullptr: the system clock. With a FakeClock, advance it to let deadlines pass.
  const Clock* clock = nullptr;
  std::string bot_first_name = "GenArt Bot";
  // Unknown chat ids get a chat on first use (positive: a private chat with a made-up user,
  // negative: a group). false: 400 "Bad Request: chat not found".
  bool auto_create_chats = true;
  // false (default, like a `--local` Bot API server): any http(s) URL and port is accepted as a
  // webhook, so tests can use loopback servers. true: the cloud rules (https, ports
  // 443/80/88/8443).
  bool strict_webhook_url = false;
  std::chrono::milliseconds webhook_timeout{60'000};  // real time per delivery request
  // Time (by `clock`) the bot has to answer a callback query / a pre-checkout query.
  std::chrono::milliseconds callback_answer_window{15'000};
  std::chrono::milliseconds pre_checkout_window{10'000};
  std::size_t max_request_bytes = 64 << 20;  // larger bodies: 413 from the HTTP server
  // Background housekeeping (webhook delivery, deadline expiry) runs this often (real time).
  std::chrono::milliseconds tick_interval{20};
  // The first update_id (0: 870000001). `kiebot sandbox` keeps its database across runs, and the
  // bot ignores an update_id it has stored before, so each run starts above the previous ones.
  std::int64_t first_update_id = 0;
};

class FakeTelegram {
 public:
  // `http` downloads media sent by URL and posts webhook deliveries; it must outlive stop().
  FakeTelegram(asio::io_context& io, net::HttpClient& http, FakeTelegramOptions options = {});
  ~FakeTelegram();
  FakeTelegram(const FakeTelegram&) = delete;
  FakeTelegram& operator=(const FakeTelegram&) = delete;

  // Listens on host:port (0 = a free port) and starts delivery. Returns the port.
  Result<std::uint16_t> start(const std::string& host = "127.0.0.1", std::uint16_t port = 0);
  // Closes the listener, ends pending long polls, stops deliveries (waits up to `grace`).
  Task<void> stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

  // http://127.0.0.1:<port> — TELEGRAM_API_URL (methods at /bot<token>/<method>).
  std::string api_url() const;
  // Same base — TELEGRAM_FILE_URL (files at /file/bot<token>/<file_path>).
  std::string file_url() const;
  // api_url() + "/bot<token>/<method>".
  std::string method_url(std::string_view method) const;
  const std::string& token() const;
  std::int64_t bot_id() const;
  std::uint16_t port() const;

  // ---- Simulated users: each action creates the Bot API update the real server would send
  // (delivered by webhook or getUpdates). A blocked user who acts unblocks the bot first.

  // Registers a user (id 0: the next free id) and returns it; acting as an unregistered user
  // registers it too.
  User add_user(User user);
  User make_user(std::string first_name, std::string language_code = "en");

  UserMessage send_text(const User& user, std::string text);
  // "/cmd args" with a bot_command entity; `command` with or without the leading '/'.
  UserMessage send_command(const User& user, std::string command, std::string args = "");
  // Photo sizes are derived from the image's real dimensions (PNG, JPEG, GIF, WebP, BMP headers;
  // unknown bytes count as 800x600); every size serves the same bytes.
  UserMessage send_photo(const User& user, std::string bytes, std::string caption = "");
  UserMessage send_document(const User& user, std::string bytes, std::string mime_type,
                            std::string file_name, std::string caption = "");
  UserMessage send_voice(const User& user, std::string bytes, int duration = 3,
                         std::string mime_type = "audio/ogg");
  UserMessage send_audio(const User& user, std::string bytes, std::string file_name = "audio.mp3",
                         std::string mime_type = "audio/mpeg", int duration = 30);
  UserMessage send_video(const User& user, std::string bytes, std::string caption = "",
                         int duration = 5, int width = 1280, int height = 720);
  UserMessage send_video_note(const User& user, std::string bytes, int duration = 5);
  // A GIF/MP4 animation: the message carries `animation` and the legacy duplicate `document`.
  UserMessage send_animation(const User& user, std::string bytes,
                             std::string file_name = "animation.mp4",
                             std::string mime_type = "video/mp4");
  UserMessage send_sticker(const User& user, std::string bytes, std::string emoji = "🙂");
  // One update per image, sharing a media_group_id; the caption goes on the first.
  std::vector<UserMessage> send_album(const User& user, std::vector<std::string> images,
                                      std::string caption = "");
  UserMessage forward_photo(const User& user, std::string bytes, ForwardOrigin origin,
                            std::string caption = "");
  UserMessage forward_text(const User& user, std::string text, ForwardOrigin origin);
  // The user edits one of their messages: an edited_message update. Error for unknown messages.
  Result<UserMessage> edit_text(const User& user, std::int64_t message_id, std::string text);
  // Reply to a message (reply_to_message embedded).
  UserMessage reply_text(const User& user, std::int64_t reply_to_message_id, std::string text);

  // A tap on an inline button: a callback_query update. The message may be missing or deleted
  // (then callback_query.message is an InaccessibleMessage). Returns the callback query id.
  struct Press {
    std::string callback_query_id;
    std::int64_t update_id = 0;
  };
  Press press_button(const User& user, std::int64_t message_id, std::string callback_data);
  // Presses the button whose text is `button_text` on the bot's message (error when absent).
  Result<Press> press_button_by_text(const User& user, std::int64_t message_id,
                                     std::string_view button_text);

  // The user pays an invoice: a pre_checkout_query update. When the bot answers ok=true in time
  // the fake sends a successful_payment message (unique telegram_payment_charge_id).
  struct PaymentStart {
    std::string pre_checkout_query_id;
    std::int64_t update_id = 0;
  };
  Result<PaymentStart> pay(const User& user, const InvoiceRecord& invoice);

  // my_chat_member updates (member → kicked, and back); while blocked, sends to the user fail
  // with 403 "Forbidden: bot was blocked by the user".
  void block_bot(const User& user);
  void unblock_bot(const User& user);

  // ---- Inspection (safe from any thread).
  std::vector<ReceivedCall> calls() const;
  std::vector<ReceivedCall> calls(std::string_view method) const;  // case-insensitive
  std::size_t call_count(std::string_view method) const;
  void clear_calls();

  std::vector<std::int64_t> chat_ids() const;
  std::vector<MessageView> messages(std::int64_t chat_id, bool include_deleted = false) const;
  std::optional<MessageView> message(std::int64_t chat_id, std::int64_t message_id) const;
  std::optional<MessageView> last_bot_message(std::int64_t chat_id) const;
  std::vector<MessageView> bot_messages(std::int64_t chat_id) const;
  std::optional<User> user(std::int64_t user_id) const;
  bool is_blocked(std::int64_t user_id) const;

  std::vector<CallbackRecord> callback_queries() const;
  std::optional<CallbackRecord> callback_query(std::string_view id) const;
  std::vector<InvoiceRecord> invoices() const;
  std::optional<InvoiceRecord> last_invoice(std::int64_t chat_id = 0) const;  // 0: any chat
  std::vector<PaymentRecord> payments() const;
  std::optional<PaymentRecord> payment(std::string_view pre_checkout_query_id) const;

  std::vector<nlohmann::json> updates() const;  // every update produced, in update_id order
  std::size_t pending_update_count() const;
  WebhookView webhook() const;
  std::vector<DeliveryAttempt> deliveries() const;
  // Commands set by setMyCommands for a language ("" = default), as [{command, description}].
  nlohmann::json my_commands(std::string_view language_code = "") const;
  // The stored bytes of a file (sent by the bot or a user); nullopt for unknown ids.
  std::optional<std::string> file_content(std::string_view file_id) const;

  // Observers get every chat change, in order, outside the fake's lock (they may call back
  // into the fake). Returns an id for unsubscribe().
  using Observer = std::function<void(const ChatEvent&)>;
  std::uint64_t subscribe(Observer observer);
  void unsubscribe(std::uint64_t id);

  // Blocks until `condition()` holds (re-checked after every state change), or `timeout`.
  bool wait_until(const std::function<bool()>& condition,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) const;

  // ---- Fault injection. `method` is case-insensitive; "*" matches every method. Queued faults
  // are consumed in order, one per call.
  void inject_error(std::string method, InjectedError error, int times = 1);
  // Delays the next `times` calls by `delay` (real time) before they are processed normally.
  void inject_delay(std::string method, std::chrono::milliseconds delay, int times = 1);
  void clear_faults();
  void set_rate_limits(RateLimits limits);
  // A share (0..1) of message sends (sendMessage, sendPhoto, … with a chat_id) not hit by a
  // queued fault is answered 429 with `retry_after_seconds`, like Telegram's flood control
  // under load. 0 turns it off.
  void set_random_flood(double share, int retry_after_seconds = 1);
  // Message sends answered 429 by set_random_flood().
  std::size_t random_floods() const;
  // Message sends to a chat that arrived before the retry_after of an earlier 429 answered to a
  // message send of that chat (from any source: flood control, a queued fault, the random share)
  // had passed: a client that ignored retry_after.
  std::size_t early_retries() const;

  // Runs housekeeping now (deadline expiry, due webhook deliveries); also runs every
  // tick_interval. Useful after advancing a FakeClock.
  void tick();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::sandbox::tg

namespace kb::sandbox {
using tg::FakeTelegram;
using tg::FakeTelegramOptions;
}  // namespace kb::sandbox
