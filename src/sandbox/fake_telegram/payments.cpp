// Payment flow state changes.
#include "sandbox/fake_telegram/payments.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/crypto.hpp"

namespace kb::sandbox::tg {
namespace {

void emit_payment(FakeTelegram::Impl& impl, const PaymentRecord& p) {
  ChatEvent e;
  e.kind = ChatEvent::Kind::payment_changed;
  e.chat_id = p.user_id;
  e.data = {{"pre_checkout_query_id", p.pre_checkout_query_id},
            {"state", payment_state_name(p.state)},
            {"payload", p.payload},
            {"amount", p.amount},
            {"currency", p.currency},
            {"error_message", p.error_message},
            {"telegram_payment_charge_id", p.telegram_payment_charge_id}};
  impl.emit_locked(std::move(e));
}

// A service message from the user in their private chat, delivered as a `message` update.
StoredMessage& add_user_service_message(FakeTelegram::Impl& impl, std::int64_t user_id,
                                        Json service) {
  auto& user = impl.world.users.at(user_id);
  auto& chat = impl.private_chat_locked(user);
  StoredMessage m;
  m.from_id = user_id;
  m.date = impl.now_s();
  m.kind = service.begin().key();
  m.service = std::move(service);
  auto& stored = impl.add_message_locked(chat, std::move(m));
  impl.push_update_locked("message", render_message(stored, impl.world, impl.bot));
  return stored;
}

Json user_partner(FakeTelegram::Impl& impl, const PaymentRecord& p) {
  Json partner;
  partner["type"] = "user";
  partner["transaction_type"] = "invoice_payment";
  if (auto it = impl.world.users.find(p.user_id); it != impl.world.users.end())
    partner["user"] = user_json(it->second);
  partner["invoice_payload"] = p.payload;
  return partner;
}

}  // namespace

PaymentRecord& start_payment_locked(FakeTelegram::Impl& impl, const User& user,
                                    const InvoiceRecord& invoice) {
  impl.private_chat_locked(user);
  PaymentRecord p;
  p.pre_checkout_query_id = impl.next_numeric_id_locked();
  p.invoice_id = invoice.id;
  p.user_id = user.id;
  p.currency = invoice.currency;
  p.amount = invoice.amount;
  p.payload = invoice.payload;
  p.created_ms = impl.now_ms();
  Json query;
  query["id"] = p.pre_checkout_query_id;
  query["from"] = user_json(impl.world.users.at(user.id));
  query["currency"] = p.currency;
  query["total_amount"] = p.amount;
  query["invoice_payload"] = p.payload;
  p.update_id = impl.push_update_locked("pre_checkout_query", std::move(query));
  impl.world.payments.push_back(std::move(p));
  emit_payment(impl, impl.world.payments.back());
  return impl.world.payments.back();
}

PaymentRecord* find_payment_locked(FakeTelegram::Impl& impl, std::string_view id) {
  for (auto& p : impl.world.payments)
    if (p.pre_checkout_query_id == id) return &p;
  return nullptr;
}

void set_payment_state_locked(FakeTelegram::Impl& impl, PaymentRecord& p, PaymentState state) {
  p.state = state;
  emit_payment(impl, p);
}

void complete_payment_locked(FakeTelegram::Impl& impl, PaymentRecord& p) {
  auto n = impl.world.next_id_counter++;
  p.telegram_payment_charge_id =
      "stx" + crypto::base64url(crypto::sha256(fmt::format("{}/charge/{}/{}", impl.options.token, n,
                                                           impl.world.next_random())))
                  .substr(0, 40);
  p.provider_payment_charge_id = fmt::format("{}_{}", p.user_id, n);
  p.paid_ms = impl.now_ms();
  p.state = PaymentState::paid;
  Json sp;
  sp["currency"] = p.currency;
  sp["total_amount"] = p.amount;
  sp["invoice_payload"] = p.payload;
  sp["telegram_payment_charge_id"] = p.telegram_payment_charge_id;
  sp["provider_payment_charge_id"] = p.provider_payment_charge_id;
  Json service;
  service["successful_payment"] = std::move(sp);
  p.successful_payment_message_id =
      add_user_service_message(impl, p.user_id, std::move(service)).message_id;
  emit_payment(impl, p);
}

void refund_payment_locked(FakeTelegram::Impl& impl, PaymentRecord& p) {
  p.state = PaymentState::refunded;
  p.refunded_ms = impl.now_ms();
  Json rp;
  rp["currency"] = p.currency;
  rp["total_amount"] = p.amount;
  rp["invoice_payload"] = p.payload;
  rp["telegram_payment_charge_id"] = p.telegram_payment_charge_id;
  Json service;
  service["refunded_payment"] = std::move(rp);
  p.refunded_payment_message_id =
      add_user_service_message(impl, p.user_id, std::move(service)).message_id;
  emit_payment(impl, p);
}

std::vector<Json> star_transactions_locked(FakeTelegram::Impl& impl) {
  std::vector<std::pair<std::int64_t, Json>> items;
  for (const auto& p : impl.world.payments) {
    if (p.currency != "XTR" || p.telegram_payment_charge_id.empty()) continue;
    Json in;
    in["id"] = p.telegram_payment_charge_id;
    in["amount"] = p.amount;
    in["date"] = p.paid_ms / 1000;
    in["source"] = user_partner(impl, p);
    items.emplace_back(p.paid_ms, std::move(in));
    if (p.state == PaymentState::refunded) {
      Json out;
      out["id"] = p.telegram_payment_charge_id;  // refunds reuse the original id
      out["amount"] = p.amount;
      out["date"] = p.refunded_ms / 1000;
      out["receiver"] = user_partner(impl, p);
      items.emplace_back(p.refunded_ms, std::move(out));
    }
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Json> out;
  for (auto& [t, j] : items) out.push_back(std::move(j));
  return out;
}

}  // namespace kb::sandbox::tg
