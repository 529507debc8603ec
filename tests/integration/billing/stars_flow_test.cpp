// Stars top-ups step by step on both backends: invoices, the pre-checkout verdict, exactly-once
// credits, payments that match no invoice, and the refund steps (reserve, complete, give back),
// including the refunded_payment message.
#include "billing_fixture.hpp"
#include "domain/ledger_rules.hpp"
#include "domain/payments.hpp"
#include "services/billing/stars.hpp"
#include "services/billing/stars_refund.hpp"

namespace kb::billing::test {
namespace {

using services::CheckoutVerdict;
using services::RefundStatus;
using services::StarsCredit;
using services::StarsCreditStatus;

constexpr std::int64_t kUser = 5550001001;
constexpr std::int64_t kAdmin = 7001;

class StarsFlowTest : public BillingTest {
 protected:
  void SetUp() override {
    BillingTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    add_user(kUser, "Alice");
    add_user(kAdmin, "Admin");
  }
  telegram::SendInvoice invoice(int package = 0, std::int64_t user = kUser) {
    return must_run<telegram::SendInvoice>([&](store::Tx& tx) {
      return services::make_invoice(tx, settings_, user, user, package, {"Top-up", "100 ₽", "100 ₽"}, now());
    });
  }
  CheckoutVerdict check(const telegram::PreCheckoutQuery& q) {
    return must_run<CheckoutVerdict>([&](store::Tx& tx) { return services::check_pre_checkout(tx, q); });
  }
  StarsCredit pay(const telegram::Message& m) {
    return must_run<StarsCredit>([&](store::Tx& tx) { return services::credit_successful_payment(tx, m, {}, now()); });
  }
  StarsCredit pay(const telegram::SendInvoice& inv, std::string charge) {
    return pay(successful_payment(kUser, inv.invoice.payload, inv.invoice.prices[0].amount, std::move(charge)));
  }
  services::RefundStart begin(const std::string& charge) {
    return must_run<services::RefundStart>(
        [&](store::Tx& tx) { return services::begin_stars_refund(tx, charge, kAdmin, now()); });
  }
  services::RefundOutcome complete(const std::string& charge) {
    return must_run<services::RefundOutcome>(
        [&](store::Tx& tx) { return services::complete_stars_refund(tx, charge, now()); });
  }
  void abandon(const std::string& charge, int attempt) {
    must_run<void>([&](store::Tx& tx) { return services::abandon_stars_refund(tx, charge, attempt, now()); });
  }
  services::RefundedPaymentResult refunded(const std::string& charge) {
    auto m = refunded_payment(kUser, "p", 70, charge);
    return must_run<services::RefundedPaymentResult>(
        [&](store::Tx& tx) { return services::record_refunded_payment(tx, m, now()); });
  }
  void spend(Kopecks amount, std::string key) {
    must_run<store::ApplyResult>([&](store::Tx& tx) {
      return tx.ledger().apply(store::LedgerEntryDraft::hold(kUser, amount, std::move(key)), now());
    });
  }

