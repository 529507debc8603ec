// Terminal transitions with their settlement, progress messages, rescheduling.
#include "core/log.hpp"
#include "domain/job_state.hpp"
#include "bot/i18n.hpp"
#include "services/billing/job_money.hpp"
#include "services/billing/money_views.hpp"
#include "services/jobs/runner_impl.hpp"
#include "services/outbox/outbox_drafts.hpp"
#include "services/outbox/outbox_sender.hpp"
#include "telegram/errors.hpp"

namespace kb::services {

using domain::JobState;

namespace {

// A job whose progress message was not edited for this long has ended elsewhere or shows a text
// that no longer changes: forgetting it costs at most one edit that Telegram answers "not
// modified". The sweep runs at most this often (it walks every entry).
constexpr std::int64_t kForgetProgressAfterMs = 60 * 60'000;
constexpr std::int64_t kSweepProgressEveryMs = 10 * 60'000;

// The failure notice as an outbox row: it replaces the progress message when there is one (the
// outbox sends an edit of a vanished message as a new message), else it is a new message.
Result<store::OutboxDraft> failure_notice_draft(const store::Job& job, const View& view) {
  if (job.progress_message_id) {
    telegram::EditMessageText edit{job.chat_id, *job.progress_message_id, view.text};
    edit.reply_markup = view.keyboard;
    return outbox_draft(edit);
  }
  telegram::SendMessage message{job.chat_id, view.text};
  message.reply_markup = view.keyboard;
  return outbox_draft(message);
}

// Stores the notice, retried through Telegram trouble as long as a result would be (until
// `deadline_at`). A notice that cannot be built is logged and left out: it never holds back the
// refund.
Result<void> enqueue_failure_notice(store::Tx& tx, const store::Job& job, const View& view,
                                    std::int64_t now_ms, std::int64_t deadline_at) {
  auto draft = failure_notice_draft(job, view);
  if (!draft) {
    log::error("job_failure_notice_unbuildable", {{"job_id", job.id}, {"error", draft.error().message}});
    return {};
  }
  draft->deadline_at = deadline_at;
  KB_TRY(tx.outbox().enqueue(*draft, now_ms));
  return {};
}

}  // namespace

void JobRunner::Impl::remember_progress(std::int64_t job_id, std::uint64_t text_hash, std::int64_t at_ms) {
  std::lock_guard lock(mutex);
  progress[job_id] = {text_hash, at_ms};
  if (at_ms - progress_swept_at < kSweepProgressEveryMs) return;
  progress_swept_at = at_ms;
  std::erase_if(progress, [at_ms](const auto& entry) { return at_ms - entry.second.at_ms > kForgetProgressAfterMs; });
}

void JobRunner::Impl::forget_progress(std::int64_t job_id) {
  std::lock_guard lock(mutex);
  progress.erase(job_id);
}

std::size_t JobRunner::remembered_progress() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->progress.size();
}

Task<bool> JobRunner::Impl::keep_lease(const store::Job& job) {
  const auto until = now() + o.lease_ms;
  auto r = co_await d.db.transact<bool>([&](store::Tx& tx) { return tx.jobs().renew_lease(job.id, o.owner, until); });
  if (!r) {
    log::warn("job_lease_not_renewed", {{"job_id", job.id}, {"error", r.error().message}});
    co_return false;
  }
  if (!*r) log::warn("job_lease_lost", {{"job_id", job.id}});
  co_return *r;
}

Task<std::string> JobRunner::Impl::language_of(std::int64_t user_id) {
  auto r = co_await d.db.read<std::optional<store::User>>([&](store::Tx& tx) { return tx.users().get(user_id); });
  // The same rule as the menus (services::user_lang), so job messages never switch language.
  co_return std::string(bot::lang_code(r && *r ? user_lang(**r) : bot::Lang::ru));
}

Task<Result<store::Job>> JobRunner::Impl::reschedule(const store::Job& job, std::int64_t next_check_at,
                                                     bool count_attempt, std::optional<bool> notified_delayed) {
  auto now_ms = now();
  co_return co_await d.db.transact<store::Job>([&](store::Tx& tx) {
    store::JobPatch patch;
    patch.next_check_at = std::optional<std::int64_t>(next_check_at);
    patch.increment_attempts = count_attempt;
    patch.notified_delayed = notified_delayed;
    patch.release_lease = true;
    return tx.jobs().update(job.id, patch, now_ms);
  });
}

