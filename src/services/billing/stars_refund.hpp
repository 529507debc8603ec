// Admin refunds of Stars top-ups: reserve the credited amount (a hold, so the user cannot spend it
// meanwhile), call refundStarPayment outside any transaction, then release the hold and record the
// reversal (domain::stars_refund_key), exactly once. Refused before Telegram is called when the
// money was already spent. A call whose outcome is unknown keeps the reservation: pressing Refund
// again, or Telegram's refunded_payment message, completes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "store/tx.hpp"

namespace kb::store {
class Database;
}
namespace kb::telegram {
class TelegramApi;
}

namespace kb::services {

enum class RefundStatus {
  refunded,           // Telegram returned the Stars; the credit is reversed
  already_refunded,   // nothing to do
  unknown_payment,    // no such charge id
  balance_spent,      // refused before calling Telegram: the balance no longer holds the credit
  telegram_refused,   // Telegram said no (or was not reached); the reservation is released
  pending,            // the answer was lost: the reservation stays until Telegram confirms
  too_many_attempts,  // domain::kMaxRefundAttempts refused attempts already
};
std::string_view refund_status_code(RefundStatus status);
// "payments.refund.<code>": the admin's explanation.
std::string refund_status_key(RefundStatus status);

struct RefundOutcome {
  RefundStatus status = RefundStatus::unknown_payment;
  std::optional<store::StarsPayment> payment;
  Kopecks amount = 0;      // the credit being reversed
  Kopecks shortfall = 0;   // refunded by Telegram but already spent: not taken back
  Kopecks available = 0;   // balance_spent: what the user has left
  std::string telegram_error;  // telegram_refused / pending: Telegram's description
  store::Balance balance_after;
};

// ---- The steps, each inside the caller's transaction ------------------------------------------

// Telegram has refunded the charge: release the open reservation (if any) and take back the
// credit — all of it when it is still there, else what is left, reporting the shortfall (the
// reservation may have been released meanwhile, e.g. a concurrent attempt was refused). Marks the
// payment refunded. Idempotent by the reversal key.
Result<RefundOutcome> reverse_refunded_charge(store::Tx& tx, const store::StarsPayment& payment,
                                              std::string_view note, std::int64_t now);

// Where the refund of one charge stands: the last attempt number and whether its hold is still
// open (reserved, neither completed nor released).
struct RefundAttempts {
  int last = 0;
  bool open = false;
};
Result<RefundAttempts> refund_attempts(store::Tx& tx, std::string_view charge_id);

struct RefundStart {
  bool call_telegram = false;  // false: `outcome` is final
  int attempt = 0;
  RefundOutcome outcome;  // status pending while call_telegram
};
// Validates, reserves the amount (a new attempt, or the open one again) and audits the admin's
// action. Never calls Telegram.
Result<RefundStart> begin_stars_refund(store::Tx& tx, std::string_view charge_id,
                                       std::int64_t admin_id, std::int64_t now);
// Telegram refunded: release the attempt's hold (if open), reverse the credit, mark the payment.
Result<RefundOutcome> complete_stars_refund(store::Tx& tx, std::string_view charge_id,
                                            std::int64_t now);
// Telegram refused: release the attempt's hold.
Result<void> abandon_stars_refund(store::Tx& tx, std::string_view charge_id, int attempt,
                                  std::int64_t now);

// A user's payment by its row id (admin buttons carry the row id: charge ids are too long for
// callback data). Looks at the user's latest 100 payments.
Result<std::optional<store::StarsPayment>> find_stars_payment(store::Tx& tx, std::int64_t user_id,
                                                              std::int64_t payment_row_id);

// ---- The whole refund ---------------------------------------------------------------------------

Task<Result<RefundOutcome>> refund_stars_payment(store::Database& db, telegram::TelegramApi& api,
                                                 const Clock& clock, std::string charge_id,
                                                 std::int64_t admin_id);

}  // namespace kb::services
