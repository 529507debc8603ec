// Every screen of every shipped model, in both languages: buttons encode, each screen has a way
// back, the confirm shows the exact price, no text names the provider.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "bot/screens/screens.hpp"
#include "bot/wizard.hpp"
#include "catalog/load.hpp"
#include "catalog/pricing.hpp"

namespace kb::bot {
namespace {

struct Fixture {
  std::shared_ptr<const catalog::Catalog> catalog = catalog::load_catalog({}).catalog;
  Texts texts = *Texts::load("");
  BotSettings settings;
  Fixture() {
    texts.set_globals({{"brand", "Studio"}, {"support", "@help"}});
    settings.money.stars.packages = {{100'00, 70}, {300'00, 200}};
  }
  ScreenContext ctx(Lang lang) const {
    return ScreenContext{texts, lang, *catalog, settings, false};
  }
};

const Fixture& fx() {
  static Fixture f;
  return f;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The checks every screen must pass; `needs_exit` is false only for the main menu.
void check_view(const View& v, const std::string& where, bool needs_exit = true) {
  SCOPED_TRACE(where);
  EXPECT_FALSE(v.text.empty());
  EXPECT_LE(v.text.size(), 4096u * 2);  // bytes; Telegram counts UTF-16 units (4096)
  EXPECT_EQ(lower(v.text).find("kie"), std::string::npos) << v.text;
  EXPECT_TRUE(telegram::validate(v.keyboard)) << where;
  bool exit = false;
  for (const auto& row : v.keyboard.rows) {
    for (const auto& b : row) {
      EXPECT_EQ(lower(b.text).find("kie"), std::string::npos);
      auto data = decode_callback(b.callback_data);
      ASSERT_TRUE(data) << b.text << " " << b.callback_data;
      // An argument that failed to encode falls back to Home: only the Home button may say "h".
      if (data->action == "h") {
        exit = true;
        EXPECT_TRUE(b.text == fx().texts.get(Lang::ru, "button.home") ||
                    b.text == fx().texts.get(Lang::en, "button.home"))
            << "a button that could not encode its payload: " << b.text;
      }
      if (b.text == fx().texts.get(Lang::ru, "button.back") ||
          b.text == fx().texts.get(Lang::en, "button.back"))
        exit = true;
    }
  }
  if (needs_exit) {
    EXPECT_TRUE(exit) << "no Back or Home on " << where;
  }
}

catalog::InputValues sample_values(const catalog::Model& m) {
  catalog::InputValues values;
  for (const auto* input : catalog::asked_inputs(m)) {
    if (!input->required || input->default_value) continue;
    if (catalog::is_media(input->type))
      values[input->name] = catalog::MediaUrls(static_cast<std::size_t>(input->min_items),
                                               "https://example.com/a.png");
    else if (input->type == catalog::InputType::text)
      values[input->name] = std::string("a red fox");
    else if (input->type == catalog::InputType::enumeration)
      values[input->name] = input->values.front();
    else if (input->type == catalog::InputType::boolean)
      values[input->name] = true;
    else if (input->min)
      values[input->name] = *input->min;
  }
  return values;
}

TEST(Screens, MenusListsAndAccountScreensHaveAWayBack) {
  for (auto lang : {Lang::ru, Lang::en}) {
    auto c = fx().ctx(lang);
    check_view(screens::main_menu(c, "note"), "main", false);
    for (std::string_view list : {"image", "video", "audio", "tools", "popular", "free"})
      for (int page : {0, 1, 5}) check_view(screens::model_list(c, list, page), std::string(list));
    check_view(screens::balance(c, {500'00, 100'00}, {}), "balance");
    check_view(screens::topup(c), "topup");
    check_view(screens::transfer_amount(c, "note"), "transfer_amount");
    check_view(screens::transfer_details(c, 500'00), "transfer_receipt");
    check_view(screens::history(c, {}, 0, false), "history");
    check_view(screens::help(c), "help");
    check_view(screens::language(c), "language");
    services::ReferralScreenData r;
    r.link = "https://t.me/bot?start=ref_1";
    check_view(screens::referral(c, r), "referral");
  }
}

TEST(Screens, ModelListsArePaginatedAndNameThePrice) {
  auto c = fx().ctx(Lang::ru);
  auto images = screens::list_models(*fx().catalog, "image");
  ASSERT_GT(images.size(), static_cast<std::size_t>(fx().settings.page_size));
  auto first = screens::model_list(c, "image", 0);
  auto second = screens::model_list(c, "image", 1);
  EXPECT_NE(first.text, second.text);
  // Page buttons: "next" on the first page, "previous" on the last.
  auto has = [](const View& v, const std::string& text) {
    for (const auto& row : v.keyboard.rows)
      for (const auto& b : row)
        if (b.text == text) return true;
    return false;
  };
  EXPECT_TRUE(has(first, c.t("models.next")));
  EXPECT_FALSE(has(first, c.t("models.prev")));
  EXPECT_TRUE(has(second, c.t("models.prev")));
  auto free = screens::model_list(c, "free", 0);
  EXPECT_NE(free.text.find(c.t("models.price_free")), std::string::npos);
}

TEST(Screens, EveryModelCardStepAndConfirm) {
  for (auto lang : {Lang::ru, Lang::en}) {
    auto c = fx().ctx(lang);
    for (const auto& m : fx().catalog->models) {
      check_view(screens::model_card(c, m, "", 0), m.id + " card");
      auto values = sample_values(m);
      for (int step = 0; step < wizard::step_count(m); ++step) {
        check_view(screens::wizard_step(c, m, step, {}, {}),
                   m.id + " step " + std::to_string(step));
        screens::StepExtras extras;
        extras.received = 1;
        extras.note = "x";
        extras.editing = true;
        check_view(screens::wizard_step(c, m, step, values, extras),
                   m.id + " step (editing) " + std::to_string(step));
      }
      check_view(screens::edit_step_choice(c, m, values), m.id + " edit");
      auto price = catalog::price_of(m, values);
      ASSERT_TRUE(price) << m.id;
      screens::Quote q;
      q.price = *price;
      q.balance = {1000'00, 0};
      auto view = screens::confirm(c, m, values, q);
      check_view(view, m.id + " confirm");
      EXPECT_NE(view.text.find(rub(*price)), std::string::npos) << m.id << "\n" << view.text;
      check_view(screens::no_funds(c, m, *price, {0, 0}), m.id + " no funds");
      check_view(screens::too_many(c, m, 2), m.id + " too many");
      store::Job job;
      job.id = 7;
      job.price_kopecks = *price;
      check_view(screens::started(c, m, job), m.id + " started");
    }
  }
}

TEST(Screens, EnumButtonsShowThePriceWhenTheOptionChangesIt) {
  auto c = fx().ctx(Lang::ru);
  for (const auto& m : fx().catalog->models) {
    if (m.free) continue;
    for (int step = 0; step < wizard::step_count(m); ++step) {
      const auto* input = wizard::step_input(m, step);
      if (input->type != catalog::InputType::enumeration || !catalog::affects_price(m, input->name))
        continue;
      auto view = screens::wizard_step(c, m, step, {}, {});
      auto with = catalog::InputValues{{input->name, input->values.front()}};
      auto price = catalog::price_of(m, with);
      ASSERT_TRUE(price);
      EXPECT_NE(view.keyboard.rows.front().front().text.find(rub(*price)), std::string::npos)
          << m.id;
      return;  // one model is enough to pin the rule; every screen is checked above
    }
  }
  FAIL() << "no paid model with a price-changing enum";
}

TEST(Screens, FreeConfirmSaysHowManyAreLeft) {
  auto c = fx().ctx(Lang::en);
  const auto* m = fx().catalog->find("z-image");
  screens::Quote q;
  q.funding = domain::Funding::daily_free;
  q.free_left_after = 3;
  q.daily_limit = 5;
  auto view = screens::confirm(c, *m, {{"prompt", std::string("x")}}, q);
  EXPECT_NE(view.text.find("3 of 5"), std::string::npos) << view.text;
}

}  // namespace
}  // namespace kb::bot
