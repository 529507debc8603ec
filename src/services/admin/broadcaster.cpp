// Broadcast sending, batch by batch.
#include "services/admin/broadcaster.hpp"

#include <fmt/format.h>

#include "bot/i18n.hpp"
#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "services/admin/broadcast_content.hpp"
#include "services/billing/money_views.hpp"
#include "services/outbox/outbox_drafts.hpp"
#include "services/outbox/outbox_sender.hpp"
#include "store/database.hpp"
#include "telegram/api.hpp"
#include "telegram/errors.hpp"

namespace kb::services::admin {
namespace {

struct Sent {
  std::int64_t user_id = 0;
  store::RecipientStatus status = store::RecipientStatus::failed;
};

// Counting a broadcast's recipients scans all of them: doing it for every message would make a
// broadcast quadratic. Between counts the sender keeps its own view (its claims and settlements);
// other instances' progress shows up at the next count. The final report always counts.
constexpr std::size_t kRecountEvery = 50;

struct Settled {
  bool done = false;
  store::BroadcastCounts counts;  // after this settlement (counted, or the view moved on)
};

// A message to the broadcast's admin, in their language, committed with the batch.
Result<void> tell_admin(store::Tx& tx, const bot::Texts& texts, std::int64_t admin_id,
                        std::string_view key, const bot::TextParams& params, std::int64_t now) {
  auto admin = KB_TRY(tx.users().get(admin_id));
  auto lang = admin ? services::user_lang(*admin) : bot::Lang::ru;
  telegram::SendMessage m;
  m.chat_id = admin_id;
  m.text = texts.get(lang, key, params);
  auto draft = KB_TRY(outbox_draft(m));
  KB_TRY(tx.outbox().enqueue(draft, now));
  return {};
}

}  // namespace

struct Broadcaster::Impl {
  Impl(store::Database& d, telegram::TelegramApi& t, const Clock& c, const bot::Texts& x,
       OutboxSender* o, BroadcasterOptions opt)
      : db(d), telegram(t), clock(c), texts(x), outbox(o), options(opt) {}

  store::Database& db;
  telegram::TelegramApi& telegram;
  const Clock& clock;
  const bot::Texts& texts;
  OutboxSender* outbox;
  BroadcasterOptions options;
  std::optional<asio::any_io_executor> executor;
  std::unique_ptr<asio::steady_timer> timer;
  std::atomic<bool> stopping{false};
  std::atomic<bool> running{false};

