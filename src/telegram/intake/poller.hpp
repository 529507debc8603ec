// Long polling (BOT_MODE=polling): getUpdates → the durable inbox, the next offset stored in the
// same transaction as the rows it confirms (a crash never skips or loses an update; at worst a
// batch is fetched again and deduplicated). One poller per bot: a lease in the settings table
// (on SQLite the instance lock already guarantees it). A 409 (another poller, or a webhook is
// set) is explained in one WARN line and retried slowly.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "telegram/api.hpp"
#include "telegram/intake/update_intake.hpp"

namespace kb::telegram {

struct PollerOptions {
  std::string owner = "kiebot";  // lease owner: unique per instance
  int timeout_seconds = 50;      // long-poll wait on Telegram's side (≤ 50)
  int limit = 100;
  std::vector<std::string> allowed_updates{};
  std::int64_t lease_ms = 120'000;  // renewed before every getUpdates
  std::chrono::milliseconds conflict_pause{30'000};
  std::chrono::milliseconds standby_pause{10'000};  // another instance holds the lease
  std::chrono::milliseconds error_pause_first{1'000};
  std::chrono::milliseconds error_pause_max{30'000};
};

class Poller {
 public:
  // `api` and `intake` must outlive the poller's loop.
  Poller(TelegramApi& api, UpdateIntake& intake, PollerOptions options);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void start(asio::any_io_executor executor);
  // Stops asking; a batch that arrives after this is not stored (its offset is not confirmed, so
  // Telegram delivers it again). Gives the lease up.
  Task<void> stop();

  // One round: lease, getUpdates, store. Returns how many new updates were stored (tests).
  Task<Result<int>> poll_once();

  std::int64_t conflicts() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::telegram
