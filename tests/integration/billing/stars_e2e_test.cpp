// The Stars flow end to end against the fake Bot API over real HTTP, on both backends: invoice →
// pre_checkout (valid; tampered payload or amount refused) → successful_payment delivered twice →
// credited once → admin refund (done; refused when the money was spent; Telegram refusing; an
// unconfirmed refund completed later).
#include <nlohmann/json.hpp>

#include "billing_fixture.hpp"
#include "bot/i18n.hpp"
#include "net/http_client.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "services/billing/money_views.hpp"
#include "services/billing/stars.hpp"
#include "services/billing/stars_refund.hpp"
#include "support/async_test.hpp"
#include "telegram/client.hpp"
#include "telegram/parse.hpp"

namespace kb::billing::test {
namespace {

using services::RefundStatus;
using services::StarsCreditStatus;

constexpr std::int64_t kAdmin = 7001;

class StarsE2eTest : public BillingTest {
 protected:
  void SetUp() override {
    BillingTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    sandbox::FakeTelegramOptions options;
    options.limits.enabled = false;
    options.clock = &clock_;
    fake_ = std::make_unique<sandbox::FakeTelegram>(io_.io(), fake_http_, options);
    auto port = fake_->start();
    ASSERT_TRUE(port) << port.error().describe();
    telegram::ClientConfig config;
    config.token = fake_->token();
    config.api_url = fake_->api_url();
    config.file_url = fake_->file_url();
    config.retry.max_attempts = 1;  // a 5xx stays unanswered: the refund is then unconfirmed
    config.retry.initial_backoff = std::chrono::milliseconds(10);
    client_ = std::make_unique<telegram::BotClient>(io_.io().get_executor(), http_, config);
    alice_ = fake_->add_user({5550001001, "Alice", "Moreau", "alice_m", "en", true});
    add_user(alice_.id, "Alice");
    add_user(kAdmin, "Admin");
    auto texts = bot::Texts::load("");
    ASSERT_TRUE(texts) << texts.error().message;
    texts_ = std::make_unique<bot::Texts>(std::move(*texts));
  }
  void TearDown() override {
    client_.reset();
    if (fake_) io_.run<void>([this]() { return fake_->stop(std::chrono::milliseconds(500)); });
    fake_.reset();
    BillingTest::TearDown();
  }

  // The bot sends an invoice for a package (optionally tampered with on the way out).
  sandbox::tg::InvoiceRecord send_invoice(int package, std::function<void(telegram::SendInvoice&)> tamper = {}) {
    auto invoice = must_run<telegram::SendInvoice>([&](store::Tx& tx) {
      return services::make_invoice(tx, settings_, alice_.id, alice_.id, package,
                                    services::invoice_texts(*texts_, bot::Lang::en, settings_.packages[package]),
                                    now());
    });
    if (tamper) tamper(invoice);
    auto sent = io_.run<Result<telegram::Message>>([&]() { return client_->send_invoice(invoice); });
    EXPECT_TRUE(sent) << (sent ? "" : sent.error().describe());
    auto record = fake_->last_invoice(alice_.id);
    EXPECT_TRUE(record);
    EXPECT_EQ(record->payload, invoice.invoice.payload);
    return *record;
  }
  telegram::Update last_update() {
    auto raw = fake_->updates().back();
    auto parsed = telegram::parse_update(raw.dump());
    EXPECT_TRUE(parsed) << raw.dump();
    return *parsed;
  }
  // Alice taps Pay; the bot checks and answers the pre-checkout query the way the handler does.
  // Returns the successful_payment message, if Telegram sent one.
  std::optional<telegram::Message> pay(const sandbox::tg::InvoiceRecord& invoice) {
    auto started = fake_->pay(alice_, invoice);
    EXPECT_TRUE(started);
    auto update = last_update();
    EXPECT_EQ(update.kind, telegram::UpdateKind::pre_checkout_query);
    const auto& query = *update.pre_checkout_query;
    auto verdict = must_run<services::CheckoutVerdict>(
        [&](store::Tx& tx) { return services::check_pre_checkout(tx, query); });
    auto answer = services::pre_checkout_answer(
        query, verdict, services::checkout_refusal_text(*texts_, bot::Lang::en, verdict));
    auto answered = io_.run<Result<void>>([&]() { return client_->answer_pre_checkout_query(answer); });
    EXPECT_TRUE(answered) << (answered ? "" : answered.error().describe());
    auto after = last_update();
    if (after.kind != telegram::UpdateKind::message || !after.message->successful_payment) return std::nullopt;
    return *after.message;
  }
  services::StarsCredit credit(const telegram::Message& m) {
    return must_run<services::StarsCredit>(
        [&](store::Tx& tx) { return services::credit_successful_payment(tx, m, {}, now()); });
  }
  services::RefundOutcome refund(const std::string& charge) {
    auto r = io_.run<Result<services::RefundOutcome>>(
        [&]() { return services::refund_stars_payment(db(), *client_, clock_, charge, kAdmin); });
    if (!r) throw std::runtime_error(r.error().describe());
    return *r;
  }

