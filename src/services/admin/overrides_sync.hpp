// OverridesSync: keeps this instance's catalog overrides (admin enable/disable and free/paid
// switches, stored in the database) in step with changes made on other instances sharing the
// database. Every `interval` it reads one settings row (a counter bumped with each change); only
// when that moved does it read the overrides and apply them. The instance where an admin made the
// change has applied it already (the handler does, right after its commit).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "core/asio.hpp"
#include "core/periodic_task.hpp"
#include "core/result.hpp"

namespace kb::store {
class Database;
}
namespace kb::catalog {
class CatalogHolder;
}

namespace kb::services::admin {

struct OverridesSyncOptions {
  std::chrono::milliseconds interval{5'000};  // ADMIN_OVERRIDES_RELOAD_MS
};

class OverridesSync {
 public:
  OverridesSync(store::Database& db, catalog::CatalogHolder& catalog,
                OverridesSyncOptions options = {});
  ~OverridesSync();

  // Reads the overrides and applies them now, whatever the counter says (start-up).
  Result<void> load_blocking();
  // One poll: true when the counter had moved and the overrides were applied again.
  Task<Result<bool>> check_once();

  void start(asio::any_io_executor executor);
  Task<void> stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  PeriodicTask loop_;  // its step holds impl_: the loop may outlive this object
};

}  // namespace kb::services::admin
