// Admin refunds of Stars top-ups: reserve, ask Telegram, complete or give the reservation back.
#include "services/billing/stars_refund.hpp"

#include <cctype>
#include <functional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/log.hpp"
#include "domain/ledger_rules.hpp"
#include "domain/payments.hpp"
#include "store/database.hpp"
#include "telegram/api.hpp"

namespace kb::services {
namespace {

RefundOutcome outcome_for(RefundStatus status, const store::StarsPayment& payment) {
  RefundOutcome o;
  o.status = status;
  o.payment = payment;
  o.amount = payment.credit_kopecks;
  return o;
}

bool contains_ci(std::string_view text, std::string_view needle) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  return lower(text).find(lower(needle)) != std::string::npos;
}

// What a failed refundStarPayment call means for the reservation.
enum class CallVerdict { refunded, refused, unknown };

CallVerdict judge_refund_call(const Error& e) {
  // Telegram says the Stars went back already (an earlier attempt whose answer we lost).
  if (contains_ci(e.message, "CHARGE_ALREADY_REFUNDED") || contains_ci(e.message, "already refunded"))
    return CallVerdict::refunded;
  // Never sent, or an answer that says it was not done (4xx, flood wait): safe to release.
  if (e.code == Errc::unavailable || e.code == Errc::rate_limited) return CallVerdict::refused;
  if (e.status >= 400 && e.status < 500) return CallVerdict::refused;
  // A timeout, a lost connection or a 5xx: it may have happened.
  return CallVerdict::unknown;
}

}  // namespace

std::string_view refund_status_code(RefundStatus status) {
  switch (status) {
    case RefundStatus::refunded:
      return "refunded";
    case RefundStatus::already_refunded:
      return "already_refunded";
    case RefundStatus::unknown_payment:
      return "unknown_payment";
    case RefundStatus::balance_spent:
      return "balance_spent";
    case RefundStatus::telegram_refused:
      return "telegram_refused";
    case RefundStatus::pending:
      return "pending";
    case RefundStatus::too_many_attempts:
      return "too_many_attempts";
  }
  return "unknown_payment";
}

std::string refund_status_key(RefundStatus status) {
  return fmt::format("payments.refund.{}", refund_status_code(status));
}

Result<RefundAttempts> refund_attempts(store::Tx& tx, std::string_view charge_id) {
  RefundAttempts state;
  auto ledger = tx.ledger();
  for (int attempt = 1; attempt <= domain::kMaxRefundAttempts; ++attempt) {
    auto hold = KB_TRY(ledger.find_by_key(domain::stars_refund_hold_key(charge_id, attempt)));
    if (!hold) break;
    state.last = attempt;
    auto release = KB_TRY(ledger.find_by_key(domain::stars_refund_release_key(charge_id, attempt)));
    state.open = !release;
  }
  return state;
}

