// Pure rules of top-ups: the Stars invoice payload, the pre-checkout verdict, refund keys, typed
// top-up amounts and the reasons an admin may give for rejecting a bank transfer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"

namespace kb::domain {

// ---- Stars invoices ----------------------------------------------------------------------------

inline constexpr std::string_view kStarsCurrency = "XTR";
inline constexpr std::size_t kMaxInvoicePayloadBytes = 128;  // Bot API limit

// What an invoice payload binds: the payer, the package chosen and a random nonce that makes every
// invoice distinct (so one paid invoice can never be mistaken for another).
struct StarsPayload {
  std::int64_t user_id = 0;
  int package_index = 0;
  std::string nonce;  // [A-Za-z0-9_-]{8,64}
};

// "kbs1.<user>.<package>.<nonce>"; nullopt when the nonce is malformed.
std::optional<std::string> encode_stars_payload(const StarsPayload& payload);
// nullopt for anything that is not exactly what encode produces.
std::optional<StarsPayload> decode_stars_payload(std::string_view text);

// What the bot knows about an invoice (the stored row) and what Telegram asks about.
struct InvoiceFacts {
  std::int64_t user_id = 0;
  std::int64_t stars = 0;
  std::string status;  // open | paid | cancelled
};
struct CheckoutFacts {
  std::int64_t user_id = 0;  // who pays
  std::string currency;
  std::int64_t total_amount = 0;
  std::string payload;
};

enum class CheckoutRefusal {
  unknown_invoice,  // the payload is not an invoice we issued
  wrong_user,       // someone else's invoice (a forwarded invoice message)
  wrong_currency,
  wrong_amount,
  already_paid,
  invoice_closed,  // cancelled
};
std::string_view checkout_refusal_code(CheckoutRefusal refusal);
// Locale key of the message shown to the payer by Telegram ("payments.precheckout.<code>").
std::string checkout_refusal_key(CheckoutRefusal refusal);

// nullopt: accept the payment.
std::optional<CheckoutRefusal> judge_checkout(const std::optional<InvoiceFacts>& invoice,
                                              const CheckoutFacts& query);

// Whether a successful_payment matches the invoice it names; only a matching payment is credited
// automatically (anything else was refused at pre-checkout, so it needs a human).
bool payment_matches_invoice(const std::optional<InvoiceFacts>& invoice, const CheckoutFacts& paid);

// ---- Stars refunds -----------------------------------------------------------------------------

// A refund reserves the credited amount first (a hold, so it cannot be spent while Telegram is
// asked), then releases it and records the reversal (domain::stars_refund_key). Each attempt has
// its own pair of keys, so an attempt that Telegram refused can be followed by another one.
inline constexpr int kMaxRefundAttempts = 10;
std::string stars_refund_hold_key(std::string_view charge_id, int attempt);
std::string stars_refund_release_key(std::string_view charge_id, int attempt);

// ---- Typed amounts (manual transfers) -----------------------------------------------------------

struct AmountLimits {
  Kopecks min = 100'00;
  Kopecks max = 100'000'00;
};

enum class AmountError { not_a_number, too_small, too_large };
std::string_view amount_error_code(AmountError error);

struct ParsedAmount {
  std::optional<Kopecks> amount;
  AmountError error = AmountError::not_a_number;  // meaningful when !amount
};

// Accepts what people type: "500", "1 000", "1000.50", "499,90", "500 ₽", "500р", "500 руб",
// "500 rub". At most two decimals; the result must lie within the limits.
ParsedAmount parse_topup_amount(std::string_view text, const AmountLimits& limits);

// ---- Manual transfer decisions -----------------------------------------------------------------

enum class RejectReason {
  not_received,  // no such transfer arrived
  wrong_amount,  // the amount differs from the request
  bad_receipt,   // unreadable or not a receipt
  duplicate,     // this receipt was already used
  other,
};
std::string_view reject_reason_code(RejectReason reason);
std::optional<RejectReason> parse_reject_reason(std::string_view code);
const std::vector<RejectReason>& all_reject_reasons();

}  // namespace kb::domain
