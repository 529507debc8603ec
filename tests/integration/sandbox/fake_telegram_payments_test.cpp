// Telegram Stars payments over the fake Bot API: invoice validation, pre-checkout deadline,
// successful_payment, refunds and transactions.
#include "fake_telegram_fixture.hpp"

namespace kb::sandbox::tg::test_support {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const User kAlice{5550001001, "Alice", "Moreau", "alice_m", "en", true};

json invoice(json overrides = json::object()) {
  json p = {{"chat_id", kAlice.id},
            {"title", "50 image credits"},
            {"description", "Pack of 50 AI image generations"},
            {"payload", "ord_20260101_000042"},
            {"provider_token", ""},
            {"currency", "XTR"},
            {"prices", json::array({{{"label", "50 credits"}, {"amount", 50}}})}};
  for (auto& [k, v] : overrides.items()) {
    if (v.is_null()) {
      p.erase(k);
    } else {
      p[k] = v;
    }
  }
  return p;
}

class FakeTelegramPaymentsTest : public FakeTelegramTest {
 protected:
  // Sends an invoice to Alice and has her tap Pay; returns the pre-checkout query id.
  std::string start_payment() {
    auto sent = call("sendInvoice", invoice());
    EXPECT_TRUE(sent.ok()) << sent.body;
    auto inv = tg->last_invoice(kAlice.id);
    EXPECT_TRUE(inv);
    auto started = tg->pay(kAlice, *inv);
    EXPECT_TRUE(started);
    return started->pre_checkout_query_id;
  }
};

TEST_F(FakeTelegramPaymentsTest, InvoiceValidation) {
  start(unlimited());
  auto expect_error = [&](json overrides, const std::string& description) {
    auto r = call("sendInvoice", invoice(overrides));
    EXPECT_EQ(r.status, 400) << overrides;
    EXPECT_EQ(r.description(), description) << overrides;
  };
  expect_error({{"prices", json::array()}}, "Bad Request: there must be at least one price");
  expect_error(
      {{"prices", json::array({{{"label", "a"}, {"amount", 1}}, {{"label", "b"}, {"amount", 2}}})}},
      "Bad Request: STARS_INVOICE_INVALID");
  expect_error({{"payload", std::string(129, 'p')}}, "Bad Request: INVOICE_PAYLOAD_INVALID");
  // Invalid UTF-8 cannot be written as JSON: send it as a form.
  auto latin1 = call_form("sendInvoice",
                          "chat_id=5550001001&title=t&description=d&payload=%FF%FE&currency=XTR&"
                          "prices=%5B%7B%22label%22%3A%22x%22%2C%22amount%22%3A5%7D%5D");
  EXPECT_EQ(latin1.description(), "Bad Request: the payload must be encoded in UTF-8");
  expect_error({{"currency", "USD"}}, "Bad Request: PAYMENT_PROVIDER_INVALID");
  expect_error({{"prices", json::array({{{"label", "x"}, {"amount", 0}}})}},
               "Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID");
  expect_error({{"title", nullptr}}, "Bad Request: parameter \"title\" is required");
  expect_error(
      {{"reply_markup", {{"inline_keyboard", {{{{"text", "Go"}, {"callback_data", "go"}}}}}}}},
      "Bad Request: REPLY_MARKUP_BUY_EMPTY");
  EXPECT_TRUE(tg->invoices().empty());

  auto ok = call("sendInvoice", invoice({{"payload", std::string(128, 'p')}}));
  ASSERT_TRUE(ok.ok()) << ok.body;
  EXPECT_EQ(
      ok.result()["invoice"],
      json::parse(R"({"title":"50 image credits","description":"Pack of 50 AI image generations",
                            "start_parameter":"","currency":"XTR","total_amount":50})"));
  auto view = tg->last_bot_message(kAlice.id);
  EXPECT_EQ(view->kind, "invoice");
  ASSERT_FALSE(view->inline_keyboard.empty());
  EXPECT_TRUE(view->inline_keyboard[0][0].pay);

  auto link = call("createInvoiceLink", invoice({{"chat_id", nullptr}}));
  ASSERT_TRUE(link.ok()) << link.body;
  EXPECT_EQ(link.result().get<std::string>().rfind("https://t.me/$", 0), 0u);
  EXPECT_EQ(tg->invoices().back().link, link.result());
  EXPECT_EQ(
      call("createInvoiceLink", invoice({{"chat_id", nullptr}, {"subscription_period", 3600}}))
          .description(),
      "Bad Request: SUBSCRIPTION_PERIOD_INVALID");
  EXPECT_TRUE(
      call("createInvoiceLink", invoice({{"chat_id", nullptr}, {"subscription_period", 2592000}}))
          .ok());
}

TEST_F(FakeTelegramPaymentsTest, SuccessfulPaymentAfterAnOkAnswer) {
  start(unlimited());
  auto query_id = start_payment();
  auto pre = tg->updates().back();
  EXPECT_EQ(pre["pre_checkout_query"]["id"], query_id);
  EXPECT_EQ(pre["pre_checkout_query"]["currency"], "XTR");
  EXPECT_EQ(pre["pre_checkout_query"]["total_amount"], 50);
  EXPECT_EQ(pre["pre_checkout_query"]["invoice_payload"], "ord_20260101_000042");
  EXPECT_EQ(pre["pre_checkout_query"]["from"]["is_premium"], true);
  EXPECT_EQ(tg->payment(query_id)->state, PaymentState::awaiting_answer);

  clock.advance(9s);
  ASSERT_TRUE(
      call("answerPreCheckoutQuery", {{"pre_checkout_query_id", query_id}, {"ok", true}}).ok());
  auto paid = tg->payment(query_id);
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->state, PaymentState::paid);
  EXPECT_EQ(paid->telegram_payment_charge_id.rfind("stx", 0), 0u);
  auto message = tg->updates().back()["message"];
  EXPECT_EQ(message["from"]["id"], kAlice.id);
  EXPECT_EQ(message["successful_payment"]["telegram_payment_charge_id"],
            paid->telegram_payment_charge_id);
  EXPECT_EQ(message["successful_payment"]["total_amount"], 50);
  EXPECT_EQ(message["successful_payment"]["invoice_payload"], "ord_20260101_000042");
  EXPECT_TRUE(message["successful_payment"].contains("provider_payment_charge_id"));
  EXPECT_EQ(message["message_id"], paid->successful_payment_message_id);
  // A second answer is too late; a second payment of the same invoice gets its own charge id.
  EXPECT_EQ(call("answerPreCheckoutQuery", {{"pre_checkout_query_id", query_id}, {"ok", true}})
                .description(),
            "Bad Request: query is too old and response timeout expired or query ID is invalid");
  auto second = tg->pay(kAlice, *tg->last_invoice());
  ASSERT_TRUE(call("answerPreCheckoutQuery",
                   {{"pre_checkout_query_id", second->pre_checkout_query_id}, {"ok", true}})
                  .ok());
  EXPECT_NE(tg->payment(second->pre_checkout_query_id)->telegram_payment_charge_id,
            paid->telegram_payment_charge_id);