Result<RefundStart> begin_stars_refund(store::Tx& tx, std::string_view charge_id,
                                       std::int64_t admin_id, std::int64_t now) {
  RefundStart start;
  auto payment = KB_TRY(tx.payments().stars_payment(charge_id));
  if (!payment) {
    start.outcome.status = RefundStatus::unknown_payment;
    return start;
  }
  if (payment->status == "refunded" ||
      KB_TRY(tx.ledger().find_by_key(domain::stars_refund_key(charge_id)))) {
    start.outcome = outcome_for(RefundStatus::already_refunded, *payment);
    return start;
  }
  auto attempts = KB_TRY(refund_attempts(tx, charge_id));
  const Kopecks amount = payment->credit_kopecks;
  if (!attempts.open && attempts.last >= domain::kMaxRefundAttempts) {
    start.outcome = outcome_for(RefundStatus::too_many_attempts, *payment);
    return start;
  }
  auto balance = KB_TRY(tx.ledger().balance(payment->user_id));
  auto spent = [&] {
    RefundStart s;
    s.outcome = outcome_for(RefundStatus::balance_spent, *payment);
    s.outcome.available = balance.available;
    s.outcome.balance_after = balance;
    return s;
  };
  // A new attempt reserves the credit; an open one (its answer was lost) asks Telegram again with
  // the same reservation: Telegram answers "already refunded" if it did it.
  start.attempt = attempts.open ? attempts.last : attempts.last + 1;
  if (!attempts.open && amount > 0 && balance.available < amount) return spent();
  std::int64_t action_id = KB_TRY(tx.admin_actions().record(
      admin_id, "stars_refund", payment->user_id,
      nlohmann::json{{"charge_id", payment->telegram_payment_charge_id},
                     {"stars", payment->stars},
                     {"kopecks", amount},
                     {"attempt", start.attempt}}
          .dump(),
      now));
  if (!attempts.open && amount > 0) {
    auto hold = store::LedgerEntryDraft::hold(payment->user_id, amount,
                                              domain::stars_refund_hold_key(charge_id, start.attempt));
    hold.payment_id = payment->telegram_payment_charge_id;
    hold.admin_action_id = action_id;
    hold.note = "Stars refund in progress";
    auto held = tx.ledger().apply(hold, now);
    if (!held && held.error().code == Errc::insufficient_funds) return spent();
    if (!held) return fail(held.error());
  }
  start.call_telegram = true;
  start.outcome = outcome_for(RefundStatus::pending, *payment);
  start.outcome.balance_after = KB_TRY(tx.ledger().balance(payment->user_id));
  return start;
}

Result<RefundOutcome> complete_stars_refund(store::Tx& tx, std::string_view charge_id,
                                            std::int64_t now) {
  auto payment = KB_TRY(tx.payments().stars_payment(charge_id));
  if (!payment) return fail(Errc::not_found, "no such Stars payment");
  if (payment->status == "refunded") {
    auto o = outcome_for(RefundStatus::already_refunded, *payment);
    o.balance_after = KB_TRY(tx.ledger().balance(payment->user_id));
    return o;
  }
  return reverse_refunded_charge(tx, *payment, fmt::format("{} XTR refunded", payment->stars), now);
}

Result<RefundOutcome> reverse_refunded_charge(store::Tx& tx, const store::StarsPayment& payment,
                                              std::string_view note, std::int64_t now) {
  const auto& charge_id = payment.telegram_payment_charge_id;
  const Kopecks amount = payment.credit_kopecks;
  auto attempts = KB_TRY(refund_attempts(tx, charge_id));
  if (attempts.open) {
    auto release = store::LedgerEntryDraft::release(
        payment.user_id, amount, domain::stars_refund_release_key(charge_id, attempts.last));
    release.payment_id = charge_id;
    KB_TRY(tx.ledger().apply(release, now));
  }
  auto balance = KB_TRY(tx.ledger().balance(payment.user_id));
  const Kopecks take = std::min(balance.available, amount);
  if (take > 0) {
    auto reversal = store::LedgerEntryDraft::topup_reversal(payment.user_id, take,
                                                            domain::stars_refund_key(charge_id));
    reversal.payment_id = charge_id;
    reversal.note = std::string(note);
    KB_TRY(tx.ledger().apply(reversal, now));
  }
  KB_TRY(tx.payments().mark_stars_refunded(charge_id, now));
  auto o = outcome_for(RefundStatus::refunded, *KB_TRY(tx.payments().stars_payment(charge_id)));
  o.amount = take;
  o.shortfall = amount - take;
  o.balance_after = KB_TRY(tx.ledger().balance(payment.user_id));
  if (o.shortfall > 0)
    log::warn("stars_refund_shortfall",
              {{"user_id", payment.user_id}, {"reversed", take}, {"shortfall", o.shortfall}});
  return o;
}

