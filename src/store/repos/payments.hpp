// Payments: Stars invoices and payments (credited exactly once per telegram_payment_charge_id)
// and manual bank-transfer requests decided by an admin.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct Invoice {
  std::string payload;  // the invoice payload we generate; Telegram echoes it back
  std::int64_t user_id = 0;
  Kopecks credit_kopecks = 0;
  std::int64_t stars = 0;
  std::string status = "open";  // open | paid | cancelled
  std::int64_t created_at = 0;
};

struct StarsPayment {
  std::int64_t id = 0;
  std::string telegram_payment_charge_id;
  std::int64_t user_id = 0;
  std::string invoice_payload;
  std::int64_t stars = 0;
  Kopecks credit_kopecks = 0;
  std::string status = "credited";  // credited | refunded
  std::int64_t created_at = 0;
  std::optional<std::int64_t> refunded_at;
};

struct RecordedPayment {
  StarsPayment payment;
  bool created = false;  // false: this charge id was recorded before
};

enum class ManualStatus { pending, approved, rejected };
std::string_view manual_status_name(ManualStatus status);

struct ManualTopup {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  Kopecks amount_kopecks = 0;
  std::optional<std::string> receipt_file_id;
  ManualStatus status = ManualStatus::pending;
  std::optional<std::int64_t> decided_by;
  std::optional<std::int64_t> decided_at;
  std::optional<std::string> reason;
  std::int64_t created_at = 0;
};

class Payments {
 public:
  explicit Payments(db::Connection& c) : c_(c) {}

  // Errc::conflict when the payload exists already.
  Result<void> create_invoice(const Invoice& invoice, std::int64_t now);
  Result<std::optional<Invoice>> invoice(std::string_view payload);
  // Compare-and-set of the invoice status; false when it was not `from`.
  Result<bool> set_invoice_status(std::string_view payload, std::string_view from,
                                  std::string_view to);

  // Idempotent by telegram_payment_charge_id; the same id with another user or amount is
  // Errc::conflict.
  Result<RecordedPayment> record_stars_payment(const StarsPayment& payment, std::int64_t now);
  Result<std::optional<StarsPayment>> stars_payment(std::string_view charge_id);
  // credited -> refunded; false when it was already refunded (or unknown).
  Result<bool> mark_stars_refunded(std::string_view charge_id, std::int64_t now);
  Result<std::vector<StarsPayment>> stars_payments_for_user(std::int64_t user_id, int limit);

  Result<std::int64_t> create_manual(std::int64_t user_id, Kopecks amount,
                                     std::optional<std::string> receipt_file_id, std::int64_t now);
  Result<std::optional<ManualTopup>> manual(std::int64_t id);
  // Oldest first.
  Result<std::vector<ManualTopup>> pending_manual(int limit);
  // Undecided requests of one user (the per-user limit).
  Result<std::int64_t> pending_manual_count(std::int64_t user_id);
  // pending -> approved|rejected, once: Errc::conflict when it was already decided.
  Result<ManualTopup> decide_manual(std::int64_t id, ManualStatus decision, std::int64_t admin_id,
                                    std::optional<std::string> reason, std::int64_t now);

 private:
  db::Connection& c_;
};

}  // namespace kb::store