Task<void> JobRunner::Impl::finish_failed(const store::Job& job, JobState to, JobFailure failure,
                                          std::string detail, Notice notice) {
  // The notice is decided before the transaction (the presenter reads nothing the transition
  // changes) and stored in it: the refund and the message telling the user about it commit
  // together, and the outbox retries the message through a Telegram outage and across restarts.
  auto cat = catalog();
  auto language = co_await language_of(job.user_id);
  const auto view = d.presenter.failed(JobContext{job, cat->find(job.model_id), language}, failure);
  auto now_ms = now();
  auto r = co_await d.db.transact<store::Job>([&](store::Tx& tx) -> Result<store::Job> {
    store::JobPatch patch;
    patch.failure_code = std::string(job_failure_code(failure));
    patch.failure_reason = detail.substr(0, 500);
    patch.finish = true;
    auto moved = KB_TRY(tx.jobs().transition(job.id, {job.state}, domain::to_string(to), patch, now_ms));
    KB_TRY(settle_job(tx, moved, domain::Settlement::release, o.referral, now_ms));
    if (notice == Notice::tell_user)
      KB_TRY(enqueue_failure_notice(tx, moved, view, now_ms, now_ms + o.delivery.window_ms));
    return moved;
  });
  if (!r) {
    if (r.error().code != Errc::conflict)
      log::warn("job_finish_failed", {{"job_id", job.id}, {"error", r.error().message}});
    co_return;
  }
  count("kiebot_jobs_finished_total", "Jobs reaching a terminal state",
        {{"state", std::string(domain::to_string(to))}, {"model", job.model_id}});
  log::info("job_failed", {{"job_id", job.id}, {"state", domain::to_string(to)},
                           {"failure", job_failure_code(failure)}});
  forget_progress(job.id);
  if (notice == Notice::tell_user) d.outbox.flush(r->chat_id);
}

Task<void> JobRunner::Impl::finish_delivered(const store::Job& job) {
  auto now_ms = now();
  auto r = co_await d.db.transact<store::Job>([&](store::Tx& tx) -> Result<store::Job> {
    store::JobPatch patch;
    patch.finish = true;
    auto moved = KB_TRY(tx.jobs().transition(job.id, {domain::to_string(JobState::succeeded)},
                                              domain::to_string(JobState::delivered), patch, now_ms));
    KB_TRY(settle_job(tx, moved, domain::Settlement::capture, o.referral, now_ms));
    return moved;
  });
  if (!r) {
    if (r.error().code != Errc::conflict)
      log::warn("job_deliver_record_failed", {{"job_id", job.id}, {"error", r.error().message}});
    co_return;
  }
  count("kiebot_jobs_finished_total", "Jobs reaching a terminal state",
        {{"state", "delivered"}, {"model", job.model_id}});
  if (d.metrics)
    d.metrics->histogram("kiebot_job_duration_seconds", "Confirm to delivery, per model", {{"model", job.model_id}},
                         {5, 10, 20, 30, 60, 120, 300, 600, 1200, 2400})
        .observe(static_cast<double>(now_ms - job.created_at) / 1000.0);
  log::info("job_delivered", {{"job_id", job.id}, {"model", job.model_id}, {"price", job.price_kopecks}});
  forget_progress(job.id);
  auto cat = catalog();
  auto language = co_await language_of(job.user_id);
  JobContext ctx{*r, cat->find(job.model_id), language};
  if (r->progress_message_id) {
    auto view = d.presenter.done(ctx);
    telegram::EditMessageText edit{r->chat_id, *r->progress_message_id, view.text};
    edit.reply_markup = view.keyboard;
    co_await d.telegram.edit_message_text(edit);
  }
  auto actions = d.presenter.result_actions(ctx);
  telegram::SendMessage m{r->chat_id, actions.text};
  m.reply_markup = actions.keyboard;
  co_await d.telegram.send_message(m);
}

Task<void> JobRunner::Impl::show_progress(const store::Job& job, ProgressPhase phase, bool force) {
  auto now_ms = now();
  // Edited at most every progress_interval_ms: a tick inside the interval ends here, before the
  // user's language is read (with thousands of jobs polled, most ticks are these).
  if (!force) {
    std::lock_guard lock(mutex);
    auto it = progress.find(job.id);
    if (it != progress.end() && now_ms - it->second.at_ms < o.progress_interval_ms) co_return;
  }
  auto cat = catalog();
  auto language = co_await language_of(job.user_id);
  JobContext ctx{job, cat->find(job.model_id), language};
  auto elapsed = std::max<std::int64_t>(0, (now_ms - job.created_at) / 1000);
  auto view = d.presenter.progress(ctx, phase, elapsed);
  const std::uint64_t text_hash = std::hash<std::string_view>{}(view.text);
  {
    std::lock_guard lock(mutex);
    auto it = progress.find(job.id);
    // Never an edit that changes nothing.
    if (it != progress.end() && it->second.text_hash == text_hash) co_return;
  }
  // Remembered only once Telegram shows it, so a failed edit is retried at the next tick.
  auto remember = [&] { remember_progress(job.id, text_hash, now_ms); };
  if (job.progress_message_id) {
    telegram::EditMessageText edit{job.chat_id, *job.progress_message_id, view.text};
    edit.reply_markup = view.keyboard;
    auto e = co_await d.telegram.edit_message_text(edit);
    auto kind = e ? telegram::ErrorKind::other : telegram::classify(e.error()).kind;
    if (e || kind == telegram::ErrorKind::message_not_modified) {
      remember();
      co_return;
    }
    if (kind != telegram::ErrorKind::message_to_edit_not_found && kind != telegram::ErrorKind::message_cant_be_edited)
      co_return;  // retried at the next progress tick
  }
  telegram::SendMessage m{job.chat_id, view.text};
  m.reply_markup = view.keyboard;
  auto sent = co_await d.telegram.send_message(m);
  if (!sent) co_return;
  remember();
  auto message_id = sent->message_id;
  const auto updated_at = now();
  co_await d.db.transact<store::Job>([&](store::Tx& tx) {
    store::JobPatch patch;
    patch.progress_message_id = message_id;
    return tx.jobs().update(job.id, patch, updated_at);
  });
}

}  // namespace kb::services
