// bot::ConversationHandler: the UpdateHandler of the bot. For each inbox item: parse, upsert the
// user, refuse banned users, rate-limit, load the conversation state, decide (flows.hpp, pure
// screens), and in ONE transaction save the state (compare-and-set), create/cancel jobs and money
// entries, enqueue the outbox rows and complete the inbox item. After the commit: flush the chat's
// outbox and wake the jobs runner when a job was created.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "bot/conversation/rate_limiter.hpp"
#include "bot/i18n.hpp"
#include "bot/settings.hpp"
#include "catalog/holder.hpp"
#include "core/clock.hpp"
#include "services/dispatcher/update_handler.hpp"
#include "store/database.hpp"

namespace kb::services {
class OutboxSender;
}
namespace kb::services::admin {
class CreditsCache;
}
namespace kb::telegram {
class TelegramApi;
}

namespace kb::bot {

struct ConversationDeps {
  store::Database& db;
  const Clock& clock;
  catalog::CatalogHolder& catalog;
  const Texts& texts;
  const BotSettings& settings;
  services::OutboxSender* outbox = nullptr;  // flushed after each commit (null: the sweep sends)
  std::function<void()> wake_jobs;           // JobRunner::wake (empty: the runner's scan finds it)
  // The admin panel: the provider balance (null: unknown), the Bot API for Stars refunds (null:
  // refunds are refused), the broadcaster's wake-up (empty: its scan finds new broadcasts).
  services::admin::CreditsCache* credits = nullptr;
  telegram::TelegramApi* telegram = nullptr;
  std::function<void()> wake_broadcasts{};
};

class ConversationHandler final : public services::UpdateHandler {
 public:
  explicit ConversationHandler(ConversationDeps deps);
  Task<Result<void>> handle(const store::InboxItem& item) override;

  // Registers the outbox hook that remembers each screen's message id (call before start()).
  static void register_hooks(services::OutboxSender& sender);

  struct Outcome {
    std::int64_t chat_id = 0;
    bool enqueued = false;
    bool job_created = false;
    std::vector<std::int64_t> other_chats;
    std::int64_t user_id = 0;
    Lang lang = Lang::ru;
    std::optional<std::vector<catalog::ModelOverride>> new_overrides;
    std::optional<std::string> refund_charge;
    bool broadcast_queued = false;
  };

 private:
  // A Stars refund an admin asked for: Telegram is called between two transactions, then the
  // outcome is sent to the admin.
  Task<void> run_refund(std::int64_t admin_id, std::int64_t chat_id, Lang lang,
                        std::string charge_id);

  ConversationDeps d_;
  std::unique_ptr<RateLimiter> limiter_;
};

}  // namespace kb::bot
