// Conversation state per user: an opaque JSON document with a version for compare-and-set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct ConversationState {
  std::string state_json;  // empty after clear()
  std::int64_t version = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> expires_at;

  bool expired(std::int64_t now) const { return expires_at && *expires_at <= now; }
};

class Conversations {
 public:
  explicit Conversations(db::Connection& c) : c_(c) {}

  // Nothing when the user never had a state (save with expected_version 0 then). The state is
  // returned even when expired; the caller decides (ConversationState::expired).
  Result<std::optional<ConversationState>> load(std::int64_t user_id);
  // Compare-and-set: succeeds only when the stored version is `expected_version` (0: no row yet);
  // returns the new version. A mismatch is Errc::conflict and changes nothing.
  Result<std::int64_t> save(std::int64_t user_id, std::string_view state_json,
                            std::int64_t expected_version, std::optional<std::int64_t> expires_at,
                            std::int64_t now);
  // Empties the state but keeps counting versions, so a writer holding an old version still
  // conflicts. Returns the new version (0 when there was no state).
  Result<std::int64_t> clear(std::int64_t user_id, std::int64_t now);
  // Deletes states that expired before `before_ms` (housekeeping); returns how many.
  Result<std::int64_t> purge_expired_before(std::int64_t before_ms);

 private:
  db::Connection& c_;
};

}  // namespace kb::store
