// Broadcasts (optional feature: Database::features().broadcasts): a message to every reachable
// user, sent in batches, resumable after a restart because each recipient's status is stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct Broadcast {
  std::int64_t id = 0;
  std::int64_t admin_id = 0;
  std::string content_json;
  std::string status;  // queued | running | paused | done | cancelled
  std::int64_t created_at = 0;
  std::optional<std::int64_t> finished_at;
};

struct BroadcastCounts {
  std::int64_t pending = 0;
  std::int64_t sent = 0;
  std::int64_t blocked = 0;
  std::int64_t failed = 0;
  std::int64_t total() const { return pending + sent + blocked + failed; }
};

enum class RecipientStatus { sent, blocked, failed };

class Broadcasts {
 public:
  explicit Broadcasts(db::Connection& c) : c_(c) {}

  Result<std::int64_t> create(std::int64_t admin_id, std::string_view content_json,
                              std::int64_t now);
  Result<std::optional<Broadcast>> get(std::int64_t id);
  // Adds every user who is not blocked or banned as a pending recipient; returns how many were
  // added (running it again adds only users who are new since).
  Result<std::int64_t> enqueue_all(std::int64_t broadcast_id);
  // The next pending recipients (user ids, ascending).
  Result<std::vector<std::int64_t>> next_batch(std::int64_t broadcast_id, int limit);
  // pending -> sent|blocked|failed; false when the recipient was not pending.
  Result<bool> mark(std::int64_t broadcast_id, std::int64_t user_id, RecipientStatus status,
                    std::int64_t now);
  // failed -> sent|blocked: the broadcaster marks a batch `failed` before sending it (an intent:
  // after a crash those recipients are never sent a second copy) and settles each one after.
  Result<bool> settle(std::int64_t broadcast_id, std::int64_t user_id, RecipientStatus status,
                      std::int64_t now);
  Result<BroadcastCounts> counts(std::int64_t broadcast_id);
  // done and cancelled set finished_at.
  // A transition: false when the broadcast already has this status or has ended (done and
  // cancelled are final), so of two instances finishing it at once exactly one gets true.
  Result<bool> set_status(std::int64_t id, std::string_view status, std::int64_t now);
  // queued, running or paused, oldest first.
  Result<std::vector<Broadcast>> list_active();

 private:
  db::Connection& c_;
};

}  // namespace kb::store
