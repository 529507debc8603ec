// AdminAlerts: a small periodic check that tells every admin (ADMIN_IDS and the admin role) when
// the provider's credit balance is low, failed jobs spike, or a job is past its model's hard limit
// (the runner should have expired it: something is stuck). Messages go through the outbox; the
// time each kind was last sent is kept in `settings`, so a restart does not repeat an alert.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/periodic_task.hpp"
#include "core/result.hpp"
#include "services/admin/alert_rules.hpp"

namespace kb::store {
class Database;
}
namespace kb::catalog {
class CatalogHolder;
}
namespace kb::bot {
class Texts;
}
namespace kb::services {
class OutboxSender;
}

namespace kb::services::admin {

class CreditsCache;

struct AlertOptions {
  AlertThresholds thresholds;
  std::vector<std::int64_t> admin_ids;  // ADMIN_IDS (admins by role are added at each check)
  std::chrono::milliseconds interval{60'000};
};

class AdminAlerts {
 public:
  // `credits` may be null (no provider key): the balance alert is then off.
  AdminAlerts(store::Database& db, CreditsCache* credits, catalog::CatalogHolder& catalog,
              const Clock& clock, const bot::Texts& texts, OutboxSender* outbox,
              AlertOptions options);
  ~AdminAlerts();

  void start(asio::any_io_executor executor);
  Task<void> stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // One check; returns how many alert kinds were sent.
  Task<Result<int>> check_once();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  PeriodicTask loop_;  // its step holds impl_: the loop may outlive this object
};

}  // namespace kb::services::admin
