// The Telegram start-up sequence and its background retries.
#include "services/telegram_startup/telegram_startup.hpp"

#include <atomic>
#include <mutex>

#include "core/log.hpp"
#include "telegram/errors.hpp"

namespace kb::services {

std::vector<std::string> product_allowed_updates() {
  return {"message", "edited_message", "callback_query", "pre_checkout_query", "my_chat_member"};
}

struct TelegramStartup::Impl : std::enable_shared_from_this<Impl> {
  Impl(telegram::TelegramApi& api, TelegramStartupOptions o) : api(api), o(std::move(o)) {}

  telegram::TelegramApi& api;
  TelegramStartupOptions o;
  std::function<void()> on_ready;
  std::unique_ptr<asio::steady_timer> timer;
  std::atomic<bool> stopping{false};
  std::atomic<bool> done{false};
  mutable std::mutex mutex;
  std::string last_error = "starting";
  std::optional<std::string> username;

  void set_error(std::string error) {
    std::lock_guard lock(mutex);
    last_error = std::move(error);
  }

  Task<Result<void>> run() {
    auto me = co_await api.get_me();
    if (!me) co_return fail(me.error().code, "getMe: " + me.error().message, me.error().status);
    {
      std::lock_guard lock(mutex);
      username = me->user.username;
    }
    if (o.mode == UpdateMode::webhook) {
      telegram::SetWebhook hook;
      hook.url = o.webhook_url;
      hook.secret_token = o.secret;
      hook.max_connections = o.max_connections;
      hook.allowed_updates = o.allowed_updates;
      hook.drop_pending_updates = false;  // updates sent while we were away are still wanted
      auto set = co_await api.set_webhook(hook);
      if (!set)
        co_return fail(set.error().code, "setWebhook: " + set.error().message, set.error().status);
    } else {
      auto info = co_await api.get_webhook_info();
      if (!info)
        co_return fail(info.error().code, "getWebhookInfo: " + info.error().message,
                       info.error().status);
      if (!info->url.empty()) {
        auto deleted = co_await api.delete_webhook(false);
        if (!deleted)
          co_return fail(deleted.error().code, "deleteWebhook: " + deleted.error().message,
                         deleted.error().status);
        log::info("webhook_removed_for_polling", {{"pending_updates", info->pending_update_count}});
      }
    }
    for (const auto& menu : o.command_menus) {
      auto set = co_await api.set_my_commands(menu);
      if (!set) {
        auto info = telegram::classify(set.error());
        // A menu Telegram refuses (bad text in a locale file) must not keep the bot down.
        if (info.error_class == telegram::ErrorClass::bug) {
          log::error("set_my_commands_refused",
                     {{"language", menu.language_code}, {"error", set.error().message}});
          continue;
        }
        co_return fail(set.error().code, "setMyCommands: " + set.error().message,
                       set.error().status);
      }
    }
    co_return Result<void>{};
  }

  Task<void> loop() {
    auto self = shared_from_this();
    auto pause = o.first_pause;
    while (!stopping) {
      auto r = co_await run();
      if (stopping) break;
      if (r) {
        done = true;
        log::info("telegram_ready",
                  {{"bot", username.value_or("")},
                   {"mode", o.mode == UpdateMode::webhook ? "webhook" : "polling"}});
        if (on_ready) on_ready();
        break;
      }
      set_error(r.error().message);
      auto info = telegram::classify(r.error());
      log::warn("telegram_setup_failed", {{"error", r.error().message},
                                          {"class", telegram::error_class_name(info.error_class)},
                                          {"retry_in_ms", pause.count()}});
      timer->expires_after(pause);
      boost::system::error_code ec;
      co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
      pause = std::min(o.max_pause, pause * 2);
    }
  }
};

TelegramStartup::TelegramStartup(telegram::TelegramApi& api, TelegramStartupOptions options)
    : impl_(std::make_shared<Impl>(api, std::move(options))) {}

TelegramStartup::~TelegramStartup() {
  impl_->stopping = true;
}

void TelegramStartup::on_ready(std::function<void()> callback) {
  impl_->on_ready = std::move(callback);
}

void TelegramStartup::start(asio::any_io_executor executor) {
  impl_->timer = std::make_unique<asio::steady_timer>(executor);
  auto self = impl_;
  asio::co_spawn(
      executor, [self]() { return self->loop(); }, asio::detached);
}

void TelegramStartup::stop() {
  auto self = impl_;
  self->stopping = true;
  if (self->timer) asio::post(self->timer->get_executor(), [self] { self->timer->cancel(); });
}

Task<Result<void>> TelegramStartup::run_once() {
  auto self = impl_;
  auto r = co_await self->run();
  if (r)
    self->done = true;
  else
    self->set_error(r.error().message);
  co_return r;
}

Task<Result<void>> TelegramStartup::check() const {
  if (impl_->done) co_return Result<void>{};
  std::lock_guard lock(impl_->mutex);
  co_return fail(Errc::unavailable, "telegram not set up yet: " + impl_->last_error);
}

bool TelegramStartup::ready() const {
  return impl_->done.load();
}

std::optional<std::string> TelegramStartup::bot_username() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->username;
}

}  // namespace kb::services
