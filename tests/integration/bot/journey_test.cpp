// End-to-end journeys from /start to a delivered result through the fake Bot API, the durable
// pipeline (intake → dispatcher → conversation → outbox) and the jobs runner with the fake
// provider.
#include <gtest/gtest.h>

#include "bot_harness.hpp"
#include "core/log.hpp"
#include "sandbox/media/png_encoder.hpp"

namespace kb::test {
namespace {

using bot::Lang;

void expect_every_callback_answered(BotHarness& h) {
  for (const auto& cb : h.telegram->callback_queries()) EXPECT_TRUE(cb.answered) << cb.data;
}

bool has_kind(BotHarness& h, const sandbox::tg::User& u, std::string_view kind) {
  for (const auto& m : h.telegram->bot_messages(u.id))
    if (m.kind == kind) return true;
  return false;
}

// The text-to-image journey every user takes first, on a free model, in Russian.
TEST(BotJourney, TextToImageFromStartToDeliveredResult) {
  log::Capture capture;
  BotHarness h;
  auto alice = h.user("Alice", "ru");
  h.command(alice, "start");
  ASSERT_TRUE(h.screen(alice));
  EXPECT_EQ(h.screen_id(alice), "main");
  EXPECT_NE(h.screen(alice)->text.find("Studio"), std::string::npos);

  h.press(alice, h.t(Lang::ru, "menu.images"));
  EXPECT_EQ(h.screen_id(alice), "models");
  h.press_containing(alice, "Z-Image");
  EXPECT_EQ(h.screen_id(alice), "card");
  h.press(alice, h.t(Lang::ru, "card.start"));
  EXPECT_EQ(h.screen_id(alice), "wizard");
  EXPECT_EQ(h.state(alice).step, 0);

  h.text(alice, "Кот в космосе, акварель");
  EXPECT_EQ(h.state(alice).step, 1);
  h.press_containing(alice, "16:9");
  EXPECT_EQ(h.screen_id(alice), "confirm");
  auto confirm = h.screen(alice);
  ASSERT_TRUE(confirm);
  EXPECT_NE(confirm->text.find("Кот в космосе"), std::string::npos) << confirm->text;
  EXPECT_NE(confirm->text.find("4 из 5"), std::string::npos) << confirm->text;

  h.press(alice, h.t(Lang::ru, "confirm.generate"));
  EXPECT_EQ(h.screen_id(alice), "started");
  auto jobs = h.jobs(alice);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_TRUE(jobs[0].is_free);
  EXPECT_EQ(jobs[0].model_id, "z-image");

  ASSERT_TRUE(h.deliver_latest(alice));
  EXPECT_TRUE(has_kind(h, alice, "photo") || has_kind(h, alice, "document"));
  auto tasks = h.kie->tasks();
  ASSERT_EQ(tasks.size(), 1u);
  expect_every_callback_answered(h);
  EXPECT_EQ(capture.count(log::Level::error), 0u);
  for (const auto& line : capture.lines())
    if (line.find("ERROR") != std::string::npos || line.find("level=error") != std::string::npos)
      ADD_FAILURE() << line;
}

TEST(BotJourney, PaidModelWithoutMoneyOffersATopUp) {
  BotHarness h;
  auto bob = h.user("Bob", "en");
  h.command(bob, "start", "m-google-imagen4-ultra");
  ASSERT_EQ(h.screen_id(bob), "card");
  h.press(bob, h.t(Lang::en, "card.start"));
  h.text(bob, "A lighthouse in a storm");
  // Remaining steps: take the defaults until the confirm screen.
  for (int i = 0; i < 10 && h.screen_id(bob) == "wizard"; ++i) {
    auto s = h.screen(bob);
    ASSERT_TRUE(s);
    bool pressed = false;
    for (const auto& b : s->buttons()) {
      if (b.text.rfind(h.t(Lang::en, "wizard.use_default_short"), 0) == 0 ||
          b.text == h.t(Lang::en, "wizard.skip")) {
        h.press_data(bob, s->message_id, b.callback_data);
        pressed = true;
        break;
      }
    }
    ASSERT_TRUE(pressed) << s->text;
  }
  ASSERT_EQ(h.screen_id(bob), "confirm");
  EXPECT_NE(h.screen(bob)->text.find(h.t(Lang::en, "confirm.not_enough", {{"balance", "0 ₽"}})),
            std::string::npos)
      << h.screen(bob)->text;
  h.press(bob, h.t(Lang::en, "confirm.generate"));
  EXPECT_EQ(h.screen_id(bob), "no_funds");
  EXPECT_TRUE(h.jobs(bob).empty());
  h.press(bob, h.t(Lang::en, "menu.topup"));
  EXPECT_EQ(h.screen_id(bob), "topup");
  h.press_containing(bob, "⭐");
  auto invoice = h.telegram->last_invoice(bob.id);
  ASSERT_TRUE(invoice);
  EXPECT_EQ(invoice->currency, "XTR");
  auto paid = h.telegram->pay(bob, *invoice);
  ASSERT_TRUE(paid);
  h.pump();
  auto payment = h.telegram->payment(paid->pre_checkout_query_id);
  ASSERT_TRUE(payment);
  EXPECT_EQ(payment->state, sandbox::tg::PaymentState::paid);
  EXPECT_EQ(h.balance(bob).available, 100'00);
  expect_every_callback_answered(h);
}

}  // namespace
}  // namespace kb::test
