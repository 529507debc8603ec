// Pending updates of the bot: ids, allowed_updates filtering, expiry, getUpdates offset
// confirmation, and the webhook's per-queue ordering (one in flight per chat). Pure.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sandbox/fake_telegram/envelope.hpp"

namespace kb::sandbox::tg {

class UpdateQueue {
 public:
  explicit UpdateQueue(std::int64_t first_update_id = 870000001) : next_id_(first_update_id) {}

  // Adds an update (`payload` goes under the `type` key). Returns its id, or 0 when the type is
  // not in allowed_updates (the update is not queued).
  std::int64_t push(const std::string& type, Json payload, std::int64_t now_ms);

  // getUpdates: confirms (offset > 0) or forgets (offset < 0: keeps the last -offset) earlier
  // updates, drops expired ones, then returns up to `limit` updates (JSON cut at ~4 MiB).
  std::vector<Json> fetch(std::int64_t offset, std::size_t limit, std::int64_t now_ms);
  bool has_fetchable(std::int64_t offset) const;

  // Webhook: the updates that may be sent now (first pending of their queue key, due, not in
  // flight), at most `room` of them; they are marked in flight.
  struct Due {
    std::int64_t id = 0;
    Json update;
  };
  std::vector<Due> take_due(std::int64_t now_ms, std::size_t room);
  void delivered(std::int64_t id);
  // Schedules the next attempt; returns false when the update was dropped (expired before it).
  bool failed(std::int64_t id, std::int64_t now_ms, std::optional<int> retry_after,
              std::uint64_t random);
  // Attempts so far of an update (failures + the current one); 0 when unknown.
  int attempts(std::int64_t id) const;
  // Earliest next attempt among the heads of idle queues; nullopt when nothing can be sent.
  std::optional<std::int64_t> next_due_ms() const;

  void drop_expired(std::int64_t now_ms);
  void clear();
  std::size_t size() const { return items_.size(); }
  std::size_t in_flight() const;

  // The update types to queue; an empty list restores the default (all but chat_member,
  // message_reaction, message_reaction_count). Updates already queued stay.
  void set_allowed(std::vector<std::string> types);
  const std::vector<std::string>& allowed() const { return allowed_; }
  bool allows(const std::string& type) const;

 private:
  struct Item {
    std::int64_t id = 0;
    Json update;
    std::string type;
    std::string key;
    std::int64_t expires_ms = 0;
    int failures = 0;
    std::int64_t next_attempt_ms = 0;
    bool in_flight = false;
  };
  Item* find(std::int64_t id);
  const Item* find(std::int64_t id) const;

  std::deque<Item> items_;
  std::int64_t next_id_;
  std::vector<std::string> allowed_;  // empty: default set
};

}  // namespace kb::sandbox::tg
