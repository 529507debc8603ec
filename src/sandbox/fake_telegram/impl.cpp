// FakeTelegram::Impl: shared state helpers, change notification and observer dispatch.
#include "sandbox/fake_telegram/impl.hpp"

#include <fmt/format.h>

#include "core/log.hpp"
#include "sandbox/fake_telegram/method_support.hpp"

namespace kb::sandbox::tg {
namespace {

std::int64_t bot_id_from(const FakeTelegramOptions& options) {
  if (options.bot_id != 0) return options.bot_id;
  auto colon = options.token.find(':');
  return to_integer(std::string_view(options.token).substr(0, colon));
}

}  // namespace

FakeTelegram::Impl::Impl(asio::io_context& io_, net::HttpClient& http_, FakeTelegramOptions opts)
    : io(io_),
      http(http_),
      options(std::move(opts)),
      clock(options.clock ? *options.clock : static_cast<const Clock&>(system_clock)),
      world(options.token, options.limits) {
  bot.id = bot_id_from(options);
  bot.first_name = options.bot_first_name;
  bot.username = options.bot_username;
  if (options.first_update_id > 0) world.updates = UpdateQueue(options.first_update_id);
}

Result<ChatState*> FakeTelegram::Impl::find_chat_locked(std::string_view text, bool create) {
  std::int64_t id = 0;
  if (!text.empty() && text.front() == '@') {
    auto name = text.substr(1);
    for (const auto& [uid, user] : world.users) {
      if (!user.username.empty() && net::iequals(user.username, name)) id = uid;
    }
    if (id == 0) return api_fail(bad_request("chat not found"));
    create = true;  // a known user always has a private chat
  } else {
    id = to_integer(text);
  }
  if (id == 0) return api_fail(bad_request("chat not found"));
  if (auto it = world.chats.find(id); it != world.chats.end()) return &it->second;
  if (!create) return api_fail(bad_request("chat not found"));
  ChatState chat;
  chat.id = id;
  if (id > 0) {
    if (!world.users.contains(id)) {
      User u;
      u.id = id;
      u.first_name = fmt::format("User {}", id);
      world.users.emplace(id, u);
    }
  } else {
    chat.type = "group";
    chat.title = fmt::format("Group {}", -id);
  }
  return &world.chats.emplace(id, std::move(chat)).first->second;
}

User& FakeTelegram::Impl::ensure_user_locked(const User& user) {
  auto it = world.users.find(user.id);
  if (it == world.users.end()) {
    it = world.users.emplace(user.id, user).first;
  } else {
    it->second = user;  // names and language may change between actions
  }
  if (user.id >= world.next_user_id) world.next_user_id = user.id + 1;
  return it->second;
}

ChatState& FakeTelegram::Impl::private_chat_locked(const User& user) {
  ensure_user_locked(user);
  auto it = world.chats.find(user.id);
  if (it != world.chats.end()) return it->second;
  ChatState chat;
  chat.id = user.id;
  return world.chats.emplace(user.id, std::move(chat)).first->second;
}

StoredMessage& FakeTelegram::Impl::add_message_locked(ChatState& chat, StoredMessage message) {
  message.chat_id = chat.id;
  message.message_id = chat.next_message_id++;
  auto& stored = chat.messages.emplace(message.message_id, std::move(message)).first->second;
  emit_message_locked(ChatEvent::Kind::message_added, stored);
  return stored;
}

StoredMessage* FakeTelegram::Impl::find_message_locked(std::int64_t chat_id,
                                                       std::int64_t message_id) {
  auto chat = world.chats.find(chat_id);
  if (chat == world.chats.end()) return nullptr;
  auto it = chat->second.messages.find(message_id);
  return it == chat->second.messages.end() ? nullptr : &it->second;
}

std::int64_t FakeTelegram::Impl::push_update_locked(const std::string& type, Json payload) {
  Json logged;
  auto id = world.updates.push(type, payload, now_ms());
  if (id == 0) return 0;
  logged["update_id"] = id;
  logged[type] = std::move(payload);
  world.update_log.push_back(std::move(logged));
  if (poll && !poll->woken) {
    poll->woken = true;
    asio::post(poll->timer->get_executor(), [timer = poll->timer] { timer->cancel(); });
  }
  if (!world.webhook.url.empty()) request_tick();
  return id;
}

void FakeTelegram::Impl::request_tick() {
  if (tick_requested || !tick_timer) return;
  tick_requested = true;
  asio::post(tick_timer->get_executor(), [timer = tick_timer] { timer->cancel(); });
}

void FakeTelegram::Impl::emit_locked(ChatEvent event) {
  world.events.push_back(std::move(event));
}

void FakeTelegram::Impl::emit_message_locked(ChatEvent::Kind kind, const StoredMessage& message) {
  ChatEvent e;
  e.kind = kind;
  e.chat_id = message.chat_id;
  e.message = view_of(message, world, bot);
  emit_locked(std::move(e));
}

std::string FakeTelegram::Impl::next_numeric_id_locked() {
  // Decimal int64 strings, like real callback and pre-checkout query ids.
  auto r = world.next_random() >> 2;
  return std::to_string(4'000'000'000'000'000'000LL +
                        static_cast<std::int64_t>(r % 999'999'999'999'999'999ULL));
}

void FakeTelegram::Impl::unblock_locked(std::int64_t user_id) {
  if (!world.blocked.erase(user_id)) return;
  auto& user = world.users.at(user_id);
  auto& chat = private_chat_locked(user);
  Json payload;
  payload["chat"] = chat_json(chat, world);
  payload["from"] = user_json(user);
  payload["date"] = now_s();
  Json old_member, new_member;
  old_member["user"] = bot_json(bot);
  old_member["status"] = "kicked";
  old_member["until_date"] = 0;
  new_member["user"] = bot_json(bot);
  new_member["status"] = "member";
  payload["old_chat_member"] = old_member;
  payload["new_chat_member"] = new_member;
  push_update_locked("my_chat_member", std::move(payload));
  ChatEvent e;
  e.kind = ChatEvent::Kind::user_blocked;
  e.chat_id = user_id;
  e.data = {{"blocked", false}};
  emit_locked(std::move(e));
}

void FakeTelegram::Impl::after_change() {
  {
    std::lock_guard lock(change_mu);
    ++version;
  }
  changed.notify_all();
  dispatch_events();
}

void FakeTelegram::Impl::dispatch_events() {
  std::lock_guard dispatch_lock(dispatch_mu);
  for (;;) {
    ChatEvent event;
    {
      std::lock_guard lock(mu);
      if (world.events.empty()) return;
      event = std::move(world.events.front());
      world.events.pop_front();
    }
    std::vector<Observer> targets;
    {
      std::lock_guard lock(observers_mu);
      for (auto& [id, o] : observers) targets.push_back(o);
    }
    for (auto& o : targets) {
      try {
        o(event);
      } catch (const std::exception& e) {
        log::warn("fake_telegram_observer_failed", {{"error", e.what()}});
      }
    }
  }
}

}  // namespace kb::sandbox::tg
