// LoggingUpdateHandler: completes every update (until the conversation handler exists).
#include "services/dispatcher/update_handler.hpp"

#include "core/log.hpp"

namespace kb::services {

Task<Result<void>> LoggingUpdateHandler::handle(const store::InboxItem& item) {
  auto now = clock_.now_ms();
  auto id = item.update_id;
  auto done =
      co_await db_.transact<bool>([&](store::Tx& tx) { return tx.inbox().complete(id, now); });
  if (!done) co_return Unexpected(std::move(done).error());
  log::info("update_received",
            {{"update_id", item.update_id}, {"kind", item.kind}, {"chat_key", item.chat_key}});
  co_return Result<void>{};
}

}  // namespace kb::services
