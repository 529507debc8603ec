// The runner's scan loop, claiming, concurrency and callback hints.
#include "services/jobs/runner_impl.hpp"

#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "domain/job_state.hpp"

namespace kb::services {

using domain::JobState;

std::vector<std::string> stored_result_urls(const store::Job& job) {
  std::vector<std::string> urls;
  if (!job.result_json) return urls;
  auto j = nlohmann::json::parse(*job.result_json, nullptr, false);
  if (j.is_object() && j.contains("urls") && j["urls"].is_array())
    for (const auto& u : j["urls"])
      if (u.is_string()) urls.push_back(u.get<std::string>());
  return urls;
}

JobRunner::JobRunner(RunnerDeps deps, RunnerOptions options)
    : impl_(std::make_shared<Impl>(deps, std::move(options))) {}

JobRunner::~JobRunner() { impl_->stopping = true; }

void JobRunner::start(asio::any_io_executor executor) {
  impl_->executor = executor;
  impl_->wake_timer = std::make_unique<asio::steady_timer>(executor);
  auto self = impl_;
  asio::co_spawn(executor, [self]() { return self->loop(); }, asio::detached);
}

Task<void> JobRunner::stop(std::chrono::milliseconds grace) {
  auto self = impl_;
  self->stopping = true;
  self->wake();
  std::function<bool()> idle = [self] { return self->in_flight.load() == 0; };
  if (!co_await wait_until(std::move(idle), grace))
    log::warn("jobs_stop_timeout", {{"still_working", self->in_flight.load()}});
}

void JobRunner::wake() { impl_->wake(); }

void JobRunner::Impl::wake() {
  wake_pending = true;
  if (executor && wake_timer) {
    auto self = shared_from_this();
    asio::post(*executor, [self] { self->wake_timer->cancel(); });
  }
}

Task<int> JobRunner::run_once() { return impl_->scan(true); }

void JobRunner::on_callback_hint(std::string task_id) {
  auto self = impl_;
  if (!self->executor || task_id.empty()) return;
  asio::co_spawn(*self->executor, [self, task_id]() -> Task<void> {
    auto now = self->now();
    auto r = co_await self->d.db.transact<bool>([&](store::Tx& tx) -> Result<bool> {
      auto job = KB_TRY(tx.jobs().get_by_task_id(task_id));
      if (!job || job->state != domain::to_string(JobState::submitted)) return false;
      store::JobPatch patch;
      patch.next_check_at = std::optional<std::int64_t>(now);
      KB_TRY(tx.jobs().update(job->id, patch, now));
      return true;
    });
    if (!r) log::warn("kie_callback_hint_failed", {{"task_id", task_id}, {"error", r.error().message}});
    else if (*r) self->wake();
  }, asio::detached);
}

void JobRunner::on_callback_for_job(std::int64_t job_id, std::string task_id) {
  auto self = impl_;
  if (!self->executor || task_id.empty()) return;
  asio::co_spawn(*self->executor, [self, job_id, task_id]() -> Task<void> {
    auto now = self->now();
    auto r = co_await self->d.db.transact<bool>([&](store::Tx& tx) -> Result<bool> {
      auto job = KB_TRY(tx.jobs().get(job_id));
      if (!job) return false;
      if (job->state == domain::to_string(JobState::create_unknown)) {
        store::JobPatch patch;
        patch.kie_task_id = task_id;
        patch.mark_submitted = true;
        patch.next_check_at = std::optional<std::int64_t>(now);
        KB_TRY(tx.jobs().transition(job->id, {domain::to_string(JobState::create_unknown)},
                                    domain::to_string(JobState::submitted), patch, now));
        log::info("job_create_resolved_by_callback", {{"job_id", job_id}, {"task_id", task_id}});
        return true;
      }
      if (job->kie_task_id && *job->kie_task_id != task_id)
        log::warn("job_callback_task_mismatch",
                  {{"job_id", job_id}, {"stored_task_id", *job->kie_task_id}, {"callback_task_id", task_id}});
      return false;
    });
    if (r && *r) self->wake();
  }, asio::detached);
  on_callback_hint(std::move(task_id));
}

void JobRunner::Impl::spawn(std::function<Task<void>()> make) {
  ++in_flight;
  auto self = shared_from_this();
  asio::co_spawn(*executor, std::move(make), [self](std::exception_ptr e) {
    --self->in_flight;
    if (self->backlog.load()) self->wake();
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log::error("job_worker_crashed", {{"error", ex.what()}});
      }
    }
  });
}

void JobRunner::Impl::count(std::string_view metric, std::string_view help, const net::Labels& labels) {
  if (d.metrics) d.metrics->counter(metric, help, labels).inc();
}

Task<void> JobRunner::Impl::loop() {
  auto self = shared_from_this();
  while (!stopping) {
    wake_pending = false;
    co_await scan(false);
    if (stopping) break;
    if (wake_pending) continue;
    // A backlog with free capacity: keep claiming without waiting for the timer.
    if (backlog.load() && in_flight.load() < o.max_parallel) continue;
    wake_timer->expires_after(std::chrono::milliseconds(o.scan_interval_ms));
    boost::system::error_code ec;
    co_await wake_timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

Task<int> JobRunner::Impl::scan(bool inline_work) {
  int capacity = o.max_parallel - in_flight.load();
  if (capacity <= 0) {
    backlog = true;  // a finishing worker wakes the loop
    co_return 0;
  }
  auto now_ms = now();
  const int limit = std::min(o.batch, capacity);
  auto claimed = co_await d.db.transact<std::vector<store::Job>>([&](store::Tx& tx) {
    return tx.jobs().claim_due(o.owner, now_ms, o.lease_ms, limit);
  });
  if (!claimed) {
    backlog = false;
    log::warn("jobs_claim_failed", {{"error", claimed.error().message}});
    co_return 0;
  }
  int n = static_cast<int>(claimed->size());
  backlog = n == limit;
  for (auto& job : *claimed) {
    if (inline_work) {
      ++in_flight;
      co_await work(std::move(job));
      --in_flight;
    } else {
      auto self = shared_from_this();
      auto j = std::make_shared<store::Job>(std::move(job));
      spawn([self, j]() { return self->work(*j); });
    }
  }
  co_return n;
}

Task<void> JobRunner::Impl::work(store::Job job) {
  auto state = domain::parse_job_state(job.state);
  if (!state) {
    log::error("job_unknown_state", {{"job_id", job.id}, {"state", job.state}});
    co_return;
  }
  switch (*state) {
    case JobState::created: co_await submit(std::move(job)); break;
    case JobState::submitting: co_await after_restart_in_submitting(std::move(job)); break;
    case JobState::create_unknown: co_await resolve_unknown(std::move(job)); break;
    case JobState::submitted: co_await follow(std::move(job)); break;
    case JobState::succeeded: co_await deliver(std::move(job)); break;
    default:
      // Terminal jobs are never due; a stale lease may still bring one here.
      co_await d.db.transact<bool>([&](store::Tx& tx) { return tx.jobs().release_lease(job.id, o.owner); });
  }
}

}  // namespace kb::services
