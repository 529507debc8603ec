// The crawler: from /start, press every reachable button on every screen (every list page and
// model card, every kind of button on every other screen, Generate on every model), answering
// wizard steps when no button is left. Asserts: every callback answered, every screen has a way
// back, no dead end, no error text, every screen id of the registry reached, no ERROR logged.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "bot/callback_data.hpp"
#include "bot/screens/registry.hpp"
#include "bot/wizard.hpp"
#include "bot_harness.hpp"
#include "catalog/number.hpp"
#include "core/log.hpp"
#include "sandbox/media/sample_media.hpp"

namespace kb::test {
namespace {

struct Action {
  enum class Kind { press, text, photo, video, voice } kind = Kind::press;
  std::string payload;
};
using Path = std::vector<Action>;

class Crawler {
 public:
  Crawler(BotHarness& h, sandbox::tg::User user) : h_(h), user_(std::move(user)) {}

  void run(int max_actions) {
    restart();
    while (actions_ < max_actions) {
      note_screen();
      if (auto next = next_button()) {
        do_action({Action::Kind::press, *next});
        continue;
      }
      if (h_.screen_id(user_) == bot::screen::wizard && progress_wizard()) continue;
      if (queue_.empty()) break;
      auto [screen, data, path] = queue_.front();
      queue_.pop_front();
      if (pressed_.count(key_for(screen, data))) continue;
      restart();
      for (const auto& a : path) do_action(a);
      note_screen();
      pressed_.insert(key_for(h_.screen_id(user_), data));
      do_action({Action::Kind::press, data});
    }
  }

  std::set<std::string> screens_seen;
  std::set<std::string> cards_seen, confirms_seen;  // model ids
  int actions_ = 0;

 private:
  // Buttons that act on the wizard/job are pressed once per kind and screen; navigation buttons
  // (lists, pages, cards, Start of each model) once per payload; Generate once per model.
  static std::string key_for(const std::string& screen, const std::string& data) {
    auto d = bot::decode_callback(data);
    if (!d) return data;
    static const std::set<std::string> per_kind{"wo", "wk", "wd", "wb", "wa", "ce", "cs",
                                                "cf", "jx", "jr", "je", "om", "ls", "tsp"};
    if (per_kind.count(d->action)) return screen + ":" + d->action;
    if (d->action == "cg") return "cg:" + d->arg(0);
    return data;
  }

  void restart() {
    h_.command(user_, "start");
    ++actions_;
    path_.clear();
  }

  void do_action(const Action& a) {
    ++actions_;
    switch (a.kind) {
      case Action::Kind::press: {
        auto s = h_.screen(user_);
        h_.press_data(user_, s ? s->message_id : 1, a.payload);
        break;
      }
      case Action::Kind::text:
        h_.text(user_, a.payload);
        break;
      case Action::Kind::photo:
        h_.telegram->send_photo(user_, media::gradient_png("crawl"));
        h_.pump();
        break;
      case Action::Kind::video:
        h_.telegram->send_video(user_, media::sample_mp4().value_or("video"));
        h_.pump();
        break;
      case Action::Kind::voice:
        h_.telegram->send_voice(user_, media::seeded_tone_wav("crawl"));
        h_.pump();
        break;
    }
    // Screens that do not depend on the state are reached by their button from anywhere: keep
    // replay paths short instead of growing them with every step of the crawl.
    static const std::set<std::string> anywhere{"h",  "f",  "pp", "fr", "m",  "ws", "bal",
                                                "tu", "hi", "rf", "hp", "lg", "om"};
    auto d = a.kind == Action::Kind::press ? bot::decode_callback(a.payload) : std::nullopt;
    if (d && anywhere.count(d->action)) path_.clear();
    path_.push_back(a);
  }

  void note_screen() {
    auto state = h_.state(user_);
    auto id = state.screen;
    screens_seen.insert(id);
    if (id == bot::screen::card) cards_seen.insert(state.model_id);
    if (id == bot::screen::confirm) confirms_seen.insert(state.model_id);
    auto s = h_.screen(user_);
    if (!s) return;
    for (const auto& b : s->buttons()) {
      if (b.callback_data.empty()) continue;
      auto key = key_for(id, b.callback_data);
      if (pressed_.count(key) || queued_.count(key)) continue;
      queued_.insert(key);
      queue_.push_back({id, b.callback_data, path_});
    }
  }

  std::optional<std::string> next_button() {
    auto s = h_.screen(user_);
    if (!s) return std::nullopt;
    auto id = h_.screen_id(user_);
    for (const auto& b : s->buttons()) {
      if (b.callback_data.empty()) continue;
      // Leaving a wizard step (Back, Home) waits in the queue: walk the wizard to the confirm
      // first.
      auto d = bot::decode_callback(b.callback_data);
      if (id == bot::screen::wizard && d && (d->action == "wb" || d->action == "h")) continue;
      auto key = key_for(id, b.callback_data);
      if (pressed_.insert(key).second) return b.callback_data;
    }
    return std::nullopt;
  }

