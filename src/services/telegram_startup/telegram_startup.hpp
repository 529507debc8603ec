// Telegram set-up at start: getMe (the bot's username, needed for deep and referral links), then
// setWebhook with the secret (webhook mode; pending updates are never dropped) or deleteWebhook
// when one is set (polling mode, again keeping pending updates), then the command menus. When
// Telegram cannot be reached the sequence is retried in the background with backoff while the
// readiness check `telegram` says why; the webhook endpoint stores updates meanwhile.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/asio.hpp"
#include "core/result.hpp"
#include "telegram/api.hpp"

namespace kb::services {

enum class UpdateMode { webhook, polling };

// message, edited_message, callback_query, pre_checkout_query, my_chat_member.
std::vector<std::string> product_allowed_updates();

struct TelegramStartupOptions {
  UpdateMode mode = UpdateMode::polling;
  std::string webhook_url;  // webhook mode: <public base><WEBHOOK_PATH>
  std::string secret;       // webhook mode: X-Telegram-Bot-Api-Secret-Token
  int max_connections = 40;
  std::vector<std::string> allowed_updates = product_allowed_updates();
  std::vector<telegram::SetMyCommands> command_menus;  // one per language ("" = default)
  std::chrono::milliseconds first_pause{1'000};
  std::chrono::milliseconds max_pause{60'000};
};

class TelegramStartup {
 public:
  TelegramStartup(telegram::TelegramApi& api, TelegramStartupOptions options);
  ~TelegramStartup();
  TelegramStartup(const TelegramStartup&) = delete;
  TelegramStartup& operator=(const TelegramStartup&) = delete;

  // Runs once after the sequence succeeded, on the executor (e.g. starts the poller).
  void on_ready(std::function<void()> callback);
  // Runs the sequence in the background until it succeeds or stop() is called.
  void start(asio::any_io_executor executor);
  void stop();
  // One run of the whole sequence (tests; start() repeats it).
  Task<Result<void>> run_once();

  // Readiness: ok once done, else "telegram not set up yet: <last error>".
  Task<Result<void>> check() const;
  bool ready() const;
  // The bot's @username without '@' once getMe answered.
  std::optional<std::string> bot_username() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::services
