// Internal state of JobRunner, shared by the runner's implementation files.
#pragma once

#include <chrono>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "domain/job_state.hpp"
#include "services/jobs/runner.hpp"

namespace kb::services {

// What a provider failure (refused create, failed task) means for the user: one mapping for both.
JobFailure job_failure_for(kie::FailureReason reason);

struct JobRunner::Impl : std::enable_shared_from_this<JobRunner::Impl> {
  // What a job's progress message last showed, as a hash of its text (telling "unchanged" needs no
  // more, and with thousands of jobs in flight the texts themselves would be most of the runner's
  // memory), and when.
  struct ProgressMemo {
    std::uint64_t text_hash = 0;
    std::int64_t at_ms = 0;
  };

  RunnerDeps d;
  RunnerOptions o;
  std::optional<asio::any_io_executor> executor;
  std::unique_ptr<asio::steady_timer> wake_timer;
  std::atomic<bool> stopping{false};
  std::atomic<bool> wake_pending{false};
  std::atomic<int> in_flight{0};
  // The last scan found more due work than it could take (a full batch or no free capacity):
  // scan again at once, and again whenever a worker finishes.
  std::atomic<bool> backlog{false};
  std::mutex mutex;
  // Per job this instance showed progress for. A job that ends on another instance leaves its
  // entry here, so entries not refreshed for a long time are swept out.
  std::unordered_map<std::int64_t, ProgressMemo> progress;
  std::int64_t progress_swept_at = 0;

  Impl(RunnerDeps deps, RunnerOptions options) : d(deps), o(std::move(options)) {}

  std::int64_t now() const { return d.clock.now_ms(); }

  // --- runner.cpp
  Task<void> loop();
  Task<int> scan(bool inline_work);
  Task<void> work(store::Job job);
  void spawn(std::function<Task<void>()> make);
  void count(std::string_view metric, std::string_view help, const net::Labels& labels);
  void wake();

  // --- runner_submit.cpp
  Task<void> submit(store::Job job);
  Task<void> resolve_unknown(store::Job job);
  Task<void> after_restart_in_submitting(store::Job job);

  // --- runner_follow.cpp
  Task<void> follow(store::Job job);

  // --- runner_deliver.cpp
  Task<void> deliver(store::Job job);

  // --- runner_finish.cpp
  // Moves the job to a terminal failure state with its release, and tells the user (unless the
  // user is known to be unreachable: blocked the bot).
  enum class Notice { tell_user, user_unreachable };
  Task<void> finish_failed(const store::Job& job, domain::JobState to, JobFailure failure,
                           std::string detail, Notice notice = Notice::tell_user);
  // Completes a delivered job: capture, final progress text, result buttons.
  Task<void> finish_delivered(const store::Job& job);
  // Sends or edits the progress message (at most every progress_interval_ms, never unchanged).
  Task<void> show_progress(const store::Job& job, ProgressPhase phase, bool force);
  // Records what the job's progress message shows now, and now and then forgets stale entries.
  void remember_progress(std::int64_t job_id, std::uint64_t text_hash, std::int64_t at_ms);
  void forget_progress(std::int64_t job_id);
  // Re-reads the job (another worker or a hint may have changed it).
  // Extends this worker's lease before a step that may take long (a create call, a file upload);
  // false when the lease was lost (expired and taken by another worker): stop working the job.
  Task<bool> keep_lease(const store::Job& job);
  // Sets fields without a state change and releases the lease.
  Task<Result<store::Job>> reschedule(const store::Job& job, std::int64_t next_check_at,
                                      bool count_attempt, std::optional<bool> notified_delayed = {});
  Task<std::string> language_of(std::int64_t user_id);
  std::shared_ptr<const catalog::Catalog> catalog() const { return d.catalog.get(); }
};

// The result URLs stored in a job row.
std::vector<std::string> stored_result_urls(const store::Job& job);

}  // namespace kb::services
