// Internal state and helpers of FakeTelegram (not part of the public interface).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"
#include "sandbox/fake_telegram/envelope.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "sandbox/fake_telegram/message_render.hpp"
#include "sandbox/fake_telegram/params.hpp"
#include "sandbox/fake_telegram/world.hpp"

namespace kb::sandbox::tg {

// A waiting getUpdates request. Woken (timer cancelled on its strand) by new updates, or
// terminated with a 409 by a newer poller or setWebhook.
struct LongPoll {
  std::shared_ptr<asio::steady_timer> timer;
  bool woken = false;
  std::optional<ApiError> terminated;
};

struct FakeTelegram::Impl : std::enable_shared_from_this<FakeTelegram::Impl> {
  Impl(asio::io_context& io, net::HttpClient& http, FakeTelegramOptions options);

  asio::io_context& io;
  net::HttpClient& http;
  FakeTelegramOptions options;
  SystemClock system_clock;
  const Clock& clock;
  BotIdentity bot;

  net::Router router;
  std::unique_ptr<net::HttpServer> server;
  std::uint16_t port = 0;
  std::atomic<bool> stopped{false};
  std::shared_ptr<asio::steady_timer> tick_timer;
  std::atomic<int> background_tasks{0};  // deliveries and the tick loop

  // wait_until() sleeps on `changed`; `version` counts state changes (guarded by change_mu).
  std::mutex change_mu;
  std::condition_variable changed;
  std::uint64_t version = 0;

  mutable std::mutex mu;  // guards everything below
  World world;
  std::shared_ptr<LongPoll> poll;
  bool tick_requested = false;

  std::mutex observers_mu;
  std::map<std::uint64_t, Observer> observers;
  std::uint64_t next_observer = 1;
  // Held while observers run: events reach observers in order, and the thread that produced an
  // event has delivered it before it goes on (recursive: observers may call back into the fake).
  std::recursive_mutex dispatch_mu;

  std::int64_t now_ms() const { return clock.now_ms(); }
  std::int64_t now_s() const { return clock.now_seconds(); }

  // ---- Helpers that require `mu` to be held (suffix _locked).
  // The chat for a Bot API chat_id parameter (integer or @username), created on first use when
  // auto_create_chats; errors as the server's.
  Result<ChatState*> find_chat_locked(std::string_view chat_id_text, bool create);
  ChatState& private_chat_locked(const User& user);
  User& ensure_user_locked(const User& user);
  StoredMessage& add_message_locked(ChatState& chat, StoredMessage message);
  StoredMessage* find_message_locked(std::int64_t chat_id, std::int64_t message_id);
  // Queues an update (if allowed) and wakes pollers/delivery; returns its id or 0.
  std::int64_t push_update_locked(const std::string& type, Json payload);
  void emit_locked(ChatEvent event);
  void emit_message_locked(ChatEvent::Kind kind, const StoredMessage& message);
  std::string next_numeric_id_locked();  // decimal int64 strings for query ids
  void unblock_locked(std::int64_t user_id);
  void expire_deadlines_locked();

  // ---- After releasing `mu`: wake waiters, dispatch observer events, kick delivery.
  void after_change();
  void dispatch_events();
  void request_tick();

  // ---- Server and background work.
  void register_routes();
  void tick_now();
  Task<void> tick_loop();
  Task<void> deliver(std::int64_t update_id, std::string body, std::string url, std::string secret,
                     int attempt);
};

// Canonical method names by lower-case name ("sendmessage" → "sendMessage"); nullopt if unknown.
std::optional<std::string> canonical_method(std::string_view lower_name);

// Runs a method by canonical name: fault injection, flood control, then the handler. Callers
// log it with begin_call() before and finish_call() after (which also announces the changes).
Task<Outcome> run_method(FakeTelegram::Impl& impl, const std::string& method,
                         const ApiParams& params);
std::uint64_t begin_call(FakeTelegram::Impl& impl, const std::string& method,
                         const ApiParams& params);
void finish_call(FakeTelegram::Impl& impl, std::uint64_t call_id, const Outcome& outcome);

}  // namespace kb::sandbox::tg
