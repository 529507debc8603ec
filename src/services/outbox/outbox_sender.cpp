// OutboxSender: per-chat flush loops, the background sweep and purging.
#include <algorithm>

#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "net/metrics.hpp"
#include "services/outbox/outbox_sender_impl.hpp"

namespace kb::services {
namespace {

constexpr std::int64_t kPurgeEveryMs = 10 * 60'000;

}  // namespace

OutboxSender::OutboxSender(store::Database& db, telegram::TelegramApi& telegram, const Clock& clock,
                           OutboxSenderOptions options, net::MetricsRegistry* metrics)
    : impl_(std::make_shared<Impl>(db, telegram, clock, std::move(options), metrics)) {}

OutboxSender::~OutboxSender() {
  impl_->stopping = true;
}

void OutboxSender::on_sent(std::string purpose, OutboxHook hook) {
  impl_->hooks[std::move(purpose)] = std::move(hook);
}

void OutboxSender::start(asio::any_io_executor executor) {
  impl_->executor = executor;
  impl_->sweep_timer = std::make_unique<asio::steady_timer>(executor);
  auto self = impl_;
  asio::co_spawn(
      executor, [self]() { return self->sweep_loop(); }, asio::detached);
}

Task<void> OutboxSender::stop(std::chrono::milliseconds grace) {
  auto self = impl_;
  self->stopping = true;
  if (self->executor && self->sweep_timer) {
    asio::post(*self->executor, [self] { self->sweep_timer->cancel(); });
  }
  std::function<bool()> idle = [self] { return self->in_flight.load() == 0; };
  if (!co_await wait_until(std::move(idle), grace))
    log::warn("outbox_stop_timeout", {{"chats_still_sending", self->in_flight.load()}});
}

void OutboxSender::flush(std::int64_t chat_id) {
  auto self = impl_;
  if (!self->executor || self->stopping) return;
  if (!self->try_activate(chat_id)) return;  // the running loop takes another pass
  asio::co_spawn(
      *self->executor, [self, chat_id]() { return self->run_chat(chat_id); }, asio::detached);
}

Task<void> OutboxSender::flush_now(std::int64_t chat_id) {
  auto self = impl_;
  if (self->try_activate(chat_id)) {
    co_await self->run_chat(chat_id);
    co_return;
  }
  // Another loop owns the chat and was asked for one more pass: wait for it to end.
  while (self->is_active(chat_id)) co_await sleep_for(std::chrono::milliseconds(5));
}

Task<int> OutboxSender::sweep_once() {
  auto self = impl_;
  auto now = self->clock.now_ms();
  int limit = self->o.sweep_chats;
  auto chats = co_await self->db.transact<std::vector<std::int64_t>>(
      [&](store::Tx& tx) { return tx.outbox().chats_due(now, limit); });
  if (!chats) {
    log::warn("outbox_sweep_failed", {{"error", chats.error().message}});
    co_return 0;
  }
  int n = 0;
  for (auto chat : *chats) {
    if (!self->try_activate(chat)) continue;
    ++n;
    co_await self->run_chat(chat);
  }
  co_await self->purge_if_due();
  co_return n;
}

bool OutboxSender::Impl::try_activate(std::int64_t chat_id) {
  std::lock_guard lock(mutex);
  auto [it, inserted] = active.try_emplace(chat_id, false);
  if (!inserted) it->second = true;
  return inserted;
}

bool OutboxSender::Impl::finish(std::int64_t chat_id) {
  std::lock_guard lock(mutex);
  auto it = active.find(chat_id);
  if (it == active.end()) return true;
  if (it->second && !stopping) {
    it->second = false;
    return false;
  }
  active.erase(it);
  return true;
}

bool OutboxSender::Impl::is_active(std::int64_t chat_id) {
  std::lock_guard lock(mutex);
  return active.contains(chat_id);
}

Task<void> OutboxSender::Impl::run_chat(std::int64_t chat_id) {
  auto self = shared_from_this();
  ++in_flight;
  try {
    do {
      co_await drain(chat_id);
    } while (!finish(chat_id));
  } catch (const std::exception& e) {
    // A bug; the rows keep their leases and are sent again when those expire.
    log::error("outbox_chat_crashed", {{"chat_id", chat_id}, {"error", e.what()}});
    std::lock_guard lock(mutex);
    active.erase(chat_id);
  }
  --in_flight;
}

Task<void> OutboxSender::Impl::drain(std::int64_t chat_id) {
  for (;;) {
    auto now = clock.now_ms();
    auto claimed = co_await db.transact<std::vector<store::OutboxRow>>([&](store::Tx& tx) {
      return tx.outbox().claim_chat(chat_id, o.owner, now, o.lease_ms, o.claim_batch);
    });
    if (!claimed) {
      log::warn("outbox_claim_failed", {{"chat_id", chat_id}, {"error", claimed.error().message}});
      co_return;
    }
    if (claimed->empty()) co_return;
    auto& rows = *claimed;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto next = co_await send_row(rows[i]);
      if (next == Next::go_on) continue;
      // This row holds the chat back: give the rest of the batch back untried.
      for (std::size_t j = i + 1; j < rows.size(); ++j) {
        auto id = rows[j].id;
        auto released =
            co_await db.transact<bool>([&](store::Tx& tx) { return tx.outbox().release(id); });
        if (!released)
          log::warn("outbox_release_failed", {{"row", id}, {"error", released.error().message}});
      }
      co_return;
    }
  }
}

Task<void> OutboxSender::Impl::purge_if_due() {
  auto now = clock.now_ms();
  if (last_purge_ms != 0 && now - last_purge_ms < kPurgeEveryMs) co_return;
  last_purge_ms = now;
  auto before = now - o.retention_ms;
  auto purged = co_await db.transact<std::int64_t>(
      [&](store::Tx& tx) { return tx.outbox().purge_finished_before(before); });
  if (!purged)
    log::warn("outbox_purge_failed", {{"error", purged.error().message}});
  else if (*purged > 0)
    log::info("outbox_purged", {{"rows", *purged}});
}

Task<void> OutboxSender::Impl::sweep_loop() {
  auto self = shared_from_this();
  while (!stopping) {
    auto now = clock.now_ms();
    int limit = o.sweep_chats;
    auto chats = co_await db.transact<std::vector<std::int64_t>>(
        [&](store::Tx& tx) { return tx.outbox().chats_due(now, limit); });
    if (!chats) {
      log::warn("outbox_sweep_failed", {{"error", chats.error().message}});
    } else {
      for (auto chat : *chats) {
        if (stopping) break;
        if (!try_activate(chat)) continue;
        asio::co_spawn(
            *executor, [self, chat]() { return self->run_chat(chat); }, asio::detached);
      }
      co_await purge_if_due();
    }
    if (stopping) break;
    sweep_timer->expires_after(o.sweep_interval);
    boost::system::error_code ec;
    co_await sweep_timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

void OutboxSender::Impl::count(std::string_view outcome, std::string_view method) {
  if (metrics)
    metrics
        ->counter("kiebot_outbox_rows_total", "Outbox rows finished, by outcome and method",
                  {{"outcome", std::string(outcome)}, {"method", std::string(method)}})
        .inc();
}

}  // namespace kb::services
