// Pure top-up rules: invoice payloads, the pre-checkout verdict, typed amounts, reject reasons.
#include <gtest/gtest.h>

#include "domain/ledger_rules.hpp"
#include "domain/payments.hpp"

namespace kb::domain {
namespace {

TEST(StarsPayload, RoundTripsAndStaysWithinTelegramsLimit) {
  StarsPayload p{5550001001, 2, "AbCdEfGh_-123456"};
  auto text = encode_stars_payload(p);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "kbs1.5550001001.2.AbCdEfGh_-123456");
  auto back = decode_stars_payload(*text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->user_id, p.user_id);
  EXPECT_EQ(back->package_index, 2);
  EXPECT_EQ(back->nonce, p.nonce);
  // The largest ids and nonces still fit 128 bytes.
  auto big = encode_stars_payload({INT64_MAX, 999, std::string(64, 'x')});
  ASSERT_TRUE(big);
  EXPECT_LE(big->size(), kMaxInvoicePayloadBytes);
}

TEST(StarsPayload, RefusesAnythingElse) {
  EXPECT_FALSE(encode_stars_payload({0, 0, "abcdefgh"}));
  EXPECT_FALSE(encode_stars_payload({1, -1, "abcdefgh"}));
  EXPECT_FALSE(encode_stars_payload({1, 0, "short"}));
  EXPECT_FALSE(encode_stars_payload({1, 0, "has.dot.s"}));
  for (std::string_view bad :
       {"", "kbs1", "kbs1.1.0", "kbs2.1.0.abcdefgh", "kbs1.-1.0.abcdefgh", "kbs1.01.0.abcdefgh",
        "kbs1.1.00.abcdefgh", "kbs1.1.0.abc", "kbs1.1.0.abcdefgh.extra", "kbs1.1.x.abcdefgh",
        "kbs1.1.0.abcdefg!", "ord_20260101_000042", "kbs1..0.abcdefgh"}) {
    EXPECT_FALSE(decode_stars_payload(bad)) << bad;
  }
  EXPECT_FALSE(decode_stars_payload("kbs1.1.0." + std::string(200, 'a')));
}

class Checkout : public testing::Test {
 protected:
  std::string payload = *encode_stars_payload({42, 0, "nonce1234"});
  InvoiceFacts invoice{42, 70, "open"};
  CheckoutFacts query{42, "XTR", 70, payload};
};

TEST_F(Checkout, AcceptsTheExactInvoice) { EXPECT_EQ(judge_checkout(invoice, query), std::nullopt); }

TEST_F(Checkout, RefusesEveryMismatch) {
  EXPECT_EQ(judge_checkout(std::nullopt, query), CheckoutRefusal::unknown_invoice);
  auto q = query;
  q.payload = "ord_1";
  EXPECT_EQ(judge_checkout(invoice, q), CheckoutRefusal::unknown_invoice);
  q = query;
  q.user_id = 43;
  EXPECT_EQ(judge_checkout(invoice, q), CheckoutRefusal::wrong_user);
  q = query;
  q.currency = "USD";
  EXPECT_EQ(judge_checkout(invoice, q), CheckoutRefusal::wrong_currency);
  q = query;
  q.total_amount = 69;
  EXPECT_EQ(judge_checkout(invoice, q), CheckoutRefusal::wrong_amount);
  auto paid = invoice;
  paid.status = "paid";
  EXPECT_EQ(judge_checkout(paid, query), CheckoutRefusal::already_paid);
  auto cancelled = invoice;
  cancelled.status = "cancelled";
  EXPECT_EQ(judge_checkout(cancelled, query), CheckoutRefusal::invoice_closed);
  // A row that belongs to someone else while the payload claims the payer: still refused.
  auto foreign = invoice;
  foreign.user_id = 7;
  EXPECT_EQ(judge_checkout(foreign, query), CheckoutRefusal::wrong_user);
  EXPECT_EQ(checkout_refusal_key(CheckoutRefusal::wrong_amount), "payments.precheckout.wrong_amount");
}

TEST_F(Checkout, APaidInvoiceStillMatchesItsSecondPayment) {
  auto paid = invoice;
  paid.status = "paid";
  EXPECT_TRUE(payment_matches_invoice(paid, query));
  auto q = query;
  q.total_amount = 1;
  EXPECT_FALSE(payment_matches_invoice(invoice, q));
  q = query;
  q.user_id = 1;
  EXPECT_FALSE(payment_matches_invoice(invoice, q));
  EXPECT_FALSE(payment_matches_invoice(std::nullopt, query));
}

TEST(RefundKeys, AreDistinctPerAttemptAndFromTheReversal) {
  EXPECT_NE(stars_refund_hold_key("stx1", 1), stars_refund_hold_key("stx1", 2));
  EXPECT_NE(stars_refund_hold_key("stx1", 1), stars_refund_release_key("stx1", 1));
  EXPECT_NE(stars_refund_hold_key("stx1", 1), stars_refund_key("stx1"));
  // A charge id longer than 128 characters is kept whole.
  std::string long_id(300, 'c');
  EXPECT_NE(stars_refund_hold_key(long_id, 1).find(long_id), std::string::npos);
}

TEST(TopupAmount, ReadsWhatPeopleType) {
  AmountLimits limits{100'00, 100'000'00};
  auto ok = [&](std::string_view text, Kopecks expected) {
    auto r = parse_topup_amount(text, limits);
    ASSERT_TRUE(r.amount) << text;
    EXPECT_EQ(*r.amount, expected) << text;
  };
  ok("500", 500'00);
  ok(" 500 ", 500'00);
  ok("1 000", 1'000'00);
  ok("1\xC2\xA0" "000", 1'000'00);     // no-break space
  ok("1\xE2\x80\xAF" "000", 1'000'00);  // narrow no-break space
  ok("499,90", 499'90);
  ok("499.9", 499'90);
  ok("500 ₽", 500'00);
  ok("500₽", 500'00);
  ok("500р", 500'00);
  ok("500 р.", 500'00);
  ok("500 руб", 500'00);
  ok("500 руб.", 500'00);
  ok("500 RUB", 500'00);
  ok("100000", 100'000'00);
}

TEST(TopupAmount, ExplainsWhatIsWrong) {
  AmountLimits limits{100'00, 100'000'00};
  auto error = [&](std::string_view text) {
    auto r = parse_topup_amount(text, limits);
    EXPECT_FALSE(r.amount) << text;
    return r.error;
  };
  EXPECT_EQ(error("99.99"), AmountError::too_small);
  EXPECT_EQ(error("0"), AmountError::too_small);
  EXPECT_EQ(error("100000.01"), AmountError::too_large);
  EXPECT_EQ(error("abc"), AmountError::not_a_number);
  EXPECT_EQ(error(""), AmountError::not_a_number);
  EXPECT_EQ(error("-500"), AmountError::not_a_number);
  EXPECT_EQ(error("1,000.50"), AmountError::not_a_number);
  EXPECT_EQ(error("12.345"), AmountError::not_a_number);
  EXPECT_EQ(error("5e3"), AmountError::not_a_number);
  EXPECT_EQ(error(std::string(100, '1')), AmountError::not_a_number);
  EXPECT_EQ(amount_error_code(AmountError::too_large), "too_large");
}

TEST(RejectReasons, RoundTrip) {
  ASSERT_EQ(all_reject_reasons().size(), 5u);
  for (auto r : all_reject_reasons()) EXPECT_EQ(parse_reject_reason(reject_reason_code(r)), r);
  EXPECT_FALSE(parse_reject_reason("because"));
}

}  // namespace
}  // namespace kb::domain
