// The durable inbox of Telegram updates: stored before they are acknowledged, claimed per chat in
// order (chats in parallel), completed or retried, dead-lettered after too many attempts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct InboxItem {
  std::int64_t update_id = 0;
  std::string chat_key;
  std::string kind;
  std::string payload_json;
  int attempts = 0;
  std::int64_t received_at = 0;
};

enum class InboxRetry { scheduled, dead };

class Inbox {
 public:
  static constexpr int kDefaultMaxAttempts = 5;

  explicit Inbox(db::Connection& c) : c_(c) {}

  // False when update_id is already stored (a redelivery): nothing changes.
  Result<bool> insert(std::int64_t update_id, std::string_view chat_key, std::string_view kind,
                      std::string_view payload_json, std::int64_t now);
  // An update that could not be parsed; kept for inspection. Returns its id.
  Result<std::int64_t> insert_bad(std::string_view raw, std::string_view reason, std::int64_t now);
  // Leases up to `limit` items until now + lease_ms: per chat only the oldest pending item, and
  // only when it is due and not under a live lease (so one chat is handled in order, by one
  // worker, while different chats go in parallel). An item whose previous lease expired (its
  // worker died) counts an attempt. Safe with several instances on PostgreSQL.
  Result<std::vector<InboxItem>> claim_next(std::string_view owner, std::int64_t now,
                                            std::int64_t lease_ms, int limit);
  // Clears every lease (after a crash, when no other instance can exist: the SQLite instance lock),
  // counting an attempt: a row that crashes the process on every try ends dead/failed.
  Result<std::int64_t> release_all_leases();
  // Marks the item processed. False when it was not pending.
  Result<bool> complete(std::int64_t update_id, std::int64_t now);
  // Releases the lease, counts an attempt and makes the item due again at `at`; after
  // max_attempts it becomes dead (kept, never claimed again).
  Result<InboxRetry> retry_later(std::int64_t update_id, std::string_view reason, std::int64_t at,
                                 int max_attempts = kDefaultMaxAttempts);
  // Deletes processed items older than `before_ms`; returns how many.
  Result<std::int64_t> purge_processed_before(std::int64_t before_ms);
  Result<std::int64_t> pending_count();
  Result<std::int64_t> dead_count();

 private:
  db::Connection& c_;
};

}  // namespace kb::store
