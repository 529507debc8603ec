// Periodic admin alerts.
#include "services/admin/alerts.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "bot/i18n.hpp"
#include "catalog/holder.hpp"
#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "services/admin/credits_cache.hpp"
#include "services/billing/money_views.hpp"
#include "services/outbox/outbox_drafts.hpp"
#include "services/outbox/outbox_sender.hpp"
#include "store/database.hpp"
#include "store/repos/settings_atomic.hpp"

namespace kb::services::admin {
namespace {

std::string last_sent_key(std::string_view kind) {
  return fmt::format("admin.alert.{}.last_sent", kind);
}

std::optional<std::int64_t> as_ms(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  std::int64_t ms = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), ms);
  if (ec != std::errc()) return std::nullopt;
  return ms;
}

// True when this check may send `kind` now: cooled down, and the last-sent time moved to `now`
// by this transaction. The compare-and-set makes two instances checking at once send it once.
Result<bool> claim(store::Tx& tx, std::string_view kind, std::int64_t now,
                   const AlertThresholds& t) {
  auto key = last_sent_key(kind);
  auto stored = KB_TRY(tx.settings().get(key));
  if (!cooled_down(as_ms(stored), now, t)) return false;
  return store::compare_and_set_setting(tx.connection(), key, stored, std::to_string(now), now);
}

struct Alert {
  std::string kind;
  std::string key;
  bot::TextParams params;
};

}  // namespace

struct AdminAlerts::Impl {
  Impl(store::Database& d, CreditsCache* cr, catalog::CatalogHolder& cat, const Clock& c,
       const bot::Texts& t, OutboxSender* o, AlertOptions opt)
      : db(d), credits(cr), catalog(cat), clock(c), texts(t), outbox(o), options(std::move(opt)) {}
  store::Database& db;
  CreditsCache* credits;
  catalog::CatalogHolder& catalog;
  const Clock& clock;
  const bot::Texts& texts;
  OutboxSender* outbox;
  AlertOptions options;
};

AdminAlerts::AdminAlerts(store::Database& db, CreditsCache* credits,
                         catalog::CatalogHolder& catalog, const Clock& clock,
                         const bot::Texts& texts, OutboxSender* outbox, AlertOptions options)
    : impl_(
          std::make_shared<Impl>(db, credits, catalog, clock, texts, outbox, std::move(options))) {}

AdminAlerts::~AdminAlerts() = default;

namespace {
// The check itself, on the shared state only: the timer loop may outlive the AdminAlerts object.
Task<Result<int>> run_check(std::shared_ptr<AdminAlerts::Impl> self);
}  // namespace

Task<Result<int>> AdminAlerts::check_once() {
  return run_check(impl_);
}

namespace {
Task<Result<int>> run_check(std::shared_ptr<AdminAlerts::Impl> self) {
  const auto& t = self->options.thresholds;
  std::optional<double> credits;
  if (self->credits)
    if (auto snap = co_await self->credits->refresh_if_stale()) credits = snap->credits;
  auto catalog = self->catalog.get();
  auto now = self->clock.now_ms();
  // Jobs older than the shortest hard limit are candidates; each is checked against its model's.
  std::int64_t shortest = 24LL * 3600 * 1000;
  for (const auto& m : catalog->models)
    if (m.hard_limit.count() > 0)
      shortest = std::min<std::int64_t>(shortest, m.hard_limit.count() * 1000);
  auto* texts = &self->texts;
  auto* options = &self->options;
  auto sent = co_await self->db.transact<std::vector<std::int64_t>>(
      [&, now, credits, shortest, texts,
       options](store::Tx& tx) -> Result<std::vector<std::int64_t>> {
        std::vector<Alert> alerts;
        if (credits_low(credits, t))
          alerts.push_back({"low_credits",
                            "admin.alert.low_credits",
                            {{"credits", fmt::format("{:.0f}", *credits)},
                             {"threshold", fmt::format("{:.0f}", t.low_credits)}}});
        auto finished = KB_TRY(tx.admin_stats().finished_since(now - t.failure_window_ms));
        if (failure_spike(finished.total, finished.failed, t))
          alerts.push_back({"failures",
                            "admin.alert.failures",
                            {{"failed", std::to_string(finished.failed)},
                             {"finished", std::to_string(finished.total)},
                             {"minutes", std::to_string(t.failure_window_ms / 60'000)}}});
        auto candidates = KB_TRY(
            tx.admin_stats().unfinished_created_before(now - shortest - t.stuck_grace_ms, 50));
        std::string stuck;
        int stuck_count = 0;
        for (const auto& j : candidates) {
          const auto* m = catalog->find(j.model_id);
          auto limit_ms = m ? m->hard_limit.count() * 1000 : shortest;
          if (j.created_at + limit_ms + t.stuck_grace_ms > now) continue;
          ++stuck_count;
          if (stuck_count <= 5)
            stuck += fmt::format("\n#{} {} ({}, {} min)", j.id, j.model_id, j.state,
                                 (now - j.created_at) / 60'000);
        }
        if (stuck_count > 0)
          alerts.push_back({"stuck_jobs",
                            "admin.alert.stuck",
                            {{"count", std::to_string(stuck_count)}, {"jobs", stuck}}});
        std::vector<std::int64_t> admins = KB_TRY(tx.users().admin_ids());
        for (auto id : options->admin_ids)
          if (std::find(admins.begin(), admins.end(), id) == admins.end()) admins.push_back(id);
        std::vector<std::int64_t> chats;
        for (const auto& a : alerts) {
          if (!KB_TRY(claim(tx, a.kind, now, t))) continue;
          log::warn("admin_alert", {{"kind", a.kind}});
          for (auto admin : admins) {
            auto user = KB_TRY(tx.users().get(admin));
            auto lang = user ? services::user_lang(*user) : bot::Lang::ru;
            telegram::SendMessage m;
            m.chat_id = admin;
            m.text = texts->get(lang, a.key, a.params);
            auto draft = KB_TRY(outbox_draft(m));
            KB_TRY(tx.outbox().enqueue(draft, now));
            chats.push_back(admin);
          }
          chats.push_back(0);  // counts the kind even without admins
        }
        return chats;
      });
  if (!sent) co_return fail(sent.error());
  int kinds = 0;
  for (auto chat : *sent) {
    if (chat == 0)
      ++kinds;
    else if (self->outbox)
      self->outbox->flush(chat);
  }
  co_return kinds;
}
}  // namespace

void AdminAlerts::start(asio::any_io_executor executor) {
  auto self = impl_;
  loop_.start(executor, self->options.interval, PeriodicTask::First::step, [self]() -> Task<void> {
    auto r = co_await run_check(self);
    if (!r) log::warn("admin_alerts_failed", {{"error", r.error().message}});
  });
}

Task<void> AdminAlerts::stop(std::chrono::milliseconds grace) {
  bool stopped = co_await loop_.stop(grace);
  if (!stopped) log::warn("admin_alerts_stop_timeout", {});
}

}  // namespace kb::services::admin
