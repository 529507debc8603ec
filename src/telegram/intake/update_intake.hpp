// UpdateIntake: writes raw updates (a webhook body, a getUpdates batch) into the durable inbox and
// tells the dispatcher. An update is acknowledged (200 to Telegram, or the polling offset moved)
// only after its row is committed; a duplicate update_id changes nothing; a body that cannot be
// read is kept in inbox_rejects. Webhook bodies are group-committed: those that arrive while a
// commit is in flight are written together by the next one (one transaction, one fsync).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/completion.hpp"
#include "core/result.hpp"
#include "store/database.hpp"
#include "telegram/types.hpp"

namespace kb::telegram {

// Settings key of the next getUpdates offset (stored with the rows it confirms).
inline constexpr std::string_view kPollingOffsetKey = "telegram.polling_offset";
inline constexpr std::string_view kPollerLeaseKey = "telegram.poller_lease";

enum class IntakeOutcome { stored, duplicate, rejected };

class UpdateIntake {
 public:
  // `database` returns the open database, or null while it is not open yet (PostgreSQL still
  // unreachable at start): then every store answers Errc::unavailable.
  UpdateIntake(std::function<store::Database*()> database, const Clock& clock);

  // Called after every commit that stored something new (wakes the dispatcher). Set it before
  // updates arrive; it runs on the storing thread and must be quick.
  void on_stored(std::function<void()> callback) { on_stored_ = std::move(callback); }

  // One webhook body: answered once the transaction that holds it has committed (or failed).
  // Bodies waiting for the same commit share it; when a shared commit fails, each body is tried
  // alone so that one bad body refuses only its own update.
  Task<Result<IntakeOutcome>> store(std::string body);
  // A getUpdates batch and the offset that confirms it, in one transaction. Returns how many
  // updates were new.
  Task<Result<int>> store_batch(std::vector<RawUpdate> updates, std::int64_t next_offset);
  // The stored offset (0 when none).
  Task<Result<std::int64_t>> polling_offset();
  // The single-poller lease (settings key telegram.poller_lease): true when `owner` holds it now
  // (taken or renewed until now + lease_ms), false while another instance's lease is live.
  Task<Result<bool>> acquire_poll_lease(std::string owner, std::int64_t lease_ms);
  // Gives the lease up (graceful stop), so another instance may take over at once.
  Task<Result<void>> release_poll_lease(std::string owner);

  // Graceful stop: from now on every store answers Errc::unavailable (the webhook says 503, so
  // Telegram keeps the update for the next instance).
  void close() { closed_ = true; }

  std::uint64_t stored_count() const { return stored_.load(); }
  // Transactions the webhook path has run (fewer than bodies when commits were shared).
  std::uint64_t webhook_commits() const { return webhook_commits_.load(); }
  // Webhook bodies received by store() so far, and those still queued for the next commit (not yet
  // in a transaction).
  std::uint64_t webhook_received() const { return webhook_received_.load(); }
  std::size_t webhook_waiting() {
    std::lock_guard lock(waiting_mutex_);
    return waiting_.size();
  }

 private:
  struct Waiting {
    std::string body;
    Completion<Result<IntakeOutcome>> done;
  };

  store::Database* database() const;
  void notify(std::size_t new_rows);
  // Queues a body; starts the commit loop on `executor` when none runs.
  void enqueue(std::string body, Completion<Result<IntakeOutcome>> done,
               const asio::any_io_executor& executor);
  // Commits what is waiting, batch after batch, until nothing waits.
  Task<void> commit_waiting();
  Task<void> commit_batch(std::vector<Waiting>& batch);
  void answer(Waiting& waiting, Result<IntakeOutcome> outcome);

  std::function<store::Database*()> database_;
  const Clock& clock_;
  std::function<void()> on_stored_;
  std::atomic<std::uint64_t> stored_{0};
  std::atomic<bool> closed_{false};

  std::mutex waiting_mutex_;
  std::vector<Waiting> waiting_;  // guarded by waiting_mutex_
  bool committing_ = false;       // guarded by waiting_mutex_: the commit loop runs
  std::atomic<std::uint64_t> webhook_commits_{0};
  std::atomic<std::uint64_t> webhook_received_{0};
};

}  // namespace kb::telegram
