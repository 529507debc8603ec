// OutboxSender: sends the outbox rows handlers committed (store/repos/outbox.hpp). A handler calls
// flush(chat_id) right after its commit, so replies leave within milliseconds; a background sweep
// sends what a crash or a failure left pending. Per chat one sender at a time, rows in order
// (answers first). After a send, the row is marked sent and its purpose hook runs in the same
// short transaction. Expected refusals complete the row (message not modified, query too old,
// bot blocked → the user is marked blocked and the chat's other rows are dropped; an edit of a
// vanished message, or of one Telegram will not edit, is sent as a new message); 429/5xx/network
// are retried with backoff (1 s doubling to 60 s) until the row's deadline, or 8 attempts (~2
// minutes) for a row without one; fatal errors and bugs mark the row failed with an ERROR line. A
// row past its deadline is dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"
#include "telegram/api.hpp"

namespace kb::net {
class MetricsRegistry;
}

namespace kb::services {

struct OutboxSenderOptions {
  std::string owner = "kiebot";  // lease owner: unique per instance
  std::int64_t lease_ms = 120'000;
  int claim_batch = 16;  // rows of one chat leased at once
  std::chrono::milliseconds sweep_interval{2'000};
  int sweep_chats = 64;  // chats started per sweep
  int max_attempts = 8;
  std::int64_t retry_first_ms = 1'000;  // doubled per attempt
  std::int64_t retry_max_ms = 60'000;
  std::int64_t retention_ms = 48LL * 3600 * 1000;  // finished rows are deleted after this
};

// Runs inside the transaction that marks the row sent. `message_id` is the message the call
// produced or edited (nullopt for answers and deletions).
using OutboxHook =
    std::function<Result<void>(store::Tx& tx, const store::OutboxRow& row,
                               std::optional<std::int64_t> message_id, std::int64_t now)>;

class OutboxSender {
 public:
  // Everything referenced must outlive the sender.
  OutboxSender(store::Database& db, telegram::TelegramApi& telegram, const Clock& clock,
               OutboxSenderOptions options = {}, net::MetricsRegistry* metrics = nullptr);
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  // Registers the hook for a purpose name (before start()). Rows with an unknown purpose are sent
  // and a WARN is logged.
  void on_sent(std::string purpose, OutboxHook hook);

  // Starts the background sweep on `executor`; flush() also needs it.
  void start(asio::any_io_executor executor);
  // Stops the sweep and waits (at most `grace`) for sends in progress; leases of unsent rows
  // expire and another instance (or the next start) sends them.
  Task<void> stop(std::chrono::milliseconds grace);

  // Sends the chat's pending rows now, in the background. Cheap; call it after every commit that
  // enqueued rows. Nothing happens before start().
  void flush(std::int64_t chat_id);
  // The same, finishing before it returns (tests; callers that must wait).
  Task<void> flush_now(std::int64_t chat_id);
  // One sweep: every chat with due rows, each flushed to the end; then old rows are purged.
  // Returns how many chats were flushed.
  Task<int> sweep_once();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::services
