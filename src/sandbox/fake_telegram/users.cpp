// Simulated users: every action stores the user's message (or query) and queues the update the
// real server would send to the bot.
#include <fmt/format.h>

#include "sandbox/fake_telegram/impl.hpp"
#include "sandbox/fake_telegram/media_builder.hpp"
#include "sandbox/fake_telegram/payments.hpp"
#include "sandbox/fake_telegram/text_format.hpp"

namespace kb::sandbox::tg {
namespace {

using Impl = FakeTelegram::Impl;

// The stored user for an action; id 0 registers a new one.
const User& acting_user_locked(Impl& impl, const User& user) {
  if (user.id != 0) {
    if (auto it = impl.world.users.find(user.id); it != impl.world.users.end() &&
                                                  it->second.first_name == user.first_name &&
                                                  it->second.language_code == user.language_code)
      return it->second;
    return impl.ensure_user_locked(user);
  }
  User u = user;
  u.id = impl.world.next_user_id++;
  return impl.ensure_user_locked(u);
}

FormattedText plain(std::string text) {
  FormattedText t;
  t.text = std::move(text);
  add_auto_entities(t);
  return t;
}

// Stores a message from the user in their private chat (unblocking the bot first, as a user
// must to write again) and queues it as `update_type`.
UserMessage post_locked(Impl& impl, const User& user, StoredMessage m,
                        const std::string& update_type = "message") {
  const auto& u = acting_user_locked(impl, user);
  impl.unblock_locked(u.id);
  auto& chat = impl.private_chat_locked(u);
  m.from_bot = false;
  m.from_id = u.id;
  if (m.date == 0) m.date = impl.now_s();
  auto& stored = impl.add_message_locked(chat, std::move(m));
  auto update_id =
      impl.push_update_locked(update_type, render_message(stored, impl.world, impl.bot));
  return UserMessage{chat.id, stored.message_id, update_id};
}

StoredMessage text_message(std::string text) {
  StoredMessage m;
  auto t = plain(std::move(text));
  m.kind = "text";
  m.text = std::move(t.text);
  m.entities = std::move(t.entities);
  return m;
}

StoredMessage media_message(Impl& impl, FileKind kind, std::string bytes, std::string mime,
                            std::string name, std::string caption, MediaAttributes a = {}) {
  StoredMessage m;
  MediaSource source{"", std::make_shared<const std::string>(std::move(bytes)), std::move(mime),
                     std::move(name)};
  // Photos of unknown format fall back to a default size, so this cannot fail for users.
  (void)attach_media(impl.world, m, kind, source, a);
  auto c = plain(std::move(caption));
  m.caption = std::move(c.text);
  m.caption_entities = std::move(c.entities);
  return m;
}

// Runs `make` under the lock, then announces the change.
template <class Make>
UserMessage locked_action(Impl& impl, Make&& make) {
  UserMessage result;
  {
    std::lock_guard lock(impl.mu);
    result = make();
  }
  impl.after_change();
  return result;
}

std::string chat_instance_of(std::int64_t chat_id) {
  // Stable per chat, decimal, often negative like the real ones.
  auto mixed =
      static_cast<std::int64_t>(static_cast<std::uint64_t>(chat_id) * 0x9E3779B97F4A7C15ULL);
  return std::to_string(mixed);
}

}  // namespace

User FakeTelegram::add_user(User user) {
  User stored;
  {
    std::lock_guard lock(impl_->mu);
    if (user.id == 0) user.id = impl_->world.next_user_id++;
    stored = impl_->ensure_user_locked(user);
  }
  impl_->after_change();
  return stored;
}

User FakeTelegram::make_user(std::string first_name, std::string language_code) {
  User u;
  u.first_name = std::move(first_name);
  u.language_code = std::move(language_code);
  return add_user(std::move(u));
}

UserMessage FakeTelegram::send_text(const User& user, std::string text) {
  return locked_action(*impl_,
                       [&] { return post_locked(*impl_, user, text_message(std::move(text))); });
}

UserMessage FakeTelegram::send_command(const User& user, std::string command, std::string args) {
  if (command.empty() || command.front() != '/') command.insert(0, "/");
  if (!args.empty()) command += " " + args;
  return send_text(user, std::move(command));
}

UserMessage FakeTelegram::send_photo(const User& user, std::string bytes, std::string caption) {
  return locked_action(*impl_, [&] {
    return post_locked(
        *impl_, user,
        media_message(*impl_, FileKind::photo, std::move(bytes), "", "", std::move(caption)));
  });
}

UserMessage FakeTelegram::send_document(const User& user, std::string bytes, std::string mime_type,
                                        std::string file_name, std::string caption) {
  return locked_action(*impl_, [&] {
    return post_locked(
        *impl_, user,
        media_message(*impl_, FileKind::document, std::move(bytes), std::move(mime_type),
                      std::move(file_name), std::move(caption)));
  });
}

UserMessage FakeTelegram::send_voice(const User& user, std::string bytes, int duration,
                                     std::string mime_type) {
  MediaAttributes a;
  a.duration = duration;
  return locked_action(*impl_, [&] {
    return post_locked(
        *impl_, user,
        media_message(*impl_, FileKind::voice, std::move(bytes), std::move(mime_type), "", "", a));
  });
}

UserMessage FakeTelegram::send_audio(const User& user, std::string bytes, std::string file_name,
                                     std::string mime_type, int duration) {
  MediaAttributes a;
  a.duration = duration;
  return locked_action(*impl_, [&] {
    return post_locked(*impl_, user,
                       media_message(*impl_, FileKind::audio, std::move(bytes),
                                     std::move(mime_type), std::move(file_name), "", a));
  });
}

UserMessage FakeTelegram::send_video(const User& user, std::string bytes, std::string caption,
                                     int duration, int width, int height) {
  MediaAttributes a;
  a.duration = duration;
  a.width = width;
  a.height = height;
  return locked_action(*impl_, [&] {
    return post_locked(*impl_, user,
                       media_message(*impl_, FileKind::video, std::move(bytes), "video/mp4",
                                     "video.mp4", std::move(caption), a));
  });
}

UserMessage FakeTelegram::send_video_note(const User& user, std::string bytes, int duration) {
  MediaAttributes a;
  a.duration = duration;
  a.length = 384;
  return locked_action(*impl_, [&] {
    return post_locked(
        *impl_, user,
        media_message(*impl_, FileKind::video_note, std::move(bytes), "video/mp4", "", "", a));
  });
}

UserMessage FakeTelegram::send_animation(const User& user, std::string bytes, std::string file_name,
                                         std::string mime_type) {
  MediaAttributes a;
  a.duration = 3;
  a.width = 480;
  a.height = 270;
  return locked_action(*impl_, [&] {
    return post_locked(*impl_, user,
                       media_message(*impl_, FileKind::animation, std::move(bytes),
                                     std::move(mime_type), std::move(file_name), "", a));
  });
}

UserMessage FakeTelegram::send_sticker(const User& user, std::string bytes, std::string emoji) {
  MediaAttributes a;
  a.emoji = std::move(emoji);
  return locked_action(*impl_, [&] {
    return post_locked(
        *impl_, user,
        media_message(*impl_, FileKind::sticker, std::move(bytes), "image/webp", "", "", a));
  });
}

std::vector<UserMessage> FakeTelegram::send_album(const User& user, std::vector<std::string> images,
                                                  std::string caption) {
  std::vector<UserMessage> out;
  {
    std::lock_guard lock(impl_->mu);
    auto group = std::to_string(13'912'345'678'901'234LL +
                                static_cast<std::int64_t>(impl_->world.next_id_counter++));
    for (std::size_t i = 0; i < images.size(); ++i) {
      auto m = media_message(*impl_, FileKind::photo, std::move(images[i]), "", "",
                             i == 0 ? caption : "");
      if (images.size() > 1) m.media_group_id = group;
      out.push_back(post_locked(*impl_, user, std::move(m)));
    }
  }
  impl_->after_change();
  return out;
}

UserMessage FakeTelegram::forward_photo(const User& user, std::string bytes, ForwardOrigin origin,
                                        std::string caption) {
  UserMessage result;
  {
    std::lock_guard lock(impl_->mu);
    auto m = media_message(*impl_, FileKind::photo, std::move(bytes), "", "", std::move(caption));
    m.forward = forward_fields(origin, origin.date ? origin.date : impl_->now_s() - 86400);
    result = post_locked(*impl_, user, std::move(m));
  }
  impl_->after_change();
  return result;
}

UserMessage FakeTelegram::forward_text(const User& user, std::string text, ForwardOrigin origin) {
  UserMessage result;
  {
    std::lock_guard lock(impl_->mu);
    auto m = text_message(std::move(text));
    m.forward = forward_fields(origin, origin.date ? origin.date : impl_->now_s() - 86400);
    result = post_locked(*impl_, user, std::move(m));
  }
  impl_->after_change();
  return result;
}

UserMessage FakeTelegram::reply_text(const User& user, std::int64_t reply_to_message_id,
                                     std::string text) {
  UserMessage result;
  {
    std::lock_guard lock(impl_->mu);
    auto m = text_message(std::move(text));
    if (auto* replied = impl_->find_message_locked(user.id, reply_to_message_id);
        replied && !replied->deleted)
      m.reply_to = render_message(*replied, impl_->world, impl_->bot, false);
    result = post_locked(*impl_, user, std::move(m));
  }
  impl_->after_change();
  return result;
}

Result<UserMessage> FakeTelegram::edit_text(const User& user, std::int64_t message_id,
                                            std::string text) {
  UserMessage result;
  {
    std::lock_guard lock(impl_->mu);
    auto* m = impl_->find_message_locked(user.id, message_id);
    if (!m || m->deleted || m->from_bot || m->from_id != user.id || m->kind != "text")
      return fail(Errc::not_found, "no text message of this user with that id");
    auto t = plain(std::move(text));
    m->text = std::move(t.text);
    m->entities = std::move(t.entities);
    m->edit_date = impl_->now_s();
    impl_->emit_message_locked(ChatEvent::Kind::message_edited, *m);
    result.chat_id = m->chat_id;
    result.message_id = m->message_id;
    result.update_id =
        impl_->push_update_locked("edited_message", render_message(*m, impl_->world, impl_->bot));
  }
  impl_->after_change();
  return result;
}

FakeTelegram::Press FakeTelegram::press_button(const User& user, std::int64_t message_id,
                                               std::string callback_data) {
  Press press;
  {
    std::lock_guard lock(impl_->mu);
    const auto& u = acting_user_locked(*impl_, user);
    auto& chat = impl_->private_chat_locked(u);
    CallbackRecord record;
    record.id = impl_->next_numeric_id_locked();
    record.user_id = u.id;
    record.chat_id = chat.id;
    record.message_id = message_id;
    record.data = callback_data;
    record.created_ms = impl_->now_ms();
    Json query;
    query["id"] = record.id;
    query["from"] = user_json(u);
    auto* m = impl_->find_message_locked(chat.id, message_id);
    if (m && !m->deleted) {
      query["message"] = render_message(*m, impl_->world, impl_->bot);
    } else {
      query["message"] = inaccessible_message(message_id, chat, impl_->world);
    }
    query["chat_instance"] = chat_instance_of(chat.id);
    query["data"] = std::move(callback_data);
    record.update_id = impl_->push_update_locked("callback_query", std::move(query));
    press = Press{record.id, record.update_id};
    impl_->world.callbacks.push_back(std::move(record));
  }
  impl_->after_change();
  return press;
}

Result<FakeTelegram::Press> FakeTelegram::press_button_by_text(const User& user,
                                                               std::int64_t message_id,
                                                               std::string_view button_text) {
  auto view = message(user.id, message_id);
  if (!view) return fail(Errc::not_found, "no such message");
  auto data = view->callback_data_of(button_text);
  if (!data)
    return fail(Errc::not_found,
                fmt::format("no callback button \"{}\" on the message", button_text));
  return press_button(user, message_id, *data);
}

Result<FakeTelegram::PaymentStart> FakeTelegram::pay(const User& user,
                                                     const InvoiceRecord& invoice) {
  PaymentStart start;
  {
    std::lock_guard lock(impl_->mu);
    const InvoiceRecord* known = nullptr;
    for (const auto& i : impl_->world.invoices)
      if (i.id == invoice.id) known = &i;
    if (!known) return fail(Errc::not_found, "unknown invoice");
    const auto& u = acting_user_locked(*impl_, user);
    impl_->unblock_locked(u.id);
    auto copy = *known;  // start_payment_locked may grow the vectors
    auto& p = start_payment_locked(*impl_, u, copy);
    start = PaymentStart{p.pre_checkout_query_id, p.update_id};
  }
  impl_->after_change();
  return start;
}

void FakeTelegram::block_bot(const User& user) {
  {
    std::lock_guard lock(impl_->mu);
    const auto& u = acting_user_locked(*impl_, user);
    if (!impl_->world.blocked.insert(u.id).second) return;
    auto& chat = impl_->private_chat_locked(u);
    Json payload;
    payload["chat"] = chat_json(chat, impl_->world);
    payload["from"] = user_json(u);
    payload["date"] = impl_->now_s();
    Json old_member, new_member;
    old_member["user"] = bot_json(impl_->bot);
    old_member["status"] = "member";
    new_member["user"] = bot_json(impl_->bot);
    new_member["status"] = "kicked";
    new_member["until_date"] = 0;
    payload["old_chat_member"] = std::move(old_member);
    payload["new_chat_member"] = std::move(new_member);
    impl_->push_update_locked("my_chat_member", std::move(payload));
    ChatEvent e;
    e.kind = ChatEvent::Kind::user_blocked;
    e.chat_id = u.id;
    e.data = {{"blocked", true}};
    impl_->emit_locked(std::move(e));
  }
  impl_->after_change();
}

void FakeTelegram::unblock_bot(const User& user) {
  {
    std::lock_guard lock(impl_->mu);
    impl_->unblock_locked(acting_user_locked(*impl_, user).id);
  }
  impl_->after_change();
}

}  // namespace kb::sandbox::tg