  kb::test::IoThread io_{2};
  net::HttpClient fake_http_;
  net::HttpClient http_;
  std::unique_ptr<sandbox::FakeTelegram> fake_;
  std::unique_ptr<telegram::BotClient> client_;
  std::unique_ptr<bot::Texts> texts_;
  sandbox::tg::User alice_;
  services::StarsSettings settings_{{{100'00, 70}, {300'00, 200}}};
};
KB_STORE_BACKENDS(StarsE2eTest);

TEST_P(StarsE2eTest, PaidOnceCreditedOnceRefundedOnce) {
  auto invoice = send_invoice(1);
  EXPECT_EQ(invoice.currency, "XTR");
  EXPECT_EQ(invoice.amount, 200);
  EXPECT_EQ(invoice.title, "Top-up of 300 ₽");

  auto paid = pay(invoice);
  ASSERT_TRUE(paid) << "the valid pre-checkout was not accepted";
  const auto charge = paid->successful_payment->telegram_payment_charge_id;
  EXPECT_EQ(fake_->payments().back().state, sandbox::tg::PaymentState::paid);
  // The update is delivered twice (a webhook retry): credited once.
  EXPECT_EQ(credit(*paid).status, StarsCreditStatus::credited);
  EXPECT_EQ(credit(*paid).status, StarsCreditStatus::duplicate);
  EXPECT_EQ(balance(alice_.id), (store::Balance{300'00, 0}));

  auto done = refund(charge);
  EXPECT_EQ(done.status, RefundStatus::refunded);
  EXPECT_EQ(fake_->payments().back().state, sandbox::tg::PaymentState::refunded);
  EXPECT_EQ(balance(alice_.id), (store::Balance{0, 0}));
  // Telegram's refunded_payment message arrives afterwards: nothing more happens.
  auto refunded = last_update();
  ASSERT_TRUE(refunded.message && refunded.message->refunded_payment);
  auto recorded = must_run<services::RefundedPaymentResult>(
      [&](store::Tx& tx) { return services::record_refunded_payment(tx, *refunded.message, now()); });
  EXPECT_EQ(recorded.status, services::RefundedPaymentStatus::already_done);
  // Pressing Refund again does not call Telegram.
  auto calls = fake_->call_count("refundStarPayment");
  EXPECT_EQ(refund(charge).status, RefundStatus::already_refunded);
  EXPECT_EQ(fake_->call_count("refundStarPayment"), calls);
  EXPECT_TRUE(problems().empty());
}

TEST_P(StarsE2eTest, TamperedPayloadOrAmountIsRefusedAtPreCheckout) {
  auto forged_payload = send_invoice(0, [](telegram::SendInvoice& i) { i.invoice.payload += "x"; });
  EXPECT_FALSE(pay(forged_payload));
  auto declined = fake_->payments().back();
  EXPECT_EQ(declined.state, sandbox::tg::PaymentState::declined);
  EXPECT_EQ(declined.error_message,
            "This invoice has expired. Open the top-up menu and choose a package again.");

  auto cheap = send_invoice(1, [](telegram::SendInvoice& i) { i.invoice.prices[0].amount = 1; });
  EXPECT_FALSE(pay(cheap));
  EXPECT_EQ(fake_->payments().back().state, sandbox::tg::PaymentState::declined);
  EXPECT_EQ(fake_->payments().back().error_message,
            "The amount does not match the invoice. Open the top-up menu again.");
  EXPECT_EQ(balance(alice_.id), (store::Balance{0, 0}));
}

TEST_P(StarsE2eTest, ARefundIsRefusedBeforeTelegramWhenTheMoneyWasSpent) {
  auto paid = pay(send_invoice(0));
  ASSERT_TRUE(paid);
  credit(*paid);
  // A generation holds part of the money.
  must_run<store::ApplyResult>([&](store::Tx& tx) {
    return tx.ledger().apply(store::LedgerEntryDraft::hold(alice_.id, 50'00, "job:1:hold"), now());
  });
  auto outcome = refund(paid->successful_payment->telegram_payment_charge_id);
  EXPECT_EQ(outcome.status, RefundStatus::balance_spent);
  EXPECT_EQ(outcome.available, 50'00);
  EXPECT_EQ(fake_->call_count("refundStarPayment"), 0u);
  EXPECT_EQ(fake_->payments().back().state, sandbox::tg::PaymentState::paid);
  EXPECT_EQ(balance(alice_.id), (store::Balance{50'00, 50'00}));
  auto text = services::refund_outcome_text(*texts_, bot::Lang::en, outcome);
  EXPECT_NE(text.find("already spent"), std::string::npos) << text;
}

TEST_P(StarsE2eTest, TelegramRefusingReleasesTheReservation) {
  auto paid = pay(send_invoice(0));
  ASSERT_TRUE(paid);
  credit(*paid);
  fake_->inject_error("refundStarPayment", sandbox::tg::InjectedError::bad_request("BALANCE_TOO_LOW"));
  auto outcome = refund(paid->successful_payment->telegram_payment_charge_id);
  EXPECT_EQ(outcome.status, RefundStatus::telegram_refused);
  EXPECT_NE(outcome.telegram_error.find("BALANCE_TOO_LOW"), std::string::npos);
  EXPECT_EQ(balance(alice_.id), (store::Balance{100'00, 0}));
  // Later it works.
  EXPECT_EQ(refund(paid->successful_payment->telegram_payment_charge_id).status, RefundStatus::refunded);
  EXPECT_EQ(balance(alice_.id), (store::Balance{0, 0}));
  EXPECT_TRUE(problems().empty());
}

TEST_P(StarsE2eTest, AnUnconfirmedRefundKeepsTheMoneyReservedUntilConfirmed) {
  auto paid = pay(send_invoice(0));
  ASSERT_TRUE(paid);
  credit(*paid);
  const auto charge = paid->successful_payment->telegram_payment_charge_id;
  fake_->inject_error("refundStarPayment", sandbox::tg::InjectedError::server_error(502));
  auto outcome = refund(charge);
  EXPECT_EQ(outcome.status, RefundStatus::pending);
  EXPECT_EQ(balance(alice_.id), (store::Balance{0, 100'00}));  // reserved, not spendable
  // The admin presses again: Telegram refunds, the reservation becomes the reversal.
  EXPECT_EQ(refund(charge).status, RefundStatus::refunded);
  EXPECT_EQ(balance(alice_.id), (store::Balance{0, 0}));
  EXPECT_EQ(fake_->payments().back().state, sandbox::tg::PaymentState::refunded);
  EXPECT_TRUE(problems().empty());
}

}  // namespace
}  // namespace kb::billing::test