  services::StarsSettings settings_{{{100'00, 70}, {300'00, 200}}};
};
KB_STORE_BACKENDS(StarsFlowTest);

TEST_P(StarsFlowTest, AnInvoiceBindsUserPackageAndANonce) {
  auto a = invoice(1);
  auto b = invoice(1);
  EXPECT_NE(a.invoice.payload, b.invoice.payload);
  EXPECT_LE(a.invoice.payload.size(), domain::kMaxInvoicePayloadBytes);
  auto decoded = domain::decode_stars_payload(a.invoice.payload);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->user_id, kUser);
  EXPECT_EQ(decoded->package_index, 1);
  EXPECT_EQ(a.chat_id, kUser);
  EXPECT_EQ(a.invoice.currency, "XTR");
  ASSERT_EQ(a.invoice.prices.size(), 1u);
  EXPECT_EQ(a.invoice.prices[0].amount, 200);
  EXPECT_TRUE(telegram::build_send_invoice(a));
  auto row = must_run<std::optional<store::Invoice>>(
      [&](store::Tx& tx) { return tx.payments().invoice(a.invoice.payload); });
  ASSERT_TRUE(row);
  EXPECT_EQ(row->credit_kopecks, 300'00);
  EXPECT_EQ(row->stars, 200);
  EXPECT_EQ(row->status, "open");
  auto bad = run<telegram::SendInvoice>([&](store::Tx& tx) {
    return services::make_invoice(tx, settings_, kUser, kUser, 2, {"t", "d", "l"}, now());
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_input);
}

TEST_P(StarsFlowTest, PreCheckoutAcceptsOnlyTheExactInvoice) {
  auto inv = invoice(0);
  const auto& payload = inv.invoice.payload;
  EXPECT_TRUE(check(pre_checkout(kUser, payload, 70)).ok);

  auto refusal = [&](telegram::PreCheckoutQuery q) { return check(q).refusal; };
  auto tampered = payload;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(refusal(pre_checkout(kUser, tampered, 70)), domain::CheckoutRefusal::unknown_invoice);
  EXPECT_EQ(refusal(pre_checkout(kUser, "ord_20260101_000042", 70)), domain::CheckoutRefusal::unknown_invoice);
  EXPECT_EQ(refusal(pre_checkout(kUser, payload, 69)), domain::CheckoutRefusal::wrong_amount);
  EXPECT_EQ(refusal(pre_checkout(kUser, payload, 70, "USD")), domain::CheckoutRefusal::wrong_currency);
  add_user(42);
  EXPECT_EQ(refusal(pre_checkout(42, payload, 70)), domain::CheckoutRefusal::wrong_user);
  auto verdict = check(pre_checkout(kUser, payload, 69));
  EXPECT_EQ(verdict.reason_key, "payments.precheckout.wrong_amount");

  pay(inv, "stx-1");
  EXPECT_EQ(refusal(pre_checkout(kUser, payload, 70)), domain::CheckoutRefusal::already_paid);
}

TEST_P(StarsFlowTest, ASuccessfulPaymentIsCreditedExactlyOnce) {
  auto inv = invoice(0);
  // Charge ids can be longer than 128 characters: stored and keyed whole.
  std::string charge = "stx" + std::string(200, 'q');
  auto first = pay(inv, charge);
  EXPECT_EQ(first.status, StarsCreditStatus::credited);
  EXPECT_EQ(first.credited, 100'00);
  EXPECT_EQ(first.balance_after, (store::Balance{100'00, 0}));
  EXPECT_EQ(first.payment.telegram_payment_charge_id, charge);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(pay(inv, charge).status, StarsCreditStatus::duplicate);
  EXPECT_EQ(balance(kUser), (store::Balance{100'00, 0}));
  auto e = entries(kUser);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].idempotency_key, domain::stars_topup_key(charge));
  EXPECT_EQ(e[0].payment_id, charge);
  auto row = must_run<std::optional<store::Invoice>>(
      [&](store::Tx& tx) { return tx.payments().invoice(inv.invoice.payload); });
  EXPECT_EQ(row->status, "paid");
  // Paid twice (two pre-checkouts answered before either payment): Telegram took the Stars twice,
  // so both are credited.
  EXPECT_EQ(pay(inv, "stx-second").status, StarsCreditStatus::credited);
  EXPECT_EQ(balance(kUser), (store::Balance{200'00, 0}));
  EXPECT_TRUE(problems().empty());
}

TEST_P(StarsFlowTest, APaymentMatchingNoInvoiceIsRecordedForReviewNotCredited) {
  auto unknown = pay(successful_payment(kUser, "ord_unknown", 70, "stx-odd"));
  EXPECT_EQ(unknown.status, StarsCreditStatus::needs_review);
  EXPECT_EQ(unknown.payment.credit_kopecks, 0);
  auto inv = invoice(0);
  auto wrong_amount = pay(successful_payment(kUser, inv.invoice.payload, 1, "stx-cheap"));
  EXPECT_EQ(wrong_amount.status, StarsCreditStatus::needs_review);
  EXPECT_EQ(pay(successful_payment(kUser, "ord_unknown", 70, "stx-odd")).status, StarsCreditStatus::duplicate);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 0}));
  // The same charge id presented with other details is a forgery, not a credit.
  auto forged = run<StarsCredit>([&](store::Tx& tx) {
    return services::credit_successful_payment(tx, successful_payment(kUser, "ord_unknown", 500, "stx-odd"), {}, now());
  });
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, Errc::conflict);
  telegram::Message not_a_payment;
  EXPECT_FALSE(run<StarsCredit>([&](store::Tx& tx) {
    return services::credit_successful_payment(tx, not_a_payment, {}, now());
  }));
}

TEST_P(StarsFlowTest, RefundReservesThenReversesOnce) {
  auto inv = invoice(0);
  pay(inv, "stx-r");
  auto start = begin("stx-r");
  ASSERT_TRUE(start.call_telegram);
  EXPECT_EQ(start.attempt, 1);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 100'00}));  // reserved: cannot be spent meanwhile
  auto done = complete("stx-r");
  EXPECT_EQ(done.status, RefundStatus::refunded);
  EXPECT_EQ(done.payment->status, "refunded");
  EXPECT_EQ(balance(kUser), (store::Balance{0, 0}));
  EXPECT_EQ(complete("stx-r").status, RefundStatus::already_refunded);
  EXPECT_EQ(begin("stx-r").outcome.status, RefundStatus::already_refunded);
  EXPECT_EQ(refunded("stx-r").status, services::RefundedPaymentStatus::already_done);
  auto reversal = must_run<std::optional<store::LedgerEntry>>(
      [](store::Tx& tx) { return tx.ledger().find_by_key(domain::stars_refund_key("stx-r")); });
  ASSERT_TRUE(reversal);
  EXPECT_EQ(reversal->kind, store::LedgerKind::topup_reversal);
  EXPECT_EQ(reversal->amount, -100'00);
  auto audit = must_run<std::vector<store::AdminAction>>(
      [](store::Tx& tx) { return tx.admin_actions().list_for_user(kUser, 10); });
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "stars_refund");
  EXPECT_TRUE(problems().empty());
  EXPECT_EQ(begin("stx-unknown").outcome.status, RefundStatus::unknown_payment);
}

TEST_P(StarsFlowTest, SpentMoneyIsNotRefundedAndNothingIsWritten) {
  auto inv = invoice(0);
  pay(inv, "stx-s");
  spend(60'00, "job:1:hold");
  auto start = begin("stx-s");
  EXPECT_FALSE(start.call_telegram);
  EXPECT_EQ(start.outcome.status, RefundStatus::balance_spent);
  EXPECT_EQ(start.outcome.available, 40'00);
  EXPECT_EQ(start.outcome.amount, 100'00);
  EXPECT_EQ(balance(kUser), (store::Balance{40'00, 60'00}));
  EXPECT_TRUE(must_run<std::vector<store::AdminAction>>([](store::Tx& tx) {
                return tx.admin_actions().list_for_user(kUser, 10);
              }).empty());
}

TEST_P(StarsFlowTest, ARefusedAttemptGivesTheMoneyBackAndAnotherMayFollow) {
  auto inv = invoice(0);
  pay(inv, "stx-a");
  auto first = begin("stx-a");
  abandon("stx-a", first.attempt);
  EXPECT_EQ(balance(kUser), (store::Balance{100'00, 0}));
  auto second = begin("stx-a");
  EXPECT_EQ(second.attempt, 2);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 100'00}));
  // The answer of the second attempt was lost: pressing again reuses its reservation.
  auto third = begin("stx-a");
  EXPECT_TRUE(third.call_telegram);
  EXPECT_EQ(third.attempt, 2);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 100'00}));
  // Telegram's refunded_payment message completes it.
  auto r = refunded("stx-a");
  EXPECT_EQ(r.status, services::RefundedPaymentStatus::finished);
  EXPECT_EQ(r.reversed, 100'00);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 0}));
  EXPECT_TRUE(problems().empty());
}

// Two admins: A's attempt is refused and released while B's call with the same reservation is in
// flight; the user spends the money; then B's call succeeds. Telegram refunded: what is left is
// taken back, the shortfall reported, and the ledger stays consistent (no failed reversal).
TEST_P(StarsFlowTest, ASuccessAfterTheReservationWasReleasedTakesBackWhatIsLeft) {
  pay(invoice(0), "stx-race");
  auto a = begin("stx-race");
  auto b = begin("stx-race");  // the same open attempt
  ASSERT_EQ(a.attempt, b.attempt);
  abandon("stx-race", a.attempt);
  spend(70'00, "job:9:hold");
  auto done = complete("stx-race");
  EXPECT_EQ(done.status, RefundStatus::refunded);
  EXPECT_EQ(done.amount, 30'00);
  EXPECT_EQ(done.shortfall, 70'00);
  EXPECT_EQ(done.payment->status, "refunded");
  EXPECT_EQ(balance(kUser), (store::Balance{0, 70'00}));
  EXPECT_EQ(complete("stx-race").status, RefundStatus::already_refunded);
  EXPECT_TRUE(problems().empty());
}

TEST_P(StarsFlowTest, TooManyRefusedAttemptsStop) {
  pay(invoice(0), "stx-m");
  for (int i = 1; i <= domain::kMaxRefundAttempts; ++i) {
    auto s = begin("stx-m");
    ASSERT_EQ(s.attempt, i);
    abandon("stx-m", i);
  }
  auto s = begin("stx-m");
  EXPECT_FALSE(s.call_telegram);
  EXPECT_EQ(s.outcome.status, RefundStatus::too_many_attempts);
  EXPECT_EQ(balance(kUser), (store::Balance{100'00, 0}));
}

TEST_P(StarsFlowTest, ARefundWeDidNotStartTakesBackWhatIsLeft) {
  pay(invoice(0), "stx-t1");
  auto full = refunded("stx-t1");
  EXPECT_EQ(full.status, services::RefundedPaymentStatus::reversed);
  EXPECT_EQ(full.reversed, 100'00);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 0}));

  pay(invoice(0), "stx-t2");
  spend(70'00, "job:2:hold");
  auto part = refunded("stx-t2");
  EXPECT_EQ(part.status, services::RefundedPaymentStatus::reversed_short);
  EXPECT_EQ(part.reversed, 30'00);
  EXPECT_EQ(part.shortfall, 70'00);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 70'00}));
  EXPECT_EQ(refunded("stx-never-seen").status, services::RefundedPaymentStatus::unknown);
  EXPECT_TRUE(problems().empty());
}

}  // namespace
}  // namespace kb::billing::test
