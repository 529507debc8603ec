// Top-ups with Telegram Stars: invoices bound to a user and a package, the pre-checkout check, the
// credit of a successful payment (exactly once per telegram_payment_charge_id), and the reaction
// to a refunded_payment message. Each function works inside the caller's transaction and never
// calls Telegram: it returns what the caller must send (through the outbox). Admin refunds, which
// must call Telegram between two transactions, are in stars_refund.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "domain/payments.hpp"
#include "services/billing/money_settings.hpp"
#include "store/tx.hpp"
#include "telegram/requests.hpp"
#include "telegram/types.hpp"

namespace kb::services {

// One top-up option: the user pays `stars` XTR, the balance receives `credit` kopecks.
struct StarsPackage {
  Kopecks credit = 0;
  std::int64_t stars = 0;
};

struct StarsSettings {
  std::vector<StarsPackage> packages;  // STARS_PACKAGES, in the order shown to users
};

// The localized texts of an invoice (payments.stars.invoice_* in the locale files), chosen by the
// caller in the user's language. Telegram limits: title 1-32, description 1-255 characters.
struct InvoiceTexts {
  std::string title;
  std::string description;
  std::string price_label;
};

// Stores an open invoice row (payload "kbs1.<user>.<package>.<nonce>", the package's price and
// credit frozen in the row) and returns the sendInvoice request for the caller's outbox.
// Errc::invalid_input for a package index that does not exist.
Result<telegram::SendInvoice> make_invoice(store::Tx& tx, const StarsSettings& settings,
                                           std::int64_t user_id, std::int64_t chat_id,
                                           int package_index, const InvoiceTexts& texts,
                                           std::int64_t now);

// The pre-checkout verdict: ok, or a refusal with the locale key of the message Telegram shows.
struct CheckoutVerdict {
  bool ok = true;
  std::optional<domain::CheckoutRefusal> refusal;
  std::string reason_key;  // "payments.precheckout.<code>" when refused
};

// Validates the query against the stored invoice: it exists, belongs to the payer, XTR, the exact
// amount, still open. Read-only. The caller answers within 10 s (answerPreCheckoutQuery first in
// the outbox), with pre_checkout_answer().
Result<CheckoutVerdict> check_pre_checkout(store::Tx& tx, const telegram::PreCheckoutQuery& query);
telegram::AnswerPreCheckoutQuery pre_checkout_answer(const telegram::PreCheckoutQuery& query,
                                                     const CheckoutVerdict& verdict,
                                                     std::string localized_refusal);

enum class StarsCreditStatus {
  credited,      // recorded and credited now
  duplicate,     // this charge id was recorded before: nothing changed (a redelivered update)
  needs_review,  // recorded, but it matches no invoice of this user: nothing credited, admins
                 // must look (refund or adjust); it passed no pre-checkout of ours
};

struct StarsCredit {
  StarsCreditStatus status = StarsCreditStatus::credited;
  store::StarsPayment payment;
  Kopecks credited = 0;
  store::Balance balance_after;
  std::optional<std::int64_t> rewarded_referrer;  // a first top-up paid the inviter's reward
};

// Credits a successful_payment message exactly once by its telegram_payment_charge_id (stored in
// full, any length). Errc::invalid_input when the message carries no payment or no sender;
// Errc::conflict when the charge id was recorded with other details (a forged update).
Result<StarsCredit> credit_successful_payment(store::Tx& tx, const telegram::Message& message,
                                              const ReferralSettings& referral, std::int64_t now);

// What a refunded_payment message did (Telegram reports every refund, ours and support's).
enum class RefundedPaymentStatus {
  finished,       // our refund in progress was completed (hold released, credit reversed)
  reversed,       // a refund we did not start: the credit was reversed from the balance
  reversed_short, // the same, but the balance held less than the credit: `shortfall` was spent
  already_done,   // we had recorded this refund before
  unknown,        // no such payment recorded: nothing to do
};

struct RefundedPaymentResult {
  RefundedPaymentStatus status = RefundedPaymentStatus::unknown;
  std::optional<store::StarsPayment> payment;
  Kopecks reversed = 0;
  Kopecks shortfall = 0;
};

Result<RefundedPaymentResult> record_refunded_payment(store::Tx& tx,
                                                      const telegram::Message& message,
                                                      std::int64_t now);

// The /paysupport command's locale key (Telegram requires bots selling with Stars to answer it).
inline constexpr std::string_view kPaySupportKey = "payments.paysupport";

}  // namespace kb::services