  // No new button on a wizard step: answer it so the crawl reaches the confirm screen.
  bool progress_wizard() {
    auto state = h_.state(user_);
    auto cat = h_.catalog->get();
    const auto* model = cat->find(state.model_id);
    const auto* input = model ? bot::wizard::step_input(*model, state.step) : nullptr;
    auto s = h_.screen(user_);
    if (!input || !s) return false;
    auto press_action = [&](std::string_view action) -> bool {
      for (const auto& b : s->buttons()) {
        auto d = bot::decode_callback(b.callback_data);
        if (d && d->action == action) {
          do_action({Action::Kind::press, b.callback_data});
          return true;
        }
      }
      return false;
    };
    switch (bot::wizard::widget_of(*input)) {
      case bot::wizard::Widget::choice:
      case bot::wizard::Widget::toggle:
        return press_action("wo");
      case bot::wizard::Widget::media:
        if (press_action("wa")) return true;
        if (input->type == catalog::InputType::video)
          do_action({Action::Kind::video, ""});
        else if (input->type == catalog::InputType::audio)
          do_action({Action::Kind::voice, ""});
        else
          do_action({Action::Kind::photo, ""});
        return true;
      case bot::wizard::Widget::number:
        do_action({Action::Kind::text, input->min ? catalog::format_number(*input->min) : "1"});
        return true;
      case bot::wizard::Widget::text:
        do_action({Action::Kind::text, "A red fox in the snow, watercolor"});
        return true;
    }
    return false;
  }

  BotHarness& h_;
  sandbox::tg::User user_;
  Path path_;
  std::set<std::string> pressed_, queued_;
  std::deque<std::tuple<std::string, std::string, Path>> queue_;
};

bool is_main_menu(BotHarness& h, const sandbox::tg::MessageView& m) {
  for (auto lang : {bot::Lang::ru, bot::Lang::en}) {
    auto title = h.t(lang, "menu.title");
    auto first_line = title.substr(0, title.find('\n'));
    // The rendered text has no HTML tags: compare a tag-free fragment.
    auto fragment = first_line.substr(first_line.find("</b>") + 4);
    if (m.text.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(BotCrawler, EveryButtonOnEveryScreenLeadsSomewhere) {
  log::Capture capture;
  BotHarness h;
  auto user = h.user("Crawler", "ru");
  Crawler crawler(h, user);
  crawler.run(4000);

  std::set<std::string> missing;
  // The crawler is not an admin: the admin panel's screens are walked by
  // tests/integration/admin/admin_screens_test.cpp.
  for (auto id : bot::screen::all())
    if (!bot::screen::is_admin_screen(id) && !crawler.screens_seen.count(std::string(id)))
      missing.insert(std::string(id));
  EXPECT_TRUE(missing.empty()) << "screens never reached: " << testing::PrintToString(missing);

  // Every enabled model's card was opened and its wizard walked to the confirm screen.
  auto enabled = h.catalog->get()->enabled_count();
  for (const auto& m : h.catalog->get()->models) {
    if (!m.enabled) continue;
    EXPECT_TRUE(crawler.cards_seen.count(m.id)) << "card never opened: " << m.id;
    EXPECT_TRUE(crawler.confirms_seen.count(m.id)) << "confirm never reached: " << m.id;
  }
  EXPECT_EQ(crawler.cards_seen.size(), enabled);
  for (const auto& cb : h.telegram->callback_queries()) EXPECT_TRUE(cb.answered) << cb.data;
  auto temporary_ru = h.t(bot::Lang::ru, "errors.temporary"),
       temporary_en = h.t(bot::Lang::en, "errors.temporary");
  for (const auto& m : h.telegram->bot_messages(user.id)) {
    EXPECT_EQ(m.text.find(temporary_ru), std::string::npos);
    EXPECT_EQ(m.text.find(temporary_en), std::string::npos);
    if (m.inline_keyboard.empty() || m.kind != "text") continue;
    bool exit = false;
    for (const auto& b : m.buttons()) {
      auto d = bot::decode_callback(b.callback_data);
      ASSERT_TRUE(d) << b.text << " " << b.callback_data;
      if (d->action == "h" || b.text == h.t(bot::Lang::ru, "button.back") ||
          b.text == h.t(bot::Lang::en, "button.back"))
        exit = true;
    }
    if (!is_main_menu(h, m)) {
      EXPECT_TRUE(exit) << "dead end: " << m.text;
    }
  }
  EXPECT_EQ(capture.count(log::Level::error), 0u);
  RecordProperty("actions", crawler.actions_);
  std::cout << "crawler: " << crawler.actions_ << " actions, "
            << h.telegram->callback_queries().size() << " button presses\n";
}

TEST(BotCrawler, StaleAndForgedButtonsLeadToTheMenu) {
  BotHarness h;
  auto user = h.user("Stale", "en");
  h.command(user, "start");
  auto first = h.screen(user);
  ASSERT_TRUE(first);
  h.press(user, h.t(bot::Lang::en, "menu.images"));
  h.press_containing(user, "Z-Image");
  h.press(user, h.t(bot::Lang::en, "card.start"));
  ASSERT_EQ(h.screen_id(user), "wizard");
  // A wizard button of another step, a forged payload, an old version, a button of a vanished
  // message.
  h.press_data(user, first->message_id, "1|wo|z-image|5|0");
  EXPECT_EQ(h.screen_id(user), "wizard");  // back to where the user really is
  h.press_data(user, first->message_id, "1|zz|x");
  EXPECT_EQ(h.screen_id(user), "main");
  h.press_data(user, first->message_id, "0|h");
  EXPECT_EQ(h.screen_id(user), "main");
  h.press_data(user, 999999, "1|m|no-such-model");
  EXPECT_EQ(h.screen_id(user), "main");
  for (const auto& cb : h.telegram->callback_queries()) EXPECT_TRUE(cb.answered) << cb.data;
}

}  // namespace
}  // namespace kb::test
