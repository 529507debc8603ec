// Rate limits, banned users, unexpected input and commands: short friendly answers, never errors.
#include <gtest/gtest.h>

#include "bot_harness.hpp"
#include "core/log.hpp"

namespace kb::test {
namespace {

using bot::Lang;

TEST(BotLimits, TooManyActionsGetAFriendlyWaitAndNoErrorLine) {
  log::Capture capture;
  BotHarnessOptions o;
  o.rate_limits = true;
  o.rate = {3, 1};  // a burst of 3, then one per minute
  BotHarness h(o);
  auto u = h.user("Quick", "en");
  h.command(u, "start");
  auto menu = h.screen(u);
  ASSERT_TRUE(menu);
  auto help = menu->callback_data_of(h.t(Lang::en, "menu.help"));
  ASSERT_TRUE(help);
  for (int i = 0; i < 4; ++i) h.press_data(u, menu->message_id, *help);
  auto presses = h.telegram->callback_queries();
  ASSERT_EQ(presses.size(), 4u);
  for (const auto& cb : presses) EXPECT_TRUE(cb.answered);
  EXPECT_TRUE(presses.back().show_alert);
  EXPECT_NE(presses.back().answer_text.find("Wait"), std::string::npos) << presses.back().answer_text;
  h.text(u, "hello?");
  EXPECT_NE(h.last(u)->text.find("Wait"), std::string::npos) << h.last(u)->text;
  EXPECT_EQ(capture.count(log::Level::error), 0u);
  // The bucket refills with time.
  h.clock.advance(std::chrono::minutes(2));
  h.command(u, "help");
  EXPECT_EQ(h.screen_id(u), "help");
}

TEST(BotLimits, ABannedUserGetsOneShortNoticeAndNothingElse) {
  BotHarness h;
  auto u = h.user("Ban", "ru");
  h.command(u, "start");
  h.db->transact_blocking<bool>([&](store::Tx& tx) { return tx.users().set_banned(u.id, true, 0); });
  auto before = h.telegram->bot_messages(u.id).size();
  h.command(u, "start");
  auto after = h.telegram->bot_messages(u.id);
  ASSERT_EQ(after.size(), before + 1);
  EXPECT_NE(after.back().text.find("ограничен"), std::string::npos) << after.back().text;
  EXPECT_TRUE(after.back().inline_keyboard.empty());
}

TEST(BotLimits, UnexpectedInputAndCommandsGetHelpfulAnswers) {
  BotHarness h;
  auto u = h.user("Odd", "en");
  h.text(u, "hello there");
  EXPECT_EQ(h.screen_id(u), "main");
  EXPECT_NE(h.last(u)->text.find(h.t(Lang::en, "errors.text_unexpected")), std::string::npos);
  h.command(u, "nonsense");
  EXPECT_NE(h.last(u)->text.find(h.t(Lang::en, "errors.unknown_command")), std::string::npos);
  h.command(u, "admin");  // not an admin: like any unknown command
  EXPECT_NE(h.last(u)->text.find(h.t(Lang::en, "errors.unknown_command")), std::string::npos);
  h.command(u, "balance");
  EXPECT_EQ(h.screen_id(u), "balance");
  h.command(u, "history");
  EXPECT_EQ(h.screen_id(u), "history");
  h.command(u, "cancel");
  EXPECT_NE(h.last(u)->text.find(h.t(Lang::en, "job.nothing_to_cancel")), std::string::npos) << h.last(u)->text;
  h.command(u, "paysupport");
  EXPECT_NE(h.last(u)->text.find("@studio_help"), std::string::npos) << h.last(u)->text;
  auto sent = h.telegram->send_text(u, "original");
  ASSERT_TRUE(h.telegram->edit_text(u, sent.message_id, "edited"));
  h.pump();
  EXPECT_EQ(h.last(u)->text, h.t(Lang::en, "errors.edited"));
}

TEST(BotLimits, LanguageSwitchChangesTheTexts) {
  BotHarness h;
  auto u = h.user("Lang", "ru");
  h.command(u, "start");
  h.press(u, h.t(Lang::ru, "menu.language"));
  EXPECT_EQ(h.screen_id(u), "language");
  h.press_containing(u, "English");
  EXPECT_EQ(h.screen_id(u), "main");
  EXPECT_NE(h.screen(u)->text.find("Choose a section"), std::string::npos) << h.screen(u)->text;
  h.press(u, h.t(Lang::en, "menu.balance"));
  EXPECT_EQ(h.screen_id(u), "balance");
  EXPECT_NE(h.screen(u)->text.find("Balance"), std::string::npos);
}

}  // namespace
}  // namespace kb::test
