// The outbox: Telegram calls a handler decided on, stored in the handler's own transaction and
// sent after the commit (services/outbox/OutboxSender). Per chat, rows go out in id order
// (urgent rows, such as callback answers, first); a row waiting for a retry holds back the later
// rows of its chat so the chat never sees messages out of order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

// What a handler enqueues. Build it with the typed helpers in services/outbox/outbox_drafts.hpp
// (never by hand): they produce the exact Bot API parameters of telegram/requests.hpp.
struct OutboxDraft {
  std::int64_t chat_id = 0;  // the chat the call belongs to (ordering key; the user for answers)
  std::string method;        // Bot API method, e.g. "sendMessage"
  std::string params_json;   // its JSON parameters
  // Hook run (in a short transaction) after a successful send, registered by name on the sender,
  // e.g. "screen" (remember the message id as the user's current screen); "" = none.
  std::string purpose;
  std::string purpose_ref;  // the hook's argument (a user id, a job id, …)
  // Past this time (epoch ms) the row is dropped instead of sent late; nullopt = no deadline.
  std::optional<std::int64_t> deadline_at;
  // Higher goes first within the chat and is not held back by ordinary rows (answers: 10).
  int priority = 0;
};

enum class OutboxStatus { pending, sent, dropped, failed };
std::string_view outbox_status_name(OutboxStatus status);

struct OutboxRow {
  std::int64_t id = 0;
  std::int64_t chat_id = 0;
  std::string method;
  std::string params_json;
  std::string purpose;
  std::string purpose_ref;
  int priority = 0;
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::optional<std::int64_t> deadline_at;
  std::optional<std::string> last_error;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> sent_at;
  std::optional<std::int64_t> result_message_id;
};

enum class OutboxRetry { scheduled, failed };

class Outbox {
 public:
  static constexpr int kUrgentPriority = 10;
  static constexpr int kDefaultMaxAttempts = 8;

  explicit Outbox(db::Connection& c) : c_(c) {}

  // Stores a pending row due at `now`; returns its id.
  Result<std::int64_t> enqueue(const OutboxDraft& draft, std::int64_t now);

  // Leases (until now + lease_ms) up to `limit` rows of one chat to send in the returned order:
  // urgent rows first, then ordinary rows in id order, stopping at the first ordinary row not
  // due yet (it holds back the rest). Nothing when another sender holds a live lease on any
  // pending row of the chat. A row whose previous lease expired (its sender died mid-send)
  // counts an attempt.
  Result<std::vector<OutboxRow>> claim_chat(std::int64_t chat_id, std::string_view owner,
                                            std::int64_t now, std::int64_t lease_ms, int limit);
  // Chats with a pending row that is due and not leased (the background sweep), oldest first.
  Result<std::vector<std::int64_t>> chats_due(std::int64_t now, int limit);

  // Sent: the message id of the result (sendMessage, edits, media) when there is one.
  Result<bool> mark_sent(std::int64_t id, std::optional<std::int64_t> message_id, std::int64_t now);
  // Completed without sending: past its deadline, or an expected refusal (not modified, query too
  // old, recipient gone). Not retried.
  Result<bool> mark_dropped(std::int64_t id, std::string_view reason, std::int64_t now);
  // Gave up: a fatal error or a bug; an operator looks at it. Not retried.
  Result<bool> mark_failed(std::int64_t id, std::string_view reason, std::int64_t now);
  // Counts an attempt and makes the row due at `at`; after max_attempts it is failed.
  Result<OutboxRetry> retry_later(std::int64_t id, std::string_view reason, std::int64_t at,
                                  int max_attempts = kDefaultMaxAttempts);
  // Gives the lease back without counting an attempt (rows claimed but not tried).
  Result<bool> release(std::int64_t id);
  // Clears every lease (after a crash, when no other instance can exist: the SQLite instance lock),
  // counting an attempt for each chat's first leased row (the one in flight): a row that crashes
  // the process on every try ends failed, the rows queued behind it lose nothing.
  Result<std::int64_t> release_all_leases();
  // Drops every pending row of the chat (the recipient blocked the bot); returns how many.
  Result<std::int64_t> drop_pending_for_chat(std::int64_t chat_id, std::string_view reason,
                                             std::int64_t now);

  Result<std::optional<OutboxRow>> get(std::int64_t id);
  // Every row of a chat in id order (inspection and tests).
  Result<std::vector<OutboxRow>> list_for_chat(std::int64_t chat_id);
  // Deletes sent/dropped/failed rows created before `before_ms`; returns how many.
  Result<std::int64_t> purge_finished_before(std::int64_t before_ms);
  Result<std::int64_t> pending_count();

 private:
  db::Connection& c_;
};

}  // namespace kb::store
