// The money texts and buttons: every key exists in both languages, placeholders are filled,
// buttons decode to the documented actions, Telegram's limits hold.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "bot/callback_data.hpp"
#include "core/log.hpp"
#include "services/billing/money_views.hpp"
#include "telegram/text.hpp"

namespace kb::services {
namespace {

class MoneyViews : public testing::Test {
 protected:
  void SetUp() override {
    auto loaded = bot::Texts::load("");
    ASSERT_TRUE(loaded) << loaded.error().message;
    texts = std::move(*loaded);
    texts.set_globals({{"brand", "GenArt"}, {"support", "@genart_support"}});
  }
  static bot::CallbackData decode(const telegram::InlineButton& b) {
    auto d = bot::decode_callback(b.callback_data);
    EXPECT_TRUE(d) << b.callback_data;
    return d.value_or(bot::CallbackData{});
  }
  bot::Texts texts;
};

TEST_F(MoneyViews, PaymentKeysExistInBothLanguagesAndNeverNameTheProvider) {
  std::size_t ru = 0;
  for (const auto& [lang, key, text] : texts.all()) {
    if (!key.starts_with("payments.")) continue;
    if (lang == bot::Lang::ru) ++ru;
    EXPECT_TRUE(texts.has(bot::Lang::ru, key)) << key;
    EXPECT_TRUE(texts.has(bot::Lang::en, key)) << key;
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    EXPECT_EQ(lower.find("kie"), std::string::npos) << key;
  }
  EXPECT_GT(ru, 40u);
  // The keys the code builds at run time.
  for (auto refusal : {domain::CheckoutRefusal::unknown_invoice, domain::CheckoutRefusal::wrong_user,
                       domain::CheckoutRefusal::wrong_currency, domain::CheckoutRefusal::wrong_amount,
                       domain::CheckoutRefusal::already_paid, domain::CheckoutRefusal::invoice_closed})
    EXPECT_TRUE(texts.has(bot::Lang::en, domain::checkout_refusal_key(refusal)));
  for (auto s : {RefundStatus::refunded, RefundStatus::already_refunded, RefundStatus::unknown_payment,
                 RefundStatus::balance_spent, RefundStatus::telegram_refused, RefundStatus::pending,
                 RefundStatus::too_many_attempts})
    EXPECT_TRUE(texts.has(bot::Lang::ru, refund_status_key(s))) << refund_status_key(s);
  for (auto r : domain::all_reject_reasons())
    EXPECT_TRUE(texts.has(bot::Lang::en, "payments.manual.reason." + std::string(domain::reject_reason_code(r))));
  EXPECT_TRUE(texts.has(bot::Lang::en, std::string(kPaySupportKey)));
}

TEST_F(MoneyViews, StarsPackagesInvoicesAndRefusals) {
  StarsSettings settings{{{100'00, 70}, {1'000'00, 650}}};
  auto buttons = stars_package_buttons(texts, bot::Lang::ru, settings);
  ASSERT_EQ(buttons.size(), 2u);
  EXPECT_EQ(buttons[1].text, "1000 ₽ — 650 ⭐");
  auto d = decode(buttons[1]);
  EXPECT_EQ(d.action, money_actions::stars_package);
  EXPECT_EQ(d.int_arg(0), 1);

  auto t = invoice_texts(texts, bot::Lang::en, settings.packages[0]);
  EXPECT_EQ(t.title, "Top-up of 100 ₽");
  EXPECT_NE(t.description.find("GenArt"), std::string::npos);
  EXPECT_LE(t.title.size(), 64u);
  // A long brand is cut to Telegram's limits rather than refused by it.
  texts.set_globals({{"brand", std::string(400, 'B')}});
  auto long_t = invoice_texts(texts, bot::Lang::ru, settings.packages[0]);
  EXPECT_LE(telegram::utf16_length(long_t.description), 255u);
  EXPECT_LE(telegram::utf16_length(long_t.title), 32u);

  CheckoutVerdict refused{false, domain::CheckoutRefusal::wrong_amount,
                          domain::checkout_refusal_key(domain::CheckoutRefusal::wrong_amount)};
  auto message = checkout_refusal_text(texts, bot::Lang::en, refused);
  EXPECT_EQ(message, "The amount does not match the invoice. Open the top-up menu again.");
  telegram::PreCheckoutQuery q;
  q.id = "pcq1";
  auto answer = pre_checkout_answer(q, refused, message);
  EXPECT_FALSE(answer.ok);
  EXPECT_EQ(answer.error_message, message);
  EXPECT_TRUE(pre_checkout_answer(q, CheckoutVerdict{}, "").ok);
  // Even without a text, a refusal carries a message (Telegram requires one).
  EXPECT_FALSE(pre_checkout_answer(q, refused, "").error_message.empty());
}

TEST_F(MoneyViews, CreditAndRefundTexts) {
  StarsCredit credit;
  credit.status = StarsCreditStatus::credited;
  credit.credited = 300'00;
  credit.balance_after = {450'50, 0};
  EXPECT_EQ(*stars_credit_text(texts, bot::Lang::en, credit),
            "✅ Your balance was topped up with 300 ₽.\nBalance now: 450.50 ₽.");
  credit.status = StarsCreditStatus::duplicate;
  EXPECT_FALSE(stars_credit_text(texts, bot::Lang::en, credit));

  RefundOutcome spent;
  spent.status = RefundStatus::balance_spent;
  spent.amount = 300'00;
  spent.available = 12'00;
  auto text = refund_outcome_text(texts, bot::Lang::en, spent);
  EXPECT_NE(text.find("300 ₽"), std::string::npos) << text;
  EXPECT_NE(text.find("12 ₽"), std::string::npos) << text;
  RefundOutcome refused;
  refused.status = RefundStatus::telegram_refused;
  refused.telegram_error = "Bad Request: <odd>";
  EXPECT_NE(refund_outcome_text(texts, bot::Lang::en, refused).find("&lt;odd&gt;"), std::string::npos);

  store::StarsPayment payment;
  payment.id = 17;
  payment.user_id = 5550001001;
  payment.stars = 70;
  auto b = refund_button(texts, bot::Lang::en, payment);
  ASSERT_TRUE(b);
  auto d = decode(*b);
  EXPECT_EQ(d.action, money_actions::stars_refund);
  EXPECT_EQ(d.int_arg(0), 5550001001);
  EXPECT_EQ(d.int_arg(1), 17);
  payment.status = "refunded";
  EXPECT_FALSE(refund_button(texts, bot::Lang::en, payment));
}

TEST_F(MoneyViews, ManualTransferScreensAndAdminNotice) {
  ManualTopupSettings settings;
  settings.details = "Card 2202 <b>2000</b>";
  auto rows = manual_amount_rows(texts, bot::Lang::ru, settings);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1].text, "500 ₽");
  EXPECT_EQ(decode(rows[1][1]).int_arg(0), 5'000'00);
  EXPECT_NE(manual_details_text(texts, bot::Lang::en, settings, 500'00).find("&lt;b&gt;2000"),
            std::string::npos);
  EXPECT_EQ(manual_amount_error_text(texts, bot::Lang::en, settings, domain::AmountError::too_small),
            "The minimum is 100 ₽.");

  store::ManualTopup request;
  request.id = 12;
  request.user_id = 5550001001;
  request.amount_kopecks = 500'00;
  request.receipt_file_id = encode_receipt({Receipt::Kind::document, "BQAC-doc"});
  store::User requester;
  requester.id = request.user_id;
  requester.first_name = "Alice <3";
  requester.username = "alice_m";
  auto notice = manual_admin_notice(texts, bot::Lang::en, 77, request, requester);
  EXPECT_EQ(notice.chat_id, 77);
  EXPECT_EQ(notice.type, telegram::MediaType::document);
  EXPECT_EQ(notice.file.remote, "BQAC-doc");
  EXPECT_NE(notice.caption.find("Alice &lt;3 (@alice_m)"), std::string::npos) << notice.caption;
  EXPECT_NE(notice.caption.find("500 ₽"), std::string::npos);
  ASSERT_TRUE(notice.reply_markup);
  EXPECT_TRUE(telegram::validate(*notice.reply_markup));
  auto approve = decode(notice.reply_markup->rows[0][0]);
  EXPECT_EQ(approve.action, money_actions::manual_approve);
  EXPECT_EQ(approve.int_arg(0), 12);
  EXPECT_EQ(decode(notice.reply_markup->rows[0][1]).action, money_actions::manual_reject);

  auto reasons = manual_reason_keyboard(texts, bot::Lang::ru, 12);
  EXPECT_TRUE(telegram::validate(reasons));
  ASSERT_EQ(reasons.rows.size(), domain::all_reject_reasons().size() + 1);
  auto first = decode(reasons.rows[0][0]);
  EXPECT_EQ(first.action, money_actions::manual_reject_reason);
  EXPECT_EQ(first.arg(1), "not_received");
  EXPECT_EQ(decode(reasons.rows.back()[0]).action, money_actions::manual_back);

  ManualDecision rejected;
  rejected.status = ManualDecisionStatus::rejected;
  request.status = store::ManualStatus::rejected;
  request.reason = "wrong_amount";
  rejected.request = request;
  auto told = manual_user_notice(texts, bot::Lang::en, rejected);
  EXPECT_EQ(told.chat_id, 5550001001);
  EXPECT_NE(told.text.find("the transferred amount differs"), std::string::npos) << told.text;
  EXPECT_NE(told.text.find("@genart_support"), std::string::npos) << told.text;
}

TEST(Receipts, KeepTheirKind) {
  auto r = decode_receipt(encode_receipt({Receipt::Kind::photo, "AgAC"}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, Receipt::Kind::photo);
  EXPECT_EQ(r->file_id, "AgAC");
  EXPECT_EQ(decode_receipt("legacy-id")->file_id, "legacy-id");
  EXPECT_FALSE(decode_receipt("photo:"));
  EXPECT_FALSE(decode_receipt(""));
}

}  // namespace
}  // namespace kb::services
