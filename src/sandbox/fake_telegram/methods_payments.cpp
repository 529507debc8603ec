// Telegram Stars payments: sendInvoice, createInvoiceLink, answerPreCheckoutQuery,
// refundStarPayment, getStarTransactions, getMyStarBalance.
#include <fmt/format.h>

#include "core/crypto.hpp"
#include "sandbox/fake_telegram/method_support.hpp"
#include "sandbox/fake_telegram/payments.hpp"

namespace kb::sandbox::tg {
namespace {

constexpr std::string_view kQueryTooOld =
    "query is too old and response timeout expired or query ID is invalid";
constexpr std::int64_t kSubscriptionPeriod = 2592000;

Result<InvoiceRecord> invoice_params(const ApiParams& params, bool link) {
  InvoiceRecord inv;
  auto title = params.get("title");
  if (!title) return api_fail(missing_parameter("title"));
  if (utf16_length(*title) > 32) return api_fail(bad_request("TITLE_INVALID"));
  auto description = params.get("description");
  if (!description) return api_fail(missing_parameter("description"));
  if (utf16_length(*description) > 255) return api_fail(bad_request("DESCRIPTION_INVALID"));
  auto payload = params.get_or("payload");
  if (!is_valid_utf8(payload)) return api_fail(bad_request("the payload must be encoded in UTF-8"));
  if (payload.empty() || payload.size() > 128)
    return api_fail(bad_request("INVOICE_PAYLOAD_INVALID"));
  auto currency = params.get("currency");
  if (!currency) return api_fail(missing_parameter("currency"));
  auto provider_token = params.get_or("provider_token");
  if (*currency == "XTR" ? !provider_token.empty() : provider_token.empty())
    return api_fail(bad_request("PAYMENT_PROVIDER_INVALID"));
  auto prices_text = params.get("prices");
  if (!prices_text) return api_fail(missing_parameter("prices"));
  auto prices = Json::parse(*prices_text, nullptr, false);
  if (prices.is_discarded() || !prices.is_array())
    return api_fail(bad_request("can't parse prices JSON object"));
  if (prices.empty()) return api_fail(bad_request("there must be at least one price"));
  if (*currency == "XTR" && prices.size() > 1)
    return api_fail(bad_request("STARS_INVOICE_INVALID"));
  std::int64_t total = 0;
  for (const auto& p : prices) {
    if (!p.is_object() || !p.contains("label") || !p["label"].is_string())
      return api_fail(
          bad_request("can't parse LabeledPrice: Field \"label\" must be of type String"));
    if (!p.contains("amount") || !p["amount"].is_number_integer())
      return api_fail(
          bad_request("can't parse LabeledPrice: Field \"amount\" must be a valid Number"));
    total += p["amount"].get<std::int64_t>();
  }
  if (total <= 0) return api_fail(bad_request("CURRENCY_TOTAL_AMOUNT_INVALID"));
  if (link && params.has("subscription_period")) {
    auto period = to_integer(params.get_or("subscription_period"));
    if (period != kSubscriptionPeriod) return api_fail(bad_request("SUBSCRIPTION_PERIOD_INVALID"));
    if (*currency != "XTR" || total > 10000)
      return api_fail(bad_request("SUBSCRIPTION_AMOUNT_INVALID"));
    inv.subscription_period = period;
  }
  inv.title = *title;
  inv.description = *description;
  inv.payload = payload;
  inv.currency = *currency;
  inv.price_label = prices[0]["label"].get<std::string>();
  inv.amount = total;
  return inv;
}

// A reply_markup on an invoice must start with the Pay button.
Result<Json> invoice_markup(const ApiParams& params) {
  auto markup = KB_TRY(reply_markup_param(params));
  if (markup.is_null()) return markup;
  auto rows = inline_keyboard_of(markup);
  if (rows.empty() || rows.front().empty() || !rows.front().front().pay)
    return api_fail(bad_request("REPLY_MARKUP_BUY_EMPTY"));
  return markup;
}

Outcome send_invoice(Impl& impl, const ApiParams& params) {
  auto chat = target_chat_locked(impl, params);
  if (!chat) return to_api_error(chat.error());
  auto inv = invoice_params(params, false);
  if (!inv) return to_api_error(inv.error());
  auto markup = invoice_markup(params);
  if (!markup) return to_api_error(markup.error());
  auto reply = reply_param_locked(impl, params, **chat);
  if (!reply) return to_api_error(reply.error());
  auto m = new_bot_message(impl, **chat);
  m.kind = "invoice";
  Json invoice;
  invoice["title"] = inv->title;
  invoice["description"] = inv->description;
  invoice["start_parameter"] = params.get_or("start_parameter");
  invoice["currency"] = inv->currency;
  invoice["total_amount"] = inv->amount;
  m.service = Json::object();
  m.service["invoice"] = std::move(invoice);
  m.reply_to = std::move(*reply);
  m.reply_markup = std::move(*markup);
  auto& stored = impl.add_message_locked(**chat, std::move(m));
  inv->id = fmt::format("inv{}", impl.world.next_id_counter++);
  inv->chat_id = stored.chat_id;
  inv->message_id = stored.message_id;
  inv->created_ms = impl.now_ms();
  impl.world.invoices.push_back(std::move(*inv));
  return message_outcome(impl, stored);
}

Outcome create_invoice_link(Impl& impl, const ApiParams& params) {
  auto inv = invoice_params(params, true);
  if (!inv) return to_api_error(inv.error());
  auto slug = crypto::base64url(
                  crypto::sha256(fmt::format("{}/{}/{}", impl.options.token,
                                             impl.world.next_id_counter, impl.world.next_random())))
                  .substr(0, 22);
  ++impl.world.next_id_counter;
  inv->id = slug;
  inv->link = "https://t.me/$" + slug;
  inv->created_ms = impl.now_ms();
  auto link = inv->link;
  impl.world.invoices.push_back(std::move(*inv));
  return Outcome::ok(link);
}

Outcome answer_pre_checkout_query(Impl& impl, const ApiParams& params) {
  auto id = params.get("pre_checkout_query_id");
  if (!id) return missing_parameter("pre_checkout_query_id");
  impl.expire_deadlines_locked();
  auto* payment = find_payment_locked(impl, *id);
  if (!payment || payment->state != PaymentState::awaiting_answer) return bad_request(kQueryTooOld);
  bool ok = params.get_bool("ok");
  if (!ok) {
    auto message = params.get("error_message");
    if (!message) return bad_request("ERROR_MESSAGE_EMPTY");
    payment->error_message = *message;
    set_payment_state_locked(impl, *payment, PaymentState::declined);
    return Outcome::ok(true);
  }
  complete_payment_locked(impl, *payment);
  return Outcome::ok(true);
}

Outcome refund_star_payment(Impl& impl, const ApiParams& params) {
  auto user_id = params.get("user_id");
  if (!user_id) return missing_parameter("user_id");
  auto charge = params.get("telegram_payment_charge_id");
  if (!charge) return missing_parameter("telegram_payment_charge_id");
  PaymentRecord* payment = nullptr;
  for (auto& p : impl.world.payments)
    if (p.telegram_payment_charge_id == *charge) payment = &p;
  if (!payment || payment->user_id != to_integer(*user_id)) return bad_request("CHARGE_NOT_FOUND");
  if (payment->state == PaymentState::refunded) return bad_request("CHARGE_ALREADY_REFUNDED");
  refund_payment_locked(impl, *payment);
  return Outcome::ok(true);
}

Outcome get_star_transactions(Impl& impl, const ApiParams& params) {
  auto offset = static_cast<std::size_t>(params.get_int("offset", 0, 0, 1 << 30));
  auto limit = static_cast<std::size_t>(params.get_int("limit", 100, 1, 100));
  auto all = star_transactions_locked(impl);
  Json list = Json::array();
  for (std::size_t i = offset; i < all.size() && list.size() < limit; ++i) list.push_back(all[i]);
  Json result;
  result["transactions"] = std::move(list);
  return Outcome::ok(std::move(result));
}

Outcome get_my_star_balance(Impl& impl, const ApiParams&) {
  std::int64_t balance = 0;
  for (const auto& p : impl.world.payments) {
    if (p.currency == "XTR" && p.state == PaymentState::paid) balance += p.amount;
  }
  Json result;
  result["amount"] = balance;
  return Outcome::ok(std::move(result));
}

}  // namespace

std::vector<MethodSpec> payment_methods() {
  return {
      {"sendInvoice", send_invoice, nullptr, FloodClass::message},
      {"createInvoiceLink", create_invoice_link},
      {"answerPreCheckoutQuery", answer_pre_checkout_query},
      {"refundStarPayment", refund_star_payment},
      {"getStarTransactions", get_star_transactions},
      {"getMyStarBalance", get_my_star_balance},
  };
}

}  // namespace kb::sandbox::tg
