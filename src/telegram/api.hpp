// TelegramApi: the Bot API methods the product uses, as an interface the rest of the code depends
// on (the HTTP implementation is BotClient; tests may substitute a recording double). Errors are
// kb::Error values with status = Telegram's error_code and message = its description; classify
// them with telegram/errors.hpp (recipient_unreachable(), ErrorKind::message_not_modified, …).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/asio.hpp"
#include "core/result.hpp"
#include "telegram/requests.hpp"
#include "telegram/types.hpp"

namespace kb::net {
class ResponseStream;
}

namespace kb::telegram {

class TelegramApi {
 public:
  virtual ~TelegramApi() = default;

  virtual Task<Result<BotInfo>> get_me() = 0;
  virtual Task<Result<void>> set_webhook(SetWebhook params) = 0;
  virtual Task<Result<void>> delete_webhook(bool drop_pending_updates) = 0;
  virtual Task<Result<WebhookInfo>> get_webhook_info() = 0;
  virtual Task<Result<std::vector<RawUpdate>>> get_updates(GetUpdates params) = 0;

  virtual Task<Result<Message>> send_message(SendMessage params) = 0;
  virtual Task<Result<Message>> edit_message_text(EditMessageText params) = 0;
  virtual Task<Result<Message>> edit_message_reply_markup(EditMessageReplyMarkup params) = 0;
  virtual Task<Result<void>> delete_message(std::int64_t chat_id, std::int64_t message_id) = 0;
  virtual Task<Result<void>> answer_callback_query(AnswerCallbackQuery params) = 0;
  virtual Task<Result<Message>> send_media(SendMedia params) = 0;
  virtual Task<Result<std::vector<Message>>> send_media_group(SendMediaGroup params) = 0;
  virtual Task<Result<void>> send_chat_action(std::int64_t chat_id, std::string action) = 0;

  virtual Task<Result<File>> get_file(std::string file_id) = 0;
  // The file's bytes as a stream: downloaded over HTTP (cloud: at most 20 MB), or read from disk
  // when a --local Bot API server gave an absolute file_path.
  virtual Task<Result<std::unique_ptr<net::ResponseStream>>> open_file(File file) = 0;

  virtual Task<Result<void>> set_my_commands(SetMyCommands params) = 0;

  virtual Task<Result<Message>> send_invoice(SendInvoice params) = 0;
  virtual Task<Result<std::string>> create_invoice_link(Invoice params) = 0;
  virtual Task<Result<void>> answer_pre_checkout_query(AnswerPreCheckoutQuery params) = 0;
  virtual Task<Result<void>> refund_star_payment(std::int64_t user_id,
                                                 std::string telegram_payment_charge_id) = 0;

  // Any method from its ApiCall (the outbox sends stored rows this way); returns the envelope's
  // `result`. BotClient sends it on its single path; the default refuses (for test doubles that
  // implement only the typed methods).
  virtual Task<Result<nlohmann::json>> call(ApiCall call);

  // Conveniences over send_media.
  Task<Result<Message>> send_photo(std::int64_t chat_id, InputFile file, std::string caption = {});
  Task<Result<Message>> send_video(std::int64_t chat_id, InputFile file, std::string caption = {});
  Task<Result<Message>> send_audio(std::int64_t chat_id, InputFile file, std::string caption = {});
  Task<Result<Message>> send_document(std::int64_t chat_id, InputFile file,
                                      std::string caption = {});
  Task<Result<Message>> send_animation(std::int64_t chat_id, InputFile file,
                                       std::string caption = {});
  Task<Result<Message>> send_voice(std::int64_t chat_id, InputFile file, std::string caption = {});
};

// Sends a text of any length: split into messages within the limit (HTML formatting carried
// over), the keyboard on the last one. Stops at the first failure.
Task<Result<std::vector<Message>>> send_long_text(TelegramApi& api, SendMessage params);

// Reads a whole file into memory, refusing more than `max_bytes`.
Task<Result<std::string>> download_file(TelegramApi& api, File file, std::size_t max_bytes);

}  // namespace kb::telegram
