// Generation jobs: created before anything reaches KIE, moved by compare-and-set transitions,
// worked under leases (one instance per job), with a record of what was delivered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct JobDraft {
  std::int64_t user_id = 0;
  std::int64_t chat_id = 0;
  std::string model_id;
  std::string inputs_json;
  Kopecks price_kopecks = 0;
  bool is_free = false;
  std::optional<std::string> free_day;  // 'YYYY-MM-DD' of the free-tier day it counted against
  std::string state;                    // the initial state (the state machine lives in domain/)
  std::string idempotency_key;
  std::optional<std::int64_t> next_check_at;
  std::optional<std::int64_t> progress_message_id;
};

struct Job {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::int64_t chat_id = 0;
  std::string model_id;
  std::string inputs_json;
  Kopecks price_kopecks = 0;
  bool is_free = false;
  std::optional<std::string> free_day;
  std::string state;
  std::optional<std::string> kie_task_id;
  std::string idempotency_key;
  std::optional<std::int64_t> progress_message_id;
  int attempts = 0;
  std::optional<std::int64_t> next_check_at;
  std::optional<std::string> lease_owner;
  std::optional<std::int64_t> lease_until;
  std::optional<std::string> result_json;
  std::optional<std::string> failure_code;
  std::optional<std::string> failure_reason;
  bool notified_delayed = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> submitted_at;
  std::optional<std::int64_t> finished_at;
  // When the provider's result was confirmed (entering `succeeded`): delivery's window starts here.
  std::optional<std::int64_t> succeeded_at;
};

// Fields a transition (or update) changes; unset fields stay as they are.
struct JobPatch {
  std::optional<std::string> kie_task_id;
  std::optional<std::int64_t> progress_message_id;
  std::optional<int> attempts;
  bool increment_attempts = false;
  std::optional<std::optional<std::int64_t>> next_check_at;  // {} inside: clear it
  std::optional<std::string> result_json;
  std::optional<std::string> failure_code;
  std::optional<std::string> failure_reason;
  std::optional<bool> notified_delayed;
  bool mark_submitted = false;  // submitted_at = now
  bool mark_succeeded = false;  // succeeded_at = now
  bool finish = false;          // finished_at = now, next_check_at cleared, lease released
  bool release_lease = false;
};

struct CreatedJob {
  Job job;
  bool created = false;
};

struct Delivery {
  std::int64_t job_id = 0;
  int file_index = 0;
  std::optional<std::int64_t> message_id;
  std::string method;
  std::int64_t sent_at = 0;
};

struct ModelStateCount {
  std::string model_id;
  std::string state;
  std::int64_t count = 0;
};

class Jobs {
 public:
  explicit Jobs(db::Connection& c) : c_(c) {}

  // Idempotent by idempotency_key: an existing job with the key is returned with created=false
  // (Errc::conflict when it belongs to another user).
  Result<CreatedJob> create(const JobDraft& draft, std::int64_t now);
  Result<std::optional<Job>> get(std::int64_t id);
  Result<std::optional<Job>> get_by_key(std::string_view idempotency_key);
  Result<std::optional<Job>> get_by_task_id(std::string_view kie_task_id);
  // Compare-and-set on the state: Errc::conflict when the current state is not in
  // `allowed_from` (the message names it), Errc::not_found when there is no such job.
  Result<Job> transition(std::int64_t id, const std::vector<std::string_view>& allowed_from,
                         std::string_view to_state, const JobPatch& patch, std::int64_t now);
  // The patch without a state change.
  Result<Job> update(std::int64_t id, const JobPatch& patch, std::int64_t now);
  // Leases up to `limit` unfinished jobs whose next_check_at has come and whose lease is free or
  // expired, oldest due first. On PostgreSQL rows locked by another instance are skipped.
  Result<std::vector<Job>> claim_due(std::string_view owner, std::int64_t now,
                                     std::int64_t lease_ms, int limit);
  // False when `owner` no longer holds the lease.
  Result<bool> renew_lease(std::int64_t id, std::string_view owner, std::int64_t until);
  Result<bool> release_lease(std::int64_t id, std::string_view owner);
  // Clears every lease (after a crash, when no other instance can exist: the SQLite instance lock).
  Result<std::int64_t> release_all_leases();
  // Unfinished jobs whose next step is due at `now` (claimed or not): the runner's backlog.
  Result<std::int64_t> count_due(std::int64_t now);
  // Unfinished jobs of a user (for the per-user concurrency limit).
  Result<std::int64_t> count_active_for_user(std::int64_t user_id);
  // Newest first.
  Result<std::vector<Job>> list_for_user(std::int64_t user_id, int limit, int offset);
  // False when this file of this job was already recorded (delivery is once per file).
  Result<bool> record_delivery(std::int64_t job_id, int file_index,
                               std::optional<std::int64_t> message_id, std::string_view method,
                               std::int64_t now);
  // Two-phase delivery: record_delivery() before sending (an intent, message_id empty) and this
  // after Telegram accepted the file. False when there is no such row.
  Result<bool> complete_delivery(std::int64_t job_id, int file_index,
                                 std::optional<std::int64_t> message_id, std::string_view method,
                                 std::int64_t now);
  // Drops a recorded intent when the file was definitely not sent; a row that carries a Telegram
  // message id is proof of delivery and is never dropped (false then).
  Result<bool> forget_delivery(std::int64_t job_id, int file_index);
  Result<std::vector<Delivery>> deliveries(std::int64_t job_id);
  // Jobs created since a time, counted per (model, current state): admin statistics.
  Result<std::vector<ModelStateCount>> count_by_model_and_state_since(std::int64_t since_ms);

 private:
  Result<Job> apply_patch(std::int64_t id, const std::vector<std::string_view>* allowed_from,
                          std::optional<std::string_view> to_state, const JobPatch& patch,
                          std::int64_t now);
  db::Connection& c_;
};

}  // namespace kb::store