  Task<Result<std::int64_t>> work_one(store::Broadcast b);
  Task<Result<std::int64_t>> run_once();
  Task<void> loop(std::shared_ptr<Impl> self);
};

Task<Result<std::int64_t>> Broadcaster::Impl::work_one(store::Broadcast b) {
  auto content = content_from_json(b.content_json);
  auto id = b.id;
  if (!content) {
    log::error("broadcast_unreadable", {{"broadcast", id}});
    auto now = clock.now_ms();
    auto cancelled = co_await db.transact<bool>(
        [id, now](store::Tx& tx) { return tx.broadcasts().set_status(id, "cancelled", now); });
    // Not cancelled (database down): fail, so the loop waits before it tries again.
    if (!cancelled) co_return fail(cancelled.error());
    co_return std::int64_t{0};
  }
  std::int64_t delivered = 0;
  int batch = options.batch_size;
  std::optional<store::BroadcastCounts> view;
  std::size_t since_count = 0;
  while (!stopping) {
    // Claim a batch: pending -> failed (the intent) before any of it is sent.
    auto now = clock.now_ms();
    auto claimed = co_await db.transact<std::vector<std::int64_t>>(
        [id, batch, now](store::Tx& tx) -> Result<std::vector<std::int64_t>> {
          auto ids = KB_TRY(tx.broadcasts().next_batch(id, batch));
          std::vector<std::int64_t> mine;
          for (auto user : ids)
            if (KB_TRY(tx.broadcasts().mark(id, user, store::RecipientStatus::failed, now)))
              mine.push_back(user);
          if (!ids.empty()) KB_TRY(tx.broadcasts().set_status(id, "running", now));
          return mine;
        });
    if (!claimed) co_return fail(claimed.error());
    if (view) {
      auto n = static_cast<std::int64_t>(claimed->size());
      view->pending = std::max<std::int64_t>(0, view->pending - n);
      view->failed += n;
    }
    std::vector<Sent> sent;
    for (auto user : *claimed) {
      auto request = broadcast_request(*content, user);
      Result<telegram::Message> r = fail(Errc::internal, "not sent");
      if (auto* text = std::get_if<telegram::SendMessage>(&request))
        r = co_await telegram.send_message(std::move(*text));
      else
        r = co_await telegram.send_media(std::get<telegram::SendMedia>(std::move(request)));
      Sent s{user, store::RecipientStatus::sent};
      if (!r) {
        s.status = telegram::recipient_unreachable(r.error()) ? store::RecipientStatus::blocked
                                                              : store::RecipientStatus::failed;
        if (s.status == store::RecipientStatus::failed)
          log::warn("broadcast_send_failed",
                    {{"broadcast", id}, {"user", user}, {"error", r.error().message}});
      } else {
        ++delivered;
      }
      sent.push_back(s);
    }
    // Settle the batch; progress at each quarter; the final report when nothing is pending.
    now = clock.now_ms();
    const auto& texts_ref = texts;
    auto admin = b.admin_id;
    bool recount = !view || claimed->empty() || since_count + sent.size() >= kRecountEvery;
    auto settled = co_await db.transact<Settled>(
        [&sent, &texts_ref, &view, id, admin, now, recount](store::Tx& tx) -> Result<Settled> {
          std::int64_t newly_sent = 0, newly_blocked = 0;
          for (const auto& s : sent) {
            if (s.status == store::RecipientStatus::failed) continue;
            KB_TRY(tx.broadcasts().settle(id, s.user_id, s.status, now));
            if (s.status == store::RecipientStatus::blocked) {
              KB_TRY(tx.users().set_blocked(s.user_id, true, now));
              ++newly_blocked;
            } else {
              ++newly_sent;
            }
          }
          store::BroadcastCounts after;
          if (recount) {
            after = KB_TRY(tx.broadcasts().counts(id));
          } else {
            after = *view;
            after.failed -= newly_sent + newly_blocked;
            after.sent += newly_sent;
            after.blocked += newly_blocked;
          }
          if (after.pending == 0 && !recount) after = KB_TRY(tx.broadcasts().counts(id));
          auto before = after;
          before.sent -= newly_sent;
          before.blocked -= newly_blocked;
          auto total = std::max<std::int64_t>(1, after.total());
          // Recipients of a batch in flight are `failed` until settled: progress counts the
          // settled ones only.
          auto quarter = [total](const store::BroadcastCounts& c) {
            return (c.sent + c.blocked) * 4 / total;
          };
          if (after.pending == 0) {
            // Whoever finishes it (one instance of several) sends the one report.
            if (KB_TRY(tx.broadcasts().set_status(id, "done", now)))
              KB_TRY(tell_admin(tx, texts_ref, admin, "admin.broadcast.report",
                                {{"id", std::to_string(id)},
                                 {"sent", std::to_string(after.sent)},
                                 {"blocked", std::to_string(after.blocked)},
                                 {"failed", std::to_string(after.failed)}},
                                now));
            return Settled{true, after};
          }
          if (quarter(after) > quarter(before))
            KB_TRY(tell_admin(tx, texts_ref, admin, "admin.broadcast.progress",
                              {{"id", std::to_string(id)},
                               {"done", std::to_string(after.sent + after.blocked)},
                               {"total", std::to_string(after.total())}},
                              now));
          return Settled{false, after};
        });
    if (!settled) co_return fail(settled.error());
    view = settled->counts;
    since_count = recount ? 0 : since_count + sent.size();
    if (outbox) outbox->flush(admin);
    if (settled->done) break;
  }
  co_return delivered;
}

Task<void> Broadcaster::Impl::loop(std::shared_ptr<Impl> self) {
  while (!self->stopping) {
    auto r = co_await self->run_once();
    if (!r) log::warn("broadcast_pass_failed", {{"error", r.error().message}});
    if (self->stopping) break;
    self->timer->expires_after(self->options.scan_interval);
    boost::system::error_code ec;
    co_await self->timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  self->running = false;
}

Broadcaster::Broadcaster(store::Database& db, telegram::TelegramApi& telegram, const Clock& clock,
                         const bot::Texts& texts, OutboxSender* outbox, BroadcasterOptions options)
    : impl_(std::make_shared<Impl>(db, telegram, clock, texts, outbox, options)) {}

Broadcaster::~Broadcaster() = default;

void Broadcaster::start(asio::any_io_executor executor) {
  impl_->executor = executor;
  impl_->timer = std::make_unique<asio::steady_timer>(executor);
  impl_->running = true;
  auto self = impl_;
  asio::co_spawn(
      executor, [self]() { return self->loop(self); }, asio::detached);
}

void Broadcaster::wake() {
  auto self = impl_;
  if (!self->executor || !self->timer) return;
  asio::post(*self->executor, [self] { self->timer->cancel(); });
}

Task<void> Broadcaster::stop(std::chrono::milliseconds grace) {
  auto self = impl_;
  self->stopping = true;
  wake();
  std::function<bool()> idle = [self] { return !self->running; };
  if (!co_await wait_until(std::move(idle), grace)) log::warn("broadcaster_stop_timeout", {});
}

Task<Result<std::int64_t>> Broadcaster::run_once() {
  auto self = impl_;
  co_return co_await self->run_once();
}

Task<Result<std::int64_t>> Broadcaster::Impl::run_once() {
  auto* self = this;
  if (!self->db.features().broadcasts) co_return std::int64_t{0};
  std::int64_t delivered = 0;
  while (!self->stopping) {
    auto active = co_await self->db.read<std::vector<store::Broadcast>>(
        [](store::Tx& tx) { return tx.broadcasts().list_active(); });
    if (!active) co_return fail(active.error());
    std::optional<store::Broadcast> next;
    for (auto& b : *active)
      if (b.status == "queued" || b.status == "running") {
        next = std::move(b);
        break;
      }
    if (!next) break;
    auto n = co_await self->work_one(std::move(*next));
    if (!n) co_return fail(n.error());
    delivered += *n;
  }
  co_return delivered;
}

}  // namespace kb::services::admin
