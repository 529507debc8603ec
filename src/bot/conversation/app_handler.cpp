// Building the conversation handler inside the application.
#include "bot/conversation/app_handler.hpp"

#include "app/config.hpp"
#include "bot/conversation/conversation_handler.hpp"
#include "services/admin/broadcaster.hpp"
#include "services/jobs/runner.hpp"
#include "services/outbox/outbox_sender.hpp"

namespace kb::bot {
namespace {

// Owns the settings the handler refers to, for as long as the handler lives.
class OwningHandler final : public services::UpdateHandler {
 public:
  OwningHandler(const app::HandlerContext& c, BotSettings settings)
      : settings_(std::move(settings)) {
    auto* jobs = &c.jobs;
    auto* broadcaster = c.broadcaster;
    ConversationDeps deps{c.db,      c.app.clock(), c.app.catalog(),         c.app.texts(),
                          settings_, &c.outbox,     [jobs] { jobs->wake(); }};
    deps.credits = c.credits;
    deps.telegram = &c.app.telegram();
    if (broadcaster) deps.wake_broadcasts = [broadcaster] { broadcaster->wake(); };
    handler_ = std::make_unique<ConversationHandler>(std::move(deps));
    ConversationHandler::register_hooks(c.outbox);
  }
  Task<Result<void>> handle(const store::InboxItem& item) override {
    return handler_->handle(item);
  }

 private:
  BotSettings settings_;
  std::unique_ptr<ConversationHandler> handler_;
};

}  // namespace

BotSettings bot_settings(const app::Config& config) {
  BotSettings s;
  s.admin_ids = config.admin_ids;
  s.max_active_jobs = config.max_concurrent_jobs_per_user;
  s.money = services::money_settings(config);
  s.rate.refill_per_minute = config.user_rate_per_minute;
  s.rate.capacity = config.user_rate_burst;
  s.telegram_local_mode = config.telegram_local_mode;
  return s;
}

app::HandlerFactory conversation_handler_factory() {
  return [](const app::HandlerContext& c) -> std::unique_ptr<services::UpdateHandler> {
    auto settings = bot_settings(c.app.config());
    auto* app = &c.app;
    settings.bot_username = [app] { return app->bot_username().value_or(""); };
    return std::make_unique<OwningHandler>(c, std::move(settings));
  };
}

}  // namespace kb::bot
