// Following submitted jobs: confirm by recordInfo (callbacks are only hints), adaptive polling,
// the patience notice and the hard limit.
#include "core/log.hpp"
#include "domain/job_state.hpp"
#include "services/jobs/runner_impl.hpp"

namespace kb::services {

using domain::JobState;

Task<void> JobRunner::Impl::follow(store::Job job) {
  auto cat = catalog();
  const catalog::Model* model = cat->find(job.model_id);
  std::int64_t patience_s = model ? model->patience.count() : 600;
  std::int64_t hard_s = model ? model->hard_limit.count() : 3600;
  std::int64_t expected_ms = model ? model->expected.count() * 1000 : 60'000;
  auto deadlines = domain::deadlines_for(job.created_at, patience_s, hard_s);
  if (!job.kie_task_id) {
    log::error("job_submitted_without_task", {{"job_id", job.id}});
    co_await finish_failed(job, JobState::failed, JobFailure::generation_failed, "no task id");
    co_return;
  }

  kie::RecordQuery query;
  query.task_id = *job.kie_task_id;
  if (job.submitted_at) query.created_at = SystemTime(Millis(*job.submitted_at));
  auto record = co_await d.kie.record_info(std::move(query));
  auto now_ms = now();

  if (!record) {
    const auto& f = record.failure;
    count("kiebot_kie_errors_total", "Provider errors by call and reason",
          {{"call", "recordInfo"}, {"reason", std::string(kie::failure_reason_name(f.reason))}});
    if (f.reason == kie::FailureReason::task_not_found || f.retry == kie::Retry::never) {
      if (now_ms < deadlines.hard_limit_at_ms && f.reason != kie::FailureReason::task_not_found) {
        // Our key or account is broken (an operator problem): keep the job, retry slowly.
        log::warn("job_record_failed", {{"job_id", job.id}, {"reason", kie::failure_reason_name(f.reason)}});
        co_await reschedule(job, now_ms + domain::retry_backoff_ms(job.attempts, 5'000, 120'000), true);
        co_return;
      }
      co_await finish_failed(job, JobState::failed, JobFailure::generation_failed, f.detail);
      co_return;
    }
    if (now_ms >= deadlines.hard_limit_at_ms) {
      co_await finish_failed(job, JobState::expired, JobFailure::hard_limit, "provider unreachable at the hard limit");
      co_return;
    }
    log::info("job_record_retry", {{"job_id", job.id}, {"reason", kie::failure_reason_name(f.reason)}});
    co_await reschedule(job, now_ms + domain::retry_backoff_ms(job.attempts), true);
    co_return;
  }

  const auto& rec = *record.value;
  if (rec.state == kie::TaskState::success) {
    if (rec.result_urls.empty()) {
      co_await finish_failed(job, JobState::failed, JobFailure::generation_failed, "success without outputs");
      co_return;
    }
    nlohmann::json result = {{"urls", rec.result_urls}};
    auto r = co_await d.db.transact<store::Job>([&](store::Tx& tx) {
      store::JobPatch patch;
      patch.result_json = result.dump();
      patch.next_check_at = std::optional<std::int64_t>(now_ms);
      patch.attempts = 0;
      patch.mark_succeeded = true;  // the delivery window starts now
      return tx.jobs().transition(job.id, {domain::to_string(JobState::submitted)},
                                  domain::to_string(JobState::succeeded), patch, now_ms);
    });
    if (!r) {
      if (r.error().code != Errc::conflict)
        log::warn("job_success_not_recorded", {{"job_id", job.id}, {"error", r.error().message}});
      co_return;
    }
    log::info("job_succeeded", {{"job_id", job.id}, {"outputs", rec.result_urls.size()}});
    co_await deliver(std::move(*r));
    co_return;
  }
  if (rec.state == kie::TaskState::fail) {
    count("kiebot_kie_errors_total", "Provider errors by call and reason",
          {{"call", "task"}, {"reason", std::string(kie::failure_reason_name(rec.fail_reason))}});
    co_await finish_failed(job, JobState::failed, job_failure_for(rec.fail_reason),
                           rec.fail_code + " " + rec.fail_message);
    co_return;
  }

  // Still running.
  if (now_ms >= deadlines.hard_limit_at_ms) {
    co_await finish_failed(job, JobState::expired, JobFailure::hard_limit, "still running at the hard limit");
    co_return;
  }
  bool delayed = now_ms >= deadlines.patience_at_ms;
  std::optional<bool> notify;
  if (delayed && !job.notified_delayed) notify = true;
  auto next = now_ms + domain::poll_delay_ms(o.poll, job.attempts, !o.callback_url.empty(), expected_ms);
  // Never sleep past the deadlines the user was promised.
  if (!job.notified_delayed && !delayed) next = std::min(next, deadlines.patience_at_ms);
  next = std::min(next, deadlines.hard_limit_at_ms);
  auto updated = co_await reschedule(job, next, true, notify);
  if (!updated) co_return;
  auto phase = delayed ? ProgressPhase::delayed
               : rec.state == kie::TaskState::generating ? ProgressPhase::generating
                                                        : ProgressPhase::queued;
  co_await show_progress(*updated, phase, notify.has_value());
}

}  // namespace kb::services
