// Payments repository.
#include "store/repos/payments.hpp"

#include <fmt/format.h>

namespace kb::store {
namespace {

constexpr std::string_view kStarsColumns =
    "id, telegram_payment_charge_id, user_id, invoice_payload, stars, credit_kopecks, status, "
    "@ms(created_at), @ms(refunded_at)";
constexpr std::string_view kManualColumns =
    "id, user_id, amount_kopecks, receipt_file_id, status, decided_by, @ms(decided_at), reason, "
    "@ms(created_at)";

StarsPayment read_stars(const db::Row& row) {
  auto c = row.cursor();
  StarsPayment p;
  p.id = c.i64();
  p.telegram_payment_charge_id = c.text();
  p.user_id = c.i64();
  p.invoice_payload = c.text();
  p.stars = c.i64();
  p.credit_kopecks = c.i64();
  p.status = c.text();
  p.created_at = c.i64();
  p.refunded_at = c.opt_i64();
  return p;
}

ManualStatus parse_manual_status(const std::string& s) {
  if (s == "approved") return ManualStatus::approved;
  if (s == "rejected") return ManualStatus::rejected;
  return ManualStatus::pending;
}

ManualTopup read_manual(const db::Row& row) {
  auto c = row.cursor();
  ManualTopup m;
  m.id = c.i64();
  m.user_id = c.i64();
  m.amount_kopecks = c.i64();
  m.receipt_file_id = c.opt_text();
  m.status = parse_manual_status(c.text());
  m.decided_by = c.opt_i64();
  m.decided_at = c.opt_i64();
  m.reason = c.opt_text();
  m.created_at = c.i64();
  return m;
}

}  // namespace

std::string_view manual_status_name(ManualStatus status) {
  switch (status) {
    case ManualStatus::approved:
      return "approved";
    case ManualStatus::rejected:
      return "rejected";
    default:
      return "pending";
  }
}

Result<void> Payments::create_invoice(const Invoice& i, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("INSERT INTO invoices (payload, user_id, credit_kopecks, stars, status, "
                     "created_at) VALUES ($1, $2, $3, $4, 'open', @ts($5)) "
                     "ON CONFLICT (payload) DO NOTHING",
                     i.payload, i.user_id, i.credit_kopecks, i.stars, now));
  if (n != 1) return fail(Errc::conflict, fmt::format("invoice {} exists already", i.payload));
  return {};
}

Result<std::optional<Invoice>> Payments::invoice(std::string_view payload) {
  auto row =
      KB_TRY(c_.query_one("SELECT payload, user_id, credit_kopecks, stars, status, "
                          "@ms(created_at) FROM invoices WHERE payload = $1",
                          payload));
  if (!row) return std::optional<Invoice>();
  auto c = row->cursor();
  Invoice i;
  i.payload = c.text();
  i.user_id = c.i64();
  i.credit_kopecks = c.i64();
  i.stars = c.i64();
  i.status = c.text();
  i.created_at = c.i64();
  return std::optional<Invoice>(std::move(i));
}

Result<bool> Payments::set_invoice_status(std::string_view payload, std::string_view from,
                                          std::string_view to) {
  auto n = KB_TRY(c_.exec("UPDATE invoices SET status = $3 WHERE payload = $1 AND status = $2",
                          payload, from, to));
  return n == 1;
}

Result<RecordedPayment> Payments::record_stars_payment(const StarsPayment& p, std::int64_t now) {
  static const std::string sql = fmt::format(
      "INSERT INTO stars_payments (telegram_payment_charge_id, user_id, invoice_payload, stars, "
      "credit_kopecks, status, created_at) VALUES ($1, $2, $3, $4, $5, 'credited', @ts($6)) "
      "ON CONFLICT (telegram_payment_charge_id) DO NOTHING RETURNING {}",
      kStarsColumns);
  auto row = KB_TRY(c_.query_one(sql, p.telegram_payment_charge_id, p.user_id, p.invoice_payload,
                                 p.stars, p.credit_kopecks, now));
  if (row) return RecordedPayment{read_stars(*row), true};
  auto existing = KB_TRY(stars_payment(p.telegram_payment_charge_id));
  if (!existing) return fail(Errc::internal, "stars payment conflict without a row");
  if (existing->user_id != p.user_id || existing->stars != p.stars ||
      existing->credit_kopecks != p.credit_kopecks)
    return fail(Errc::conflict, "telegram_payment_charge_id recorded with different details");
  return RecordedPayment{std::move(*existing), false};
}

