// The user's side of a bank-transfer top-up through the fake Bot API and the real pipeline:
// amount (preset or typed, with precise errors) → details → receipt (photo or image/PDF document)
// → the request reaches every admin with Approve / Reject → approval credits exactly once.
#include <gtest/gtest.h>

#include "bot/callback_data.hpp"
#include "bot/screens/common.hpp"
#include "bot_harness.hpp"
#include "sandbox/media/sample_media.hpp"

namespace kb::test {
namespace {

using bot::Lang;

std::vector<store::ManualTopup> pending(BotHarness& h) {
  auto rows = h.db->read_blocking<std::vector<store::ManualTopup>>(
      [](store::Tx& tx) { return tx.payments().pending_manual(100); });
  EXPECT_TRUE(rows) << rows.error().message;
  return rows ? *rows : std::vector<store::ManualTopup>{};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class TransferJourney : public ::testing::Test {
 protected:
  void SetUp() override {
    alice = h.user("Alice", "ru");
    admin = h.user("Anna", "en");
    h.settings.money.manual.admin_ids = {admin.id};
    h.command(admin, "start");  // known to the bot: notices come in the admin's language
    h.command(alice, "balance");
    h.press(alice, h.t(Lang::ru, "menu.topup"));
    ASSERT_EQ(h.screen_id(alice), "topup");
    h.press(alice, h.t(Lang::ru, "payments.manual.button"));
    ASSERT_EQ(h.screen_id(alice), "transfer_amount");
  }
  std::size_t admin_photos() {
    std::size_t n = 0;
    for (const auto& m : h.telegram->bot_messages(admin.id))
      if (m.kind == "photo" || m.kind == "document") ++n;
    return n;
  }

  BotHarness h;
  sandbox::tg::User alice;
  sandbox::tg::User admin;
};

TEST_F(TransferJourney, TypedAmountReceiptApprovalCreditsOnce) {
  auto limits = h.settings.money.manual.limits;
  h.text(alice, "пятьсот");
  EXPECT_EQ(h.screen_id(alice), "transfer_amount");
  EXPECT_TRUE(
      contains(h.screen(alice)->text, h.t(Lang::ru, "payments.manual.amount_error.not_a_number")))
      << h.screen(alice)->text;
  h.text(alice, "5");
  EXPECT_EQ(h.screen_id(alice), "transfer_amount");
  EXPECT_TRUE(
      contains(h.screen(alice)->text, h.t(Lang::ru, "payments.manual.amount_error.too_small",
                                          {{"min", format_rubles(limits.min)}})));

  h.text(alice, "1 500 ₽");
  ASSERT_EQ(h.screen_id(alice), "transfer_receipt");
  EXPECT_EQ(h.state(alice).transfer_amount, 1500'00);
  EXPECT_TRUE(contains(h.screen(alice)->text, "Card 2202 2000 0000 0000, Ivan I."));
  EXPECT_TRUE(contains(h.screen(alice)->text, bot::rub(1500'00)));

  // Not a receipt: text, an archive. The user stays on the step and is told what to send.
  h.text(alice, "оплатила");
  EXPECT_EQ(h.screen_id(alice), "transfer_receipt");
  EXPECT_TRUE(contains(h.screen(alice)->text, h.t(Lang::ru, "payments.manual.send_receipt")));
  h.telegram->send_document(alice, "PK\x03\x04zip", "application/zip", "receipt.zip");
  h.pump();
  EXPECT_EQ(h.screen_id(alice), "transfer_receipt");
  EXPECT_TRUE(pending(h).empty());
  EXPECT_EQ(admin_photos(), 0u);

  h.telegram->send_photo(alice, media::gradient_png("receipt"));
  h.pump();
  auto requests = pending(h);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].user_id, alice.id);
  EXPECT_EQ(requests[0].amount_kopecks, 1500'00);
  ASSERT_TRUE(requests[0].receipt_file_id);
  EXPECT_TRUE(requests[0].receipt_file_id->starts_with("photo:"));
  EXPECT_EQ(h.screen_id(alice), "main");
  EXPECT_TRUE(contains(h.last(alice)->text, h.t(Lang::ru, "payments.manual.submitted",
                                                {{"id", std::to_string(requests[0].id)},
                                                 {"amount", format_rubles(1500'00)}})))
      << h.last(alice)->text;
  // Nothing is credited before an admin decides.
  EXPECT_EQ(h.balance(alice).available, 0);

  // The admin got the receipt itself (the same file), with the decision buttons.
  ASSERT_EQ(admin_photos(), 1u);
  auto notice = h.telegram->bot_messages(admin.id).back();
  EXPECT_EQ(notice.kind, "photo");
  EXPECT_TRUE(contains(notice.caption, std::to_string(alice.id))) << notice.caption;
  h.press_containing(admin, "✅");
  EXPECT_EQ(h.balance(alice).available, 1500'00);
  EXPECT_TRUE(pending(h).empty());
  EXPECT_TRUE(contains(h.last(alice)->text, bot::rub(1500'00)));
  // The decided request lost its buttons: a second press (an old copy) credits nothing more.
  h.press_data(admin, notice.message_id,
               *bot::encode_callback("tpa", {std::to_string(requests[0].id)}));
  EXPECT_EQ(h.balance(alice).available, 1500'00);
  for (const auto& cb : h.telegram->callback_queries()) EXPECT_TRUE(cb.answered) << cb.data;
}

TEST_F(TransferJourney, PresetAmountPdfReceiptRejectionTellsWhy) {
  h.press(alice,
          h.t(Lang::ru, "payments.manual.amount_button", {{"amount", format_rubles(500'00)}}));
  ASSERT_EQ(h.screen_id(alice), "transfer_receipt");
  EXPECT_EQ(h.state(alice).transfer_amount, 500'00);
  // Back returns to the amounts, and from there to the top-up ways.
  h.press_containing(alice, "⬅");
  EXPECT_EQ(h.screen_id(alice), "transfer_amount");
  h.press(alice,
          h.t(Lang::ru, "payments.manual.amount_button", {{"amount", format_rubles(500'00)}}));
  ASSERT_EQ(h.screen_id(alice), "transfer_receipt");

  h.telegram->send_document(alice, "%PDF-1.4 receipt", "application/pdf", "receipt.pdf");
  h.pump();
  auto requests = pending(h);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests[0].receipt_file_id->starts_with("document:"));
  ASSERT_EQ(admin_photos(), 1u);
  EXPECT_EQ(h.telegram->bot_messages(admin.id).back().kind, "document");

  h.press(admin, h.t(Lang::en, "payments.manual.admin.reject"));
  h.press(admin, h.t(Lang::en, "payments.manual.reason.wrong_amount"));
  EXPECT_TRUE(pending(h).empty());
  EXPECT_EQ(h.balance(alice).available, 0);
  EXPECT_TRUE(contains(h.last(alice)->text, h.t(Lang::ru, "payments.manual.reason.wrong_amount")))
      << h.last(alice)->text;
}

TEST_F(TransferJourney, PendingRequestsAreLimitedAndForgedAmountsAreStale) {
  // A forged preset outside the limits is an old button: nothing is asked for.
  auto amount_screen = h.screen(alice);
  ASSERT_TRUE(amount_screen);
  h.press_data(alice, amount_screen->message_id, *bot::encode_callback("tma", {"1"}));
  EXPECT_NE(h.screen_id(alice), "transfer_receipt");
  EXPECT_EQ(h.state(alice).transfer_amount, 0);

  auto limit = h.settings.money.manual.max_pending_per_user;
  for (int i = 0; i < limit; ++i) {
    h.command(alice, "balance");
    h.press(alice, h.t(Lang::ru, "menu.topup"));
    h.press(alice, h.t(Lang::ru, "payments.manual.button"));
    h.text(alice, "700");
    h.telegram->send_photo(alice, media::gradient_png("receipt " + std::to_string(i)));
    h.pump();
  }
  EXPECT_EQ(pending(h).size(), static_cast<std::size_t>(limit));
  EXPECT_EQ(admin_photos(), static_cast<std::size_t>(limit));
  auto details_shown = [&] {
    int n = 0;
    for (const auto& m : h.telegram->bot_messages(alice.id))
      if (contains(m.text, "Card 2202")) ++n;
    return n;
  };
  ASSERT_EQ(details_shown(), limit);
  // At the limit the user is told before seeing the details (nobody pays a transfer whose receipt
  // would be refused): not from the menu, not from an old amount button still in the chat.
  h.command(alice, "balance");
  h.press(alice, h.t(Lang::ru, "menu.topup"));
  h.press(alice, h.t(Lang::ru, "payments.manual.button"));
  EXPECT_EQ(h.screen_id(alice), "main");
  EXPECT_TRUE(contains(h.screen(alice)->text, h.t(Lang::ru, "payments.manual.too_many_pending")))
      << h.screen(alice)->text;
  h.press_data(alice, amount_screen->message_id,
               *bot::encode_callback("tma", {std::to_string(500'00)}));
  EXPECT_EQ(h.screen_id(alice), "main");
  EXPECT_EQ(h.state(alice).transfer_amount, 0);
  EXPECT_EQ(details_shown(), limit);
  EXPECT_EQ(h.balance(alice).available, 0);
}

// Several screenshots sent at once (an album): one request, one notice per admin, and the other
// pictures of the album are not answered as unexpected media.
TEST_F(TransferJourney, AnAlbumOfReceiptsMakesOneRequest) {
  h.text(alice, "800");
  ASSERT_EQ(h.screen_id(alice), "transfer_receipt");
  auto before = h.telegram->bot_messages(alice.id).size();
  h.telegram->send_album(
      alice, {media::gradient_png("r1"), media::gradient_png("r2"), media::gradient_png("r3")});
  h.pump();
  ASSERT_EQ(pending(h).size(), 1u);
  EXPECT_EQ(pending(h)[0].amount_kopecks, 800'00);
  EXPECT_EQ(admin_photos(), 1u);
  auto after = h.telegram->bot_messages(alice.id);
  ASSERT_EQ(after.size(), before + 1) << after.back().text;
  EXPECT_TRUE(contains(after.back().text, format_rubles(800'00)));
}

// The operator removes the transfer details while a user is on the receipt step: the receipt is
// not taken, and the user is told and shown the other ways to top up.
TEST_F(TransferJourney, SwitchedOffMidFlowTakesNoReceipt) {
  h.text(alice, "600");
  ASSERT_EQ(h.screen_id(alice), "transfer_receipt");
  h.settings.money.manual.details.clear();
  h.telegram->send_photo(alice, media::gradient_png("late receipt"));
  h.pump();
  EXPECT_TRUE(pending(h).empty());
  EXPECT_EQ(admin_photos(), 0u);
  EXPECT_EQ(h.screen_id(alice), "topup");
  bool told = false;
  for (const auto& m : h.telegram->bot_messages(alice.id))
    told = told || contains(m.text, h.t(Lang::ru, "payments.manual.disabled"));
  EXPECT_TRUE(told);
}

TEST(TransferDisabled, NoButtonAndForgedPressesLeadSomewhereSensible) {
  BotHarnessOptions options;
  options.transfer_details.clear();
  BotHarness h(options);
  auto bob = h.user("Bob", "en");
  h.command(bob, "balance");
  h.press(bob, h.t(Lang::en, "menu.topup"));
  ASSERT_EQ(h.screen_id(bob), "topup");
  auto topup = h.screen(bob);
  ASSERT_TRUE(topup);
  for (const auto& row : topup->inline_keyboard)
    for (const auto& b : row) EXPECT_NE(b.text, h.t(Lang::en, "payments.manual.button"));
  auto id = topup->message_id;
  h.press_data(bob, id, *bot::encode_callback("tmt", {}));
  EXPECT_EQ(h.screen_id(bob), "topup");
  h.press_data(bob, id, *bot::encode_callback("tma", {"50000"}));
  EXPECT_EQ(h.screen_id(bob), "topup");
  h.telegram->send_photo(bob, media::gradient_png("not a receipt"));
  h.pump();
  EXPECT_EQ(h.balance(bob).available, 0);
  for (const auto& cb : h.telegram->callback_queries()) EXPECT_TRUE(cb.answered) << cb.data;
}

}  // namespace
}  // namespace kb::test
