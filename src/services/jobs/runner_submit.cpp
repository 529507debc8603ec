// Submitting jobs to the provider: never twice, retried only when clearly not accepted.
#include "catalog/payload.hpp"
#include "core/log.hpp"
#include "domain/job_state.hpp"
#include "services/jobs/runner_impl.hpp"

namespace kb::services {

using domain::JobState;


Task<void> JobRunner::Impl::submit(store::Job job) {
  auto cat = catalog();
  const catalog::Model* model = cat->find(job.model_id);
  auto now_ms = now();
  if (!model) {
    co_await finish_failed(job, JobState::failed, JobFailure::invalid_inputs, "model left the catalog");
    co_return;
  }
  auto deadlines = domain::deadlines_for(job.created_at, model->patience.count(), model->hard_limit.count());
  if (now_ms >= deadlines.hard_limit_at_ms) {
    co_await finish_failed(job, JobState::expired, JobFailure::hard_limit, "not accepted before the hard limit");
    co_return;
  }
  auto stored = nlohmann::json::parse(job.inputs_json, nullptr, false);
  auto values = catalog::values_from_json(*model, stored);
  if (!values) {
    co_await finish_failed(job, JobState::failed, JobFailure::invalid_inputs, values.error().message);
    co_return;
  }
  // Media references become fetchable URLs now (signed URLs expire: never earlier than needed).
  for (auto& [name, value] : *values) {
    auto* refs = std::get_if<catalog::MediaUrls>(&value);
    if (!refs) continue;
    auto urls = co_await d.media.resolve(*refs);
    if (!urls) {
      bool transient = urls.error().code == Errc::unavailable || urls.error().code == Errc::timeout;
      if (transient) {
        log::warn("job_media_retry", {{"job_id", job.id}, {"error", urls.error().message}});
        co_await reschedule(job, now_ms + domain::retry_backoff_ms(job.attempts), true);
      } else {
        co_await finish_failed(job, JobState::failed, JobFailure::media_unavailable, urls.error().message);
      }
      co_return;
    }
    *refs = std::move(*urls);
  }
  auto payload = catalog::build_payload(*model, *values);
  if (!payload) {
    co_await finish_failed(job, JobState::failed, JobFailure::invalid_inputs, payload.error().message);
    co_return;
  }

  // From here until the outcome is recorded, a crash leaves the job in `submitting`, which
  // recovery treats as "maybe accepted": it is never sent again.
  auto marked = co_await d.db.transact<store::Job>([&](store::Tx& tx) {
    store::JobPatch patch;
    patch.increment_attempts = true;
    return tx.jobs().transition(job.id, {domain::to_string(JobState::created)},
                                domain::to_string(JobState::submitting), patch, now_ms);
  });
  if (!marked) {
    if (marked.error().code != Errc::conflict)
      log::warn("job_submit_mark_failed", {{"job_id", job.id}, {"error", marked.error().message}});
    co_return;
  }
  job = *marked;
  // The create call may wait for the account's rate budget: the lease must outlive it, or another
  // worker would take the job for a crashed one (and call it ambiguous).
  if (!co_await keep_lease(job)) co_return;

  kie::CreateTaskRequest request;
  request.model = model->id;
  request.input = std::move(*payload);
  if (!o.callback_url.empty()) request.callback_url = o.callback_url + "?job=" + std::to_string(job.id);
  auto created = co_await d.kie.create_task(std::move(request));
  now_ms = now();
  count("kiebot_kie_create_total", "createTask outcomes",
        {{"outcome", std::string(kie::create_outcome_name(created.outcome))}});

  switch (created.outcome) {
    case kie::CreateOutcome::created: {
      auto r = co_await d.db.transact<store::Job>([&](store::Tx& tx) {
        store::JobPatch patch;
        patch.kie_task_id = created.task_id;
        patch.mark_submitted = true;
        patch.attempts = 0;
        patch.next_check_at = std::optional<std::int64_t>(
            now_ms + domain::poll_delay_ms(o.poll, 0, !o.callback_url.empty(), model->expected.count() * 1000));
        patch.release_lease = true;
        // From `create_unknown` too: if our lease lapsed during the call, another worker may have
        // declared the outcome unknown; we know it, so the job is not refunded for nothing.
        return tx.jobs().transition(
            job.id, {domain::to_string(JobState::submitting), domain::to_string(JobState::create_unknown)},
            domain::to_string(JobState::submitted), patch, now_ms);
      });
      if (!r) {
        // The task exists at the provider but we could not record it: the row stays `submitting`
        // and recovery treats it as ambiguous (a callback carrying the job id can still resolve it).
        log::error("job_submitted_not_recorded",
                   {{"job_id", job.id}, {"task_id", created.task_id}, {"error", r.error().message}});
        co_return;
      }
      log::info("job_submitted", {{"job_id", job.id}, {"task_id", created.task_id}, {"model", model->id}});
      co_await show_progress(*r, ProgressPhase::queued, true);
      co_return;
    }
    case kie::CreateOutcome::rejected: {
      if (created.failure.retry == kie::Retry::later) {
        log::warn("job_submit_retry", {{"job_id", job.id},
                                        {"reason", kie::failure_reason_name(created.failure.reason)},
                                        {"code", created.failure.code}});
        bool notify = now_ms >= deadlines.patience_at_ms && !job.notified_delayed;
        auto r = co_await d.db.transact<store::Job>([&](store::Tx& tx) {
          store::JobPatch patch;
          patch.next_check_at = std::optional<std::int64_t>(now_ms + domain::retry_backoff_ms(job.attempts));
          if (notify) patch.notified_delayed = true;
          patch.release_lease = true;
          return tx.jobs().transition(job.id, {domain::to_string(JobState::submitting)},
                                      domain::to_string(JobState::created), patch, now_ms);
        });
        if (r && notify) co_await show_progress(*r, ProgressPhase::delayed, true);
        co_return;
      }
      log::info("job_rejected", {{"job_id", job.id},
                                 {"reason", kie::failure_reason_name(created.failure.reason)},
                                 {"code", created.failure.code}});
      co_await finish_failed(job, JobState::failed, job_failure_for(created.failure.reason),
                             created.failure.detail);
      co_return;
    }
    case kie::CreateOutcome::ambiguous: {
      log::warn("job_create_ambiguous", {{"job_id", job.id}, {"detail", created.failure.detail}});
      auto r = co_await d.db.transact<store::Job>([&](store::Tx& tx) {
        store::JobPatch patch;
        patch.next_check_at = std::optional<std::int64_t>(now_ms + o.create_unknown_window_ms);
        patch.failure_reason = created.failure.detail;
        patch.release_lease = true;
        return tx.jobs().transition(job.id, {domain::to_string(JobState::submitting)},
                                    domain::to_string(JobState::create_unknown), patch, now_ms);
      });
      if (r) co_await show_progress(*r, ProgressPhase::generating, true);
      co_return;
    }
  }
}

Task<void> JobRunner::Impl::after_restart_in_submitting(store::Job job) {
  // A crash (or lost lease) in the middle of a create call: the provider may have the task.
  log::warn("job_create_outcome_lost", {{"job_id", job.id}});
  auto now_ms = now();
  co_await d.db.transact<store::Job>([&](store::Tx& tx) {
    store::JobPatch patch;
    patch.next_check_at = std::optional<std::int64_t>(now_ms + o.create_unknown_window_ms);
    patch.release_lease = true;
    return tx.jobs().transition(job.id, {domain::to_string(JobState::submitting)},
                                domain::to_string(JobState::create_unknown), patch, now_ms);
  });
}

Task<void> JobRunner::Impl::resolve_unknown(store::Job job) {
  // Nothing revealed the task within the window: give the money back and say so. A callback that
  // arrives later for this job finds it terminal and is ignored.
  co_await finish_failed(job, JobState::failed, JobFailure::create_uncertain,
                         "no callback revealed the task");
}

}  // namespace kb::services
