// Stars top-ups: invoices, pre-checkout, credits and refunded_payment messages.
#include "services/billing/stars.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "domain/ledger_rules.hpp"
#include "services/billing/job_money.hpp"
#include "services/billing/stars_refund.hpp"

namespace kb::services {
namespace {

std::optional<domain::InvoiceFacts> facts_of(const std::optional<store::Invoice>& invoice) {
  if (!invoice) return std::nullopt;
  return domain::InvoiceFacts{invoice->user_id, invoice->stars, invoice->status};
}

}  // namespace

Result<telegram::SendInvoice> make_invoice(store::Tx& tx, const StarsSettings& settings,
                                           std::int64_t user_id, std::int64_t chat_id,
                                           int package_index, const InvoiceTexts& texts,
                                           std::int64_t now) {
  if (package_index < 0 || static_cast<std::size_t>(package_index) >= settings.packages.size())
    return fail(Errc::invalid_input, fmt::format("no Stars package {}", package_index));
  const auto& package = settings.packages[static_cast<std::size_t>(package_index)];
  // 12 random bytes: a collision would need ~2^48 invoices; the row's primary key catches it.
  auto payload = domain::encode_stars_payload({user_id, package_index, crypto::random_token(12)});
  if (!payload) return fail(Errc::internal, "could not encode an invoice payload");

  store::Invoice row;
  row.payload = *payload;
  row.user_id = user_id;
  row.credit_kopecks = package.credit;
  row.stars = package.stars;
  KB_TRY(tx.payments().create_invoice(row, now));

  telegram::SendInvoice invoice;
  invoice.chat_id = chat_id;
  invoice.invoice.title = texts.title;
  invoice.invoice.description = texts.description;
  invoice.invoice.payload = *payload;
  invoice.invoice.currency = std::string(domain::kStarsCurrency);
  invoice.invoice.prices = {{texts.price_label, package.stars}};
  return invoice;
}

Result<CheckoutVerdict> check_pre_checkout(store::Tx& tx, const telegram::PreCheckoutQuery& q) {
  auto invoice = KB_TRY(tx.payments().invoice(q.invoice_payload));
  auto refusal = domain::judge_checkout(
      facts_of(invoice), {q.from.id, q.currency, q.total_amount, q.invoice_payload});
  CheckoutVerdict verdict;
  if (refusal) {
    verdict.ok = false;
    verdict.refusal = refusal;
    verdict.reason_key = domain::checkout_refusal_key(*refusal);
  }
  return verdict;
}

telegram::AnswerPreCheckoutQuery pre_checkout_answer(const telegram::PreCheckoutQuery& query,
                                                     const CheckoutVerdict& verdict,
                                                     std::string localized_refusal) {
  telegram::AnswerPreCheckoutQuery answer;
  answer.pre_checkout_query_id = query.id;
  answer.ok = verdict.ok;
  if (!verdict.ok) {
    // Telegram requires a message with ok=false; never send an empty one.
    answer.error_message = localized_refusal.empty() ? verdict.reason_key : std::move(localized_refusal);
  }
  return answer;
}

Result<StarsCredit> credit_successful_payment(store::Tx& tx, const telegram::Message& message,
                                              const ReferralSettings& referral, std::int64_t now) {
  if (!message.successful_payment) return fail(Errc::invalid_input, "not a successful_payment");
  const auto& paid = *message.successful_payment;
  if (paid.telegram_payment_charge_id.empty())
    return fail(Errc::invalid_input, "successful_payment without a charge id");
  // Payments happen in private chats; the payer is the sender (the chat id as a fallback).
  std::int64_t user_id = message.from ? message.from->id : message.chat.id;
  if (user_id <= 0) return fail(Errc::invalid_input, "successful_payment without a payer");

  auto invoice = KB_TRY(tx.payments().invoice(paid.invoice_payload));
  bool matches = domain::payment_matches_invoice(
      facts_of(invoice), {user_id, paid.currency, paid.total_amount, paid.invoice_payload});

  store::StarsPayment row;
  row.telegram_payment_charge_id = paid.telegram_payment_charge_id;
  row.user_id = user_id;
  row.invoice_payload = paid.invoice_payload;
  row.stars = paid.total_amount;
  row.credit_kopecks = matches ? invoice->credit_kopecks : 0;
  auto recorded = KB_TRY(tx.payments().record_stars_payment(row, now));

  StarsCredit out;
  out.payment = recorded.payment;
  if (!recorded.created) {
    out.status = StarsCreditStatus::duplicate;
    out.balance_after = KB_TRY(tx.ledger().balance(user_id));
    return out;
  }
  if (!matches) {
    out.status = StarsCreditStatus::needs_review;
    out.balance_after = KB_TRY(tx.ledger().balance(user_id));
    return out;
  }
  auto draft = store::LedgerEntryDraft::credit(store::LedgerKind::topup, user_id, row.credit_kopecks,
                                               domain::stars_topup_key(paid.telegram_payment_charge_id));
  draft.payment_id = paid.telegram_payment_charge_id;
  draft.note = fmt::format("{} XTR", paid.total_amount);
  auto applied = KB_TRY(tx.ledger().apply(draft, now));
  // A second payment of the same invoice finds it paid already: that is fine (credited above).
  KB_TRY(tx.payments().set_invoice_status(paid.invoice_payload, "open", "paid"));
  out.status = StarsCreditStatus::credited;
  out.credited = row.credit_kopecks;
  out.balance_after = applied.balance_after;
  out.rewarded_referrer = KB_TRY(reward_referrer_if_due(tx, user_id, referral, now));
  return out;
}

Result<RefundedPaymentResult> record_refunded_payment(store::Tx& tx,
                                                      const telegram::Message& message,
                                                      std::int64_t now) {
  if (!message.refunded_payment) return fail(Errc::invalid_input, "not a refunded_payment");
  const auto& charge = message.refunded_payment->telegram_payment_charge_id;
  RefundedPaymentResult out;
  auto payment = KB_TRY(tx.payments().stars_payment(charge));
  if (!payment) return out;
  out.payment = payment;
  if (payment->status == "refunded") {
    out.status = RefundedPaymentStatus::already_done;
    return out;
  }
  // Ours (an attempt's reservation is open) or one we did not start (Telegram support, another
  // tool): either way take back what is still there.
  const bool ours = KB_TRY(refund_attempts(tx, charge)).open;
  auto reversed = KB_TRY(reverse_refunded_charge(tx, *payment, ours ? "XTR refunded" : "refunded by Telegram", now));
  out.reversed = reversed.amount;
  out.shortfall = reversed.shortfall;
  out.status = ours ? RefundedPaymentStatus::finished
               : out.shortfall > 0 ? RefundedPaymentStatus::reversed_short
                                   : RefundedPaymentStatus::reversed;
  out.payment = reversed.payment;
  return out;
}

}  // namespace kb::services
