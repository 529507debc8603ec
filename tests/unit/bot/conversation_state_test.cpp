// Conversation state JSON and the wizard's step rules on the shipped catalog.
#include <gtest/gtest.h>

#include "bot/screens/registry.hpp"
#include "bot/state.hpp"
#include "bot/wizard.hpp"
#include "catalog/load.hpp"

namespace kb::bot {
namespace {

std::shared_ptr<const catalog::Catalog> shipped() {
  static auto loaded = catalog::load_catalog({});
  EXPECT_TRUE(loaded.ok());
  return loaded.catalog;
}

TEST(ConversationState, RoundTripsEveryField) {
  ConversationState s;
  s.screen = "wizard";
  s.list = "image";
  s.page = 2;
  s.model_id = "z-image";
  s.step = 1;
  s.values = {{"prompt", "кот"}};
  s.pending_media = {"kbmedia:1", "kbmedia:2"};
  s.album_id = "album-7";
  s.editing = true;
  s.screen_message_id = 42;
  s.last_update_id = 1001;
  s.transfer_amount = 1500'00;
  auto back = state_from_json(state_to_json(s));
  EXPECT_EQ(back.transfer_amount, 1500'00);
  EXPECT_EQ(back.screen, "wizard");
  EXPECT_EQ(back.list, "image");
  EXPECT_EQ(back.page, 2);
  EXPECT_EQ(back.model_id, "z-image");
  EXPECT_EQ(back.step, 1);
  EXPECT_EQ(back.values, s.values);
  EXPECT_EQ(back.pending_media, s.pending_media);
  EXPECT_EQ(back.album_id, "album-7");
  EXPECT_TRUE(back.editing);
  EXPECT_EQ(back.screen_message_id, 42);
  EXPECT_EQ(back.last_update_id, 1001);
}

TEST(ConversationState, UnreadableDocumentsAreAFreshState) {
  for (std::string_view text :
       {"", "not json", "[1,2]", R"({"v":99,"screen":"confirm"})", R"({"v":1,"step":"x"})"}) {
    auto s = state_from_json(text);
    EXPECT_EQ(s.screen, "main") << text;
    EXPECT_EQ(s.step, 0) << text;
  }
}

TEST(ConversationState, ResetKeepsTheScreenMessageAndLastUpdate) {
  ConversationState s;
  s.screen = "confirm";
  s.model_id = "z-image";
  s.values = {{"prompt", "x"}};
  s.screen_message_id = 5;
  s.last_update_id = 9;
  EXPECT_TRUE(s.in_wizard());
  s.reset();
  EXPECT_EQ(s.screen, "main");
  EXPECT_TRUE(s.model_id.empty());
  EXPECT_TRUE(s.values.empty());
  EXPECT_EQ(s.screen_message_id, 5);
  EXPECT_EQ(s.last_update_id, 9);
  EXPECT_FALSE(s.in_wizard());
}

TEST(ScreenRegistry, IdsAreUniqueAndKnown) {
  std::set<std::string_view> ids(screen::all().begin(), screen::all().end());
  EXPECT_EQ(ids.size(), screen::all().size());
  EXPECT_TRUE(screen::known("confirm"));
  EXPECT_FALSE(screen::known("nope"));
}

TEST(Wizard, WalksTheAskedInputsInCatalogOrderThenConfirms) {
  auto cat = shipped();
  const auto* model = cat->find("z-image");
  ASSERT_NE(model, nullptr);
  ConversationState s;
  wizard::begin(s, *model);
  EXPECT_EQ(s.screen, "wizard");
  EXPECT_EQ(s.model_id, "z-image");
  ASSERT_EQ(wizard::step_count(*model), 2);
  EXPECT_EQ(wizard::step_input(*model, 0)->name, "prompt");
  EXPECT_EQ(wizard::step_input(*model, 2), nullptr);
  wizard::put_value(s, *wizard::step_input(*model, 0), catalog::InputValue(std::string("кот")));
  EXPECT_FALSE(wizard::advance(s, *model));
  EXPECT_EQ(s.step, 1);
  wizard::put_value(s, *wizard::step_input(*model, 1), catalog::InputValue(std::string("16:9")));
  EXPECT_TRUE(wizard::advance(s, *model));
  EXPECT_EQ(s.screen, "confirm");
  auto values = wizard::values(*model, s);
  EXPECT_EQ(std::get<std::string>(values.at("prompt")), "кот");
  EXPECT_EQ(std::get<std::string>(values.at("aspect_ratio")), "16:9");
}

TEST(Wizard, BackGoesToThePreviousStepAndEditReturnsToConfirm) {
  auto cat = shipped();
  const auto* model = cat->find("z-image");
  ConversationState s;
  wizard::begin(s, *model);
  EXPECT_FALSE(wizard::back(s, 0));  // the first step: the model card comes next
  s.step = 1;
  EXPECT_TRUE(wizard::back(s, 1));
  EXPECT_EQ(s.step, 0);
  wizard::edit(s, 0);
  EXPECT_TRUE(s.editing);
  EXPECT_TRUE(wizard::advance(s, *model));  // one edited step, then the confirm again
  EXPECT_EQ(s.screen, "confirm");
  EXPECT_FALSE(s.editing);
}

TEST(Wizard, ValuesTheModelNoLongerAcceptsAreDropped) {
  auto cat = shipped();
  const auto* model = cat->find("z-image");
  ConversationState s;
  s.values = {{"prompt", "ok"}, {"aspect_ratio", "7:3"}, {"no_such_input", "x"}};
  auto values = wizard::values(*model, s);
  EXPECT_EQ(values.size(), 1u);
  EXPECT_TRUE(values.count("prompt"));
}

TEST(Wizard, CurrentChoiceIsTheValueOrTheDefault) {
  auto cat = shipped();
  const auto* model = cat->find("z-image");
  const auto* ratio = model->input("aspect_ratio");
  catalog::InputValues none;
  EXPECT_TRUE(wizard::is_current(*ratio, none, catalog::InputValue(std::string("1:1"))));
  catalog::InputValues chosen{{"aspect_ratio", std::string("16:9")}};
  EXPECT_FALSE(wizard::is_current(*ratio, chosen, catalog::InputValue(std::string("1:1"))));
  EXPECT_TRUE(wizard::is_current(*ratio, chosen, catalog::InputValue(std::string("16:9"))));
}

TEST(Wizard, EveryShippedModelHasAWidgetForEveryStep) {
  auto cat = shipped();
  for (const auto& m : cat->models) {
    for (int i = 0; i < wizard::step_count(m); ++i) {
      const auto* input = wizard::step_input(m, i);
      ASSERT_NE(input, nullptr) << m.id;
      EXPECT_FALSE(input->hidden) << m.id;
      EXPECT_EQ(wizard::step_of(m, input->name), i);
    }
  }
}

}  // namespace
}  // namespace kb::bot