Result<std::optional<StarsPayment>> Payments::stars_payment(std::string_view charge_id) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM stars_payments WHERE telegram_payment_charge_id = $1", kStarsColumns);
  auto row = KB_TRY(c_.query_one(sql, charge_id));
  if (!row) return std::optional<StarsPayment>();
  return std::optional<StarsPayment>(read_stars(*row));
}

Result<bool> Payments::mark_stars_refunded(std::string_view charge_id, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("UPDATE stars_payments SET status = 'refunded', refunded_at = @ts($2) "
                     "WHERE telegram_payment_charge_id = $1 AND status = 'credited'",
                     charge_id, now));
  return n == 1;
}

Result<std::vector<StarsPayment>> Payments::stars_payments_for_user(std::int64_t user_id,
                                                                    int limit) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM stars_payments WHERE user_id = $1 ORDER BY id DESC LIMIT $2", kStarsColumns);
  auto rows = KB_TRY(c_.query(sql, user_id, limit));
  std::vector<StarsPayment> out;
  for (const auto& r : rows) out.push_back(read_stars(r));
  return out;
}

Result<std::int64_t> Payments::create_manual(std::int64_t user_id, Kopecks amount,
                                             std::optional<std::string> receipt_file_id,
                                             std::int64_t now) {
  auto row = KB_TRY(c_.query_one(
      "INSERT INTO manual_topups (user_id, amount_kopecks, receipt_file_id, status, created_at) "
      "VALUES ($1, $2, $3, 'pending', @ts($4)) RETURNING id",
      user_id, amount, receipt_file_id, now));
  return row->i64(0);
}

Result<std::optional<ManualTopup>> Payments::manual(std::int64_t id) {
  static const std::string sql =
      fmt::format("SELECT {} FROM manual_topups WHERE id = $1", kManualColumns);
  auto row = KB_TRY(c_.query_one(sql, id));
  if (!row) return std::optional<ManualTopup>();
  return std::optional<ManualTopup>(read_manual(*row));
}

Result<std::vector<ManualTopup>> Payments::pending_manual(int limit) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM manual_topups WHERE status = 'pending' ORDER BY id LIMIT $1", kManualColumns);
  auto rows = KB_TRY(c_.query(sql, limit));
  std::vector<ManualTopup> out;
  for (const auto& r : rows) out.push_back(read_manual(r));
  return out;
}

Result<std::int64_t> Payments::pending_manual_count(std::int64_t user_id) {
  auto row = KB_TRY(c_.query_one(
      "SELECT count(*) FROM manual_topups WHERE status = 'pending' AND user_id = $1", user_id));
  return row ? row->i64(0) : 0;
}

Result<ManualTopup> Payments::decide_manual(std::int64_t id, ManualStatus decision,
                                            std::int64_t admin_id,
                                            std::optional<std::string> reason, std::int64_t now) {
  if (decision == ManualStatus::pending)
    return fail(Errc::invalid_input, "a decision is approved or rejected");
  static const std::string sql = fmt::format(
      "UPDATE manual_topups SET status = $2, decided_by = $3, decided_at = @ts($4), reason = $5 "
      "WHERE id = $1 AND status = 'pending' RETURNING {}",
      kManualColumns);
  auto row = KB_TRY(c_.query_one(sql, id, manual_status_name(decision), admin_id, now, reason));
  if (row) return read_manual(*row);
  auto current = KB_TRY(manual(id));
  if (!current) return fail(Errc::not_found, fmt::format("no manual top-up {}", id));
  return fail(Errc::conflict, fmt::format("manual top-up {} was already {}", id,
                                          manual_status_name(current->status)));
}

}  // namespace kb::store