Result<void> abandon_stars_refund(store::Tx& tx, std::string_view charge_id, int attempt,
                                  std::int64_t now) {
  auto payment = KB_TRY(tx.payments().stars_payment(charge_id));
  if (!payment || payment->credit_kopecks <= 0) return {};
  auto attempts = KB_TRY(refund_attempts(tx, charge_id));
  if (!attempts.open || attempts.last != attempt) return {};
  auto release = store::LedgerEntryDraft::release(payment->user_id, payment->credit_kopecks,
                                                  domain::stars_refund_release_key(charge_id, attempt));
  release.payment_id = payment->telegram_payment_charge_id;
  release.note = "Stars refund refused";
  KB_TRY(tx.ledger().apply(release, now));
  return {};
}

Result<std::optional<store::StarsPayment>> find_stars_payment(store::Tx& tx, std::int64_t user_id,
                                                              std::int64_t payment_row_id) {
  auto payments = KB_TRY(tx.payments().stars_payments_for_user(user_id, 100));
  for (auto& p : payments)
    if (p.id == payment_row_id) return std::optional<store::StarsPayment>(std::move(p));
  return std::optional<store::StarsPayment>();
}

Task<Result<RefundOutcome>> refund_stars_payment(store::Database& db, telegram::TelegramApi& api,
                                                 const Clock& clock, std::string charge_id,
                                                 std::int64_t admin_id) {
  const std::string& charge = charge_id;
  std::int64_t now = clock.now_ms();
  std::function<Result<RefundStart>(store::Tx&)> begin = [&](store::Tx& tx) {
    return begin_stars_refund(tx, charge, admin_id, now);
  };
  auto started = co_await db.transact<RefundStart>(std::move(begin));
  if (!started) co_return Unexpected(std::move(started).error());
  if (!started->call_telegram) co_return std::move(started->outcome);
  const std::int64_t user_id = started->outcome.payment->user_id;
  const int attempt = started->attempt;

  auto called = co_await api.refund_star_payment(user_id, charge);
  CallVerdict verdict = called ? CallVerdict::refunded : judge_refund_call(called.error());
  now = clock.now_ms();
  if (verdict == CallVerdict::refunded) {
    std::function<Result<RefundOutcome>(store::Tx&)> complete = [&](store::Tx& tx) {
      return complete_stars_refund(tx, charge, now);
    };
    auto completed = co_await db.transact<RefundOutcome>(std::move(complete));
    if (!completed) co_return Unexpected(std::move(completed).error());
    RefundOutcome done = std::move(*completed);
    log::info("stars_refund_done", {{"user_id", user_id},
                                    {"attempt", attempt},
                                    {"kopecks", done.amount},
                                    {"admin_id", admin_id}});
    co_return done;
  }
  RefundOutcome o = std::move(started->outcome);
  o.telegram_error = called.error().message;
  if (verdict == CallVerdict::refused) {
    std::function<Result<void>(store::Tx&)> abandon = [&](store::Tx& tx) {
      return abandon_stars_refund(tx, charge, attempt, now);
    };
    auto abandoned = co_await db.transact<void>(std::move(abandon));
    if (!abandoned) co_return Unexpected(std::move(abandoned).error());
    log::warn("stars_refund_refused",
              {{"user_id", user_id}, {"attempt", attempt}, {"error", o.telegram_error}});
    o.status = RefundStatus::telegram_refused;
  } else {
    log::warn("stars_refund_unconfirmed",
              {{"user_id", user_id}, {"attempt", attempt}, {"error", o.telegram_error}});
    o.status = RefundStatus::pending;
  }
  std::function<Result<store::Balance>(store::Tx&)> read_balance = [&](store::Tx& tx) {
    return tx.ledger().balance(user_id);
  };
  auto balance = co_await db.read<store::Balance>(std::move(read_balance));
  if (!balance) co_return Unexpected(std::move(balance).error());
  o.balance_after = *balance;
  co_return o;
}

}  // namespace kb::services
