// Shared fixture of the money tests: the store fixture (SQLite and PostgreSQL) plus helpers to
// read balances, check the ledger and build Telegram payment messages.
#pragma once

#include <string>
#include <vector>

#include "../store/store_fixture.hpp"
#include "telegram/types.hpp"

namespace kb::billing::test {

using store::test::BackendKind;
using store::test::must;

class BillingTest : public store::test::StoreTest {
 protected:
  store::Balance balance(std::int64_t user) {
    return must_run<store::Balance>([&](store::Tx& tx) { return tx.ledger().balance(user); });
  }
  std::vector<store::LedgerProblem> problems() {
    return must_run<std::vector<store::LedgerProblem>>([](store::Tx& tx) { return tx.ledger().verify(); });
  }
  std::vector<store::LedgerEntry> entries(std::int64_t user) {
    return must_run<std::vector<store::LedgerEntry>>(
        [&](store::Tx& tx) { return tx.ledger().entries(user, 1000); });
  }
  std::string describe(const std::vector<store::LedgerProblem>& ps) {
    std::string out;
    for (const auto& p : ps) out += std::to_string(p.user_id) + ": " + p.problem + "\n";
    return out;
  }

  static telegram::Message successful_payment(std::int64_t user, std::string payload, std::int64_t stars,
                                              std::string charge_id, std::string currency = "XTR") {
    telegram::Message m;
    m.message_id = 140;
    m.date = 1767226520;
    m.chat.id = user;
    m.chat.type = telegram::ChatType::private_chat;
    m.from = telegram::User{};
    m.from->id = user;
    m.from->first_name = "Payer";
    telegram::SuccessfulPayment p;
    p.currency = std::move(currency);
    p.total_amount = stars;
    p.invoice_payload = std::move(payload);
    p.telegram_payment_charge_id = std::move(charge_id);
    p.provider_payment_charge_id = std::to_string(user) + "_1";
    m.successful_payment = std::move(p);
    return m;
  }
  static telegram::Message refunded_payment(std::int64_t user, std::string payload, std::int64_t stars,
                                            std::string charge_id) {
    telegram::Message m;
    m.message_id = 141;
    m.date = 1767226620;
    m.chat.id = user;
    m.chat.type = telegram::ChatType::private_chat;
    m.from = telegram::User{};
    m.from->id = user;
    telegram::RefundedPayment p;
    p.currency = "XTR";
    p.total_amount = stars;
    p.invoice_payload = std::move(payload);
    p.telegram_payment_charge_id = std::move(charge_id);
    m.refunded_payment = std::move(p);
    return m;
  }
  static telegram::PreCheckoutQuery pre_checkout(std::int64_t user, std::string payload, std::int64_t stars,
                                                 std::string currency = "XTR") {
    telegram::PreCheckoutQuery q;
    q.id = "pcq-" + std::to_string(user);
    q.from.id = user;
    q.from.first_name = "Payer";
    q.currency = std::move(currency);
    q.total_amount = stars;
    q.invoice_payload = std::move(payload);
    return q;
  }
};

}  // namespace kb::billing::test