  auto tx = call("getStarTransactions");
  ASSERT_TRUE(tx.ok());
  ASSERT_EQ(tx.result()["transactions"].size(), 2u);
  auto first_tx = tx.result()["transactions"][0];
  EXPECT_EQ(first_tx["id"], paid->telegram_payment_charge_id);
  EXPECT_EQ(first_tx["amount"], 50);
  EXPECT_EQ(first_tx["source"]["type"], "user");
  EXPECT_EQ(first_tx["source"]["transaction_type"], "invoice_payment");
  EXPECT_EQ(first_tx["source"]["invoice_payload"], "ord_20260101_000042");
  EXPECT_EQ(call("getMyStarBalance").result()["amount"], 100);
}

TEST_F(FakeTelegramPaymentsTest, DeclineAndDeadline) {
  start(unlimited());
  auto declined = start_payment();
  EXPECT_EQ(call("answerPreCheckoutQuery", {{"pre_checkout_query_id", declined}, {"ok", false}})
                .description(),
            "Bad Request: ERROR_MESSAGE_EMPTY");
  ASSERT_TRUE(
      call("answerPreCheckoutQuery",
           {{"pre_checkout_query_id", declined}, {"ok", false}, {"error_message", "Sold out"}})
          .ok());
  EXPECT_EQ(tg->payment(declined)->state, PaymentState::declined);
  EXPECT_EQ(tg->payment(declined)->error_message, "Sold out");

  std::vector<std::string> states;
  std::mutex mu;
  tg->subscribe([&](const ChatEvent& e) {
    std::lock_guard lock(mu);
    if (e.kind == ChatEvent::Kind::payment_changed) states.push_back(e.data["state"]);
  });
  auto late = start_payment();
  clock.advance(11s);
  EXPECT_EQ(
      call("answerPreCheckoutQuery", {{"pre_checkout_query_id", late}, {"ok", true}}).description(),
      "Bad Request: query is too old and response timeout expired or query ID is invalid");
  EXPECT_EQ(tg->payment(late)->state, PaymentState::expired);
  EXPECT_EQ(tg->payment(late)->telegram_payment_charge_id, "");
  std::lock_guard lock(mu);
  EXPECT_EQ(states, (std::vector<std::string>{"awaiting_answer", "expired"}));
}

TEST_F(FakeTelegramPaymentsTest, RefundSendsRefundedPayment) {
  start(unlimited());
  auto query_id = start_payment();
  ASSERT_TRUE(
      call("answerPreCheckoutQuery", {{"pre_checkout_query_id", query_id}, {"ok", true}}).ok());
  auto charge = tg->payment(query_id)->telegram_payment_charge_id;
  EXPECT_EQ(call("refundStarPayment", {{"user_id", 42}, {"telegram_payment_charge_id", charge}})
                .description(),
            "Bad Request: CHARGE_NOT_FOUND");
  clock.advance(60s);
  ASSERT_TRUE(
      call("refundStarPayment", {{"user_id", kAlice.id}, {"telegram_payment_charge_id", charge}})
          .ok());
  EXPECT_EQ(tg->payment(query_id)->state, PaymentState::refunded);
  auto refunded = tg->updates().back()["message"]["refunded_payment"];
  EXPECT_EQ(refunded["telegram_payment_charge_id"], charge);
  EXPECT_EQ(refunded["total_amount"], 50);
  EXPECT_EQ(refunded["currency"], "XTR");
  EXPECT_EQ(
      call("refundStarPayment", {{"user_id", kAlice.id}, {"telegram_payment_charge_id", charge}})
          .description(),
      "Bad Request: CHARGE_ALREADY_REFUNDED");
  auto tx = call("getStarTransactions").result()["transactions"];
  ASSERT_EQ(tx.size(), 2u);
  EXPECT_TRUE(tx[0].contains("source"));
  EXPECT_TRUE(tx[1].contains("receiver"));
  EXPECT_EQ(tx[1]["id"], charge);
  EXPECT_EQ(call("getMyStarBalance").result()["amount"], 0);
}

TEST_F(FakeTelegramPaymentsTest, PayingAnUnknownInvoiceFails) {
  start();
  InvoiceRecord unknown;
  unknown.id = "nope";
  EXPECT_FALSE(tg->pay(kAlice, unknown));
}

}  // namespace
}  // namespace kb::sandbox::tg::test_support
