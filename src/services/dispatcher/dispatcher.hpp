// The dispatcher: takes pending updates from the durable inbox and runs the UpdateHandler on
// them — one chat strictly in order, different chats in parallel (bounded). Items survive
// restarts (they are rows); an error result is retried with backoff, too many attempts make the
// item dead (one ERROR line); processed items are purged after the retention period.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "services/dispatcher/update_handler.hpp"
#include "store/database.hpp"

namespace kb::net {
class MetricsRegistry;
}

namespace kb::services {

struct DispatcherOptions {
  std::string owner = "kiebot";  // lease owner: unique per instance
  int max_concurrent = 32;       // handlers running at once (each on a different chat)
  // An item whose handler has not finished within the lease is given to another worker (and
  // counts an attempt), so it must be far longer than any handler runs.
  std::int64_t lease_ms = 5 * 60'000;
  std::chrono::milliseconds scan_interval{1'000};  // idle scan period (wake() reacts at once)
  int max_attempts = 5;
  std::int64_t retry_first_ms = 1'000;  // doubled per attempt
  std::int64_t retry_max_ms = 5 * 60'000;
  std::int64_t retention_ms = 48LL * 3600 * 1000;  // processed rows are deleted after this
  // Test hook (KIEBOT_TEST_DISPATCH_DELAY_MS): the first scan waits this long after start().
  std::chrono::milliseconds start_delay{0};
};

class Dispatcher {
 public:
  // Everything referenced must outlive the dispatcher.
  Dispatcher(store::Database& db, UpdateHandler& handler, const Clock& clock,
             DispatcherOptions options = {}, net::MetricsRegistry* metrics = nullptr);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void start(asio::any_io_executor executor);
  // Stops claiming and waits (at most `grace`) for running handlers; items not finished keep
  // their lease and are taken again after it expires (or at the next start).
  Task<void> stop(std::chrono::milliseconds grace);
  // New items were stored: scan now (cheap, any thread).
  void wake();
  // Handles everything due now, chat by chat, until nothing is left; returns how many items ran
  // (tests drive the dispatcher this way, without start()).
  Task<int> run_until_idle();

  int running() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::services
