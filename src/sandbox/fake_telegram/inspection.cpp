// Read-only views of the fake's state for tests and the sandbox page.
#include "sandbox/fake_telegram/impl.hpp"

namespace kb::sandbox::tg {

std::vector<ReceivedCall> FakeTelegram::calls() const {
  std::lock_guard lock(impl_->mu);
  return impl_->world.calls;
}

std::vector<ReceivedCall> FakeTelegram::calls(std::string_view method) const {
  std::lock_guard lock(impl_->mu);
  std::vector<ReceivedCall> out;
  for (const auto& c : impl_->world.calls)
    if (net::iequals(c.method, method)) out.push_back(c);
  return out;
}

std::size_t FakeTelegram::call_count(std::string_view method) const {
  std::lock_guard lock(impl_->mu);
  std::size_t n = 0;
  for (const auto& c : impl_->world.calls)
    if (net::iequals(c.method, method)) ++n;
  return n;
}

void FakeTelegram::clear_calls() {
  std::lock_guard lock(impl_->mu);
  impl_->world.calls.clear();
  impl_->world.call_ids.clear();
}

std::vector<std::int64_t> FakeTelegram::chat_ids() const {
  std::lock_guard lock(impl_->mu);
  std::vector<std::int64_t> out;
  for (const auto& [id, chat] : impl_->world.chats) out.push_back(id);
  return out;
}

std::vector<MessageView> FakeTelegram::messages(std::int64_t chat_id, bool include_deleted) const {
  std::lock_guard lock(impl_->mu);
  std::vector<MessageView> out;
  auto chat = impl_->world.chats.find(chat_id);
  if (chat == impl_->world.chats.end()) return out;
  for (const auto& [id, m] : chat->second.messages) {
    if (m.deleted && !include_deleted) continue;
    out.push_back(view_of(m, impl_->world, impl_->bot));
  }
  return out;
}

std::optional<MessageView> FakeTelegram::message(std::int64_t chat_id,
                                                 std::int64_t message_id) const {
  std::lock_guard lock(impl_->mu);
  auto* m = impl_->find_message_locked(chat_id, message_id);
  if (!m) return std::nullopt;
  return view_of(*m, impl_->world, impl_->bot);
}

std::optional<MessageView> FakeTelegram::last_bot_message(std::int64_t chat_id) const {
  std::lock_guard lock(impl_->mu);
  auto chat = impl_->world.chats.find(chat_id);
  if (chat == impl_->world.chats.end()) return std::nullopt;
  const auto& messages = chat->second.messages;
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->second.from_bot && !it->second.deleted)
      return view_of(it->second, impl_->world, impl_->bot);
  }
  return std::nullopt;
}

std::vector<MessageView> FakeTelegram::bot_messages(std::int64_t chat_id) const {
  auto all = messages(chat_id);
  std::erase_if(all, [](const MessageView& m) { return !m.from_bot; });
  return all;
}

std::optional<User> FakeTelegram::user(std::int64_t user_id) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->world.users.find(user_id);
  if (it == impl_->world.users.end()) return std::nullopt;
  return it->second;
}

bool FakeTelegram::is_blocked(std::int64_t user_id) const {
  std::lock_guard lock(impl_->mu);
  return impl_->world.blocked.contains(user_id);
}

std::vector<CallbackRecord> FakeTelegram::callback_queries() const {
  std::lock_guard lock(impl_->mu);
  return impl_->world.callbacks;
}

std::optional<CallbackRecord> FakeTelegram::callback_query(std::string_view id) const {
  std::lock_guard lock(impl_->mu);
  for (const auto& c : impl_->world.callbacks)
    if (c.id == id) return c;
  return std::nullopt;
}

std::vector<InvoiceRecord> FakeTelegram::invoices() const {
  std::lock_guard lock(impl_->mu);
  return impl_->world.invoices;
}

std::optional<InvoiceRecord> FakeTelegram::last_invoice(std::int64_t chat_id) const {
  std::lock_guard lock(impl_->mu);
  const auto& all = impl_->world.invoices;
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (chat_id == 0 || it->chat_id == chat_id) return *it;
  return std::nullopt;
}

std::vector<PaymentRecord> FakeTelegram::payments() const {
  std::lock_guard lock(impl_->mu);
  impl_->expire_deadlines_locked();
  return impl_->world.payments;
}

std::optional<PaymentRecord> FakeTelegram::payment(std::string_view id) const {
  std::lock_guard lock(impl_->mu);
  impl_->expire_deadlines_locked();
  for (const auto& p : impl_->world.payments)
    if (p.pre_checkout_query_id == id) return p;
  return std::nullopt;
}

std::vector<nlohmann::json> FakeTelegram::updates() const {
  std::lock_guard lock(impl_->mu);
  std::vector<nlohmann::json> out;
  for (const auto& u : impl_->world.update_log) out.emplace_back(u);
  return out;
}

std::size_t FakeTelegram::pending_update_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->world.updates.size();
}

WebhookView FakeTelegram::webhook() const {
  std::lock_guard lock(impl_->mu);
  const auto& h = impl_->world.webhook;
  WebhookView v;
  v.url = h.url;
  v.secret_token = h.secret_token;
  v.max_connections = h.max_connections;
  v.allowed_updates = impl_->world.updates.allowed();
  v.pending_update_count = impl_->world.updates.size();
  v.last_error_date = h.last_error_date;
  v.last_error_message = h.last_error_message;
  return v;
}

std::vector<DeliveryAttempt> FakeTelegram::deliveries() const {
  std::lock_guard lock(impl_->mu);
  return impl_->world.deliveries;
}

nlohmann::json FakeTelegram::my_commands(std::string_view language_code) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->world.commands.find("default|" + std::string(language_code));
  if (it == impl_->world.commands.end()) return nlohmann::json::array();
  return nlohmann::json(it->second);
}

std::optional<std::string> FakeTelegram::file_content(std::string_view file_id) const {
  std::lock_guard lock(impl_->mu);
  const auto* f = impl_->world.files.find(file_id);
  if (!f || !f->bytes) return std::nullopt;
  return *f->bytes;
}

}  // namespace kb::sandbox::tg
