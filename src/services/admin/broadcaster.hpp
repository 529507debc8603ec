// The broadcaster: sends each queued broadcast to its recipients in batches through the Bot API
// client (and so through the outbound limiter), resumable after a restart. A batch is claimed by
// marking its recipients `failed` before anything is sent (an intent), then each is settled as
// `sent` or `blocked`; so a crash mid-batch can leave a few recipients without the message but
// never sends anyone a second copy, and a graceful stop finishes the batch in hand. Users who
// blocked the bot are marked (users.blocked_bot). The admin gets progress at every quarter and a
// final report (sent, blocked, failed) through the outbox.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace kb::store {
class Database;
}
namespace kb::telegram {
class TelegramApi;
}
namespace kb::bot {
class Texts;
}

namespace kb::services {
class OutboxSender;
}

namespace kb::services::admin {

struct BroadcasterOptions {
  // Recipients marked "in flight" before sending. Telegram has no idempotency key, so a process
  // killed between a send and its record cannot know whether that message arrived: it is never sent
  // again. One at a time keeps that loss to the single message in flight (two small transactions per
  // message, far below the outbound rate limit).
  int batch_size = 1;
  std::chrono::milliseconds scan_interval{5'000};  // also woken by wake() after a confirm
};

class Broadcaster {
 public:
  // `outbox` (may be null: its sweep sends the reports) is flushed after a report is enqueued.
  Broadcaster(store::Database& db, telegram::TelegramApi& telegram, const Clock& clock,
              const bot::Texts& texts, OutboxSender* outbox, BroadcasterOptions options = {});
  ~Broadcaster();

  void start(asio::any_io_executor executor);
  void wake();
  // Finishes the batch in hand (within `grace`) and stops; the rest waits for the next start.
  Task<void> stop(std::chrono::milliseconds grace);

  // Works every active broadcast until none is left or stop() was called. Returns the number of
  // messages delivered.
  Task<Result<std::int64_t>> run_once();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::services::admin
