// BotClient: TelegramApi over HTTP (net::HttpClient). Every call goes through one path: the
// outbound limiter for messages, JSON or multipart encoding, the envelope, error classification,
// retries (429 / 5xx / network) and the plain-text fallback for rejected markup. The bot token
// appears only in the request URLs built here; log lines name the method, never the URL.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/asio.hpp"
#include "core/result.hpp"
#include "telegram/api.hpp"
#include "telegram/limiter.hpp"
#include "telegram/retry.hpp"

namespace kb::net {
class HttpClient;
class MetricsRegistry;
}  // namespace kb::net

namespace kb::telegram {

struct ClientConfig {
  std::string token{};
  std::string api_url = "https://api.telegram.org";  // TELEGRAM_API_URL
  std::string file_url{};                            // TELEGRAM_FILE_URL; empty: api_url
  bool local_mode = false;                           // TELEGRAM_LOCAL_MODE
  RateLimitConfig limits{};
  RetryPolicy retry{};
  std::chrono::milliseconds request_timeout{30'000};
  std::chrono::milliseconds upload_timeout{300'000};
  std::chrono::milliseconds download_timeout{600'000};
  // getUpdates waits up to its own `timeout` on the server; the HTTP timeout adds this much.
  std::chrono::milliseconds long_poll_grace{15'000};
};

class BotClient final : public TelegramApi {
 public:
  // `http` (and `metrics`, when given) must outlive the client.
  BotClient(asio::any_io_executor executor, net::HttpClient& http, ClientConfig config,
            net::MetricsRegistry* metrics = nullptr);
  ~BotClient() override;

  Task<Result<BotInfo>> get_me() override;
  Task<Result<void>> set_webhook(SetWebhook params) override;
  Task<Result<void>> delete_webhook(bool drop_pending_updates) override;
  Task<Result<WebhookInfo>> get_webhook_info() override;
  Task<Result<std::vector<RawUpdate>>> get_updates(GetUpdates params) override;
  Task<Result<Message>> send_message(SendMessage params) override;
  Task<Result<Message>> edit_message_text(EditMessageText params) override;
  Task<Result<Message>> edit_message_reply_markup(EditMessageReplyMarkup params) override;
  Task<Result<void>> delete_message(std::int64_t chat_id, std::int64_t message_id) override;
  Task<Result<void>> answer_callback_query(AnswerCallbackQuery params) override;
  Task<Result<Message>> send_media(SendMedia params) override;
  Task<Result<std::vector<Message>>> send_media_group(SendMediaGroup params) override;
  Task<Result<void>> send_chat_action(std::int64_t chat_id, std::string action) override;
  Task<Result<File>> get_file(std::string file_id) override;
  Task<Result<std::unique_ptr<net::ResponseStream>>> open_file(File file) override;
  Task<Result<void>> set_my_commands(SetMyCommands params) override;
  Task<Result<Message>> send_invoice(SendInvoice params) override;
  Task<Result<std::string>> create_invoice_link(Invoice params) override;
  Task<Result<void>> answer_pre_checkout_query(AnswerPreCheckoutQuery params) override;
  Task<Result<void>> refund_star_payment(std::int64_t user_id,
                                         std::string telegram_payment_charge_id) override;

  // The single path every method takes; returns the envelope's `result`.
  Task<Result<nlohmann::json>> call(ApiCall call) override;

  OutboundLimiter& limiter() { return limiter_; }
  const ClientConfig& config() const { return config_; }

 private:
  struct Attempt;
  Task<Attempt> attempt(const ApiCall& call);
  void record(std::string_view method, std::string_view outcome);

  net::HttpClient& http_;
  ClientConfig config_;
  net::MetricsRegistry* metrics_;
  OutboundLimiter limiter_;
};

}  // namespace kb::telegram
