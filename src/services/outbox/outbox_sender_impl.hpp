// Internals of OutboxSender shared by its two source files (not part of the public API).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "services/outbox/outbox_sender.hpp"

namespace kb::services {

struct OutboxSender::Impl : std::enable_shared_from_this<Impl> {
  Impl(store::Database& db, telegram::TelegramApi& telegram, const Clock& clock,
       OutboxSenderOptions options, net::MetricsRegistry* metrics)
      : db(db), telegram(telegram), clock(clock), o(std::move(options)), metrics(metrics) {}

  // What the chat's loop does after a row.
  enum class Next { go_on, hold_chat };

  store::Database& db;
  telegram::TelegramApi& telegram;
  const Clock& clock;
  OutboxSenderOptions o;
  net::MetricsRegistry* metrics;
  std::map<std::string, OutboxHook, std::less<>> hooks;

  std::optional<asio::any_io_executor> executor;
  std::unique_ptr<asio::steady_timer> sweep_timer;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  std::int64_t last_purge_ms = 0;

  std::mutex mutex;
  std::map<std::int64_t, bool> active;  // chats being flushed → "flush again when done"

  // Per-chat exclusivity in this process: true when the caller now owns the chat's loop.
  bool try_activate(std::int64_t chat_id);
  // True when the loop may end (nobody asked for another pass meanwhile).
  bool finish(std::int64_t chat_id);
  bool is_active(std::int64_t chat_id);

  Task<void> run_chat(std::int64_t chat_id);
  Task<void> drain(std::int64_t chat_id);
  Task<Next> send_row(const store::OutboxRow& row);
  Task<void> purge_if_due();
  Task<void> sweep_loop();

  // Outcomes (outbox_send.cpp).
  Task<void> finish_sent(const store::OutboxRow& row, std::optional<std::int64_t> message_id);
  Task<void> finish_dropped(const store::OutboxRow& row, std::string_view reason);
  Task<void> finish_failed(const store::OutboxRow& row, std::string_view reason);
  Task<Next> finish_unreachable(const store::OutboxRow& row, std::string_view reason);
  Task<Next> schedule_retry(const store::OutboxRow& row, std::string_view reason);

  void count(std::string_view outcome, std::string_view method);
};

}  // namespace kb::services
