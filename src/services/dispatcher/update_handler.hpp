// The contract between the dispatcher and the bot logic: one durable inbox item in, its effects
// (state, jobs, ledger, outbox rows and the item's completion) committed in one transaction.
#pragma once

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"
#include "store/repos/inbox.hpp"

namespace kb::services {

class UpdateHandler {
 public:
  virtual ~UpdateHandler() = default;
  // Handles one update. The handler marks the item done (`tx.inbox().complete(update_id, now)`)
  // inside the transaction that applies the update's effects, so a crash before the commit
  // repeats the update and one after it never does; handlers must be idempotent (at-least-once).
  // An error result (database unavailable…) makes the dispatcher retry the item later with
  // backoff; after too many attempts it is dead (ERROR). Throwing is a bug (caught, retried).
  virtual Task<Result<void>> handle(const store::InboxItem& item) = 0;
};

// The stand-in until the conversation lands: logs the update's kind and completes it.
class LoggingUpdateHandler final : public UpdateHandler {
 public:
  LoggingUpdateHandler(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Task<Result<void>> handle(const store::InboxItem& item) override;

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace kb::services
