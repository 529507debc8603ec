#include "bot/i18n.hpp"

#include <gtest/gtest.h>

#include "core/log.hpp"

namespace kb::bot {
namespace {

TEST(I18n, LooksUpNestedKeysWithPlaceholdersAndFallsBackToRussian) {
  auto t = Texts::parse("menu:\n  title: \"Привет, {name}! {brand}\"\n  only_ru: Только\n",
                        "menu:\n  title: \"Hi, {name}! {brand}\"\n");
  ASSERT_TRUE(t) << t.error().message;
  t->set_globals({{"brand", "Studio"}});
  EXPECT_EQ(t->get(Lang::ru, "menu.title", {{"name", "Аня"}}), "Привет, Аня! Studio");
  EXPECT_EQ(t->get(Lang::en, "menu.title", {{"name", "Ann"}}), "Hi, Ann! Studio");
  log::Capture capture;
  EXPECT_EQ(t->get(Lang::en, "menu.only_ru"), "Только");
  EXPECT_EQ(t->get(Lang::en, "menu.only_ru"), "Только");
  EXPECT_EQ(capture.count(log::Level::warn), 1u);  // one WARN per key, not per lookup
  EXPECT_EQ(t->get(Lang::ru, "no.such.key"), "no.such.key");
  EXPECT_EQ(t->missing_in_en(), std::vector<std::string>{"menu.only_ru"});
}

TEST(I18n, BrokenFilesAreErrorsNotCrashes) {
  EXPECT_FALSE(Texts::parse("a: [1, 2", "a: b"));
  EXPECT_FALSE(Texts::parse("- just\n- a list\n", "a: b"));
  EXPECT_FALSE(Texts::parse("a:\n  - x\n", "a: b"));
}

TEST(I18n, LanguageFromTelegramCode) {
  EXPECT_EQ(lang_from_code("ru"), Lang::ru);
  EXPECT_EQ(lang_from_code("uk"), Lang::ru);
  EXPECT_EQ(lang_from_code("en-US"), Lang::en);
  EXPECT_EQ(lang_from_code("de"), Lang::en);
  EXPECT_EQ(lang_from_code(""), Lang::ru);
}

TEST(I18n, SubstituteLeavesUnknownPlaceholders) {
  EXPECT_EQ(substitute("{a} {b} {", {{"a", "1"}}), "1 {b} {");
}

}  // namespace
}  // namespace kb::bot
