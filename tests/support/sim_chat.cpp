// Screens, buttons and wizard moves of a simulated user in the fake Bot API.
#include "support/sim_chat.hpp"

#include <algorithm>

namespace kb::test {

std::optional<ButtonRef> find_button(const sandbox::FakeTelegram& telegram, const SimChat& chat,
                                     const std::string& text, bool containing) {
  auto messages = telegram.bot_messages(chat.user.id);
  for (auto m = messages.rbegin(); m != messages.rend() && m->message_id > chat.min_message_id; ++m)
    for (const auto& b : m->buttons()) {
      bool match = containing ? b.text.find(text) != std::string::npos : b.text == text;
      if (match && !b.callback_data.empty() &&
          !chat.pressed.count({m->message_id, b.callback_data}))
        return ButtonRef{m->message_id, b.callback_data};
    }
  return std::nullopt;
}

bool press_once(sandbox::FakeTelegram& telegram, SimChat& chat, const std::string& text,
                bool containing) {
  auto b = find_button(telegram, chat, text, containing);
  if (!b) return false;
  chat.pressed.insert(*b);
  telegram.press_button(chat.user, b->first, b->second);
  return true;
}

bool bot_said(const sandbox::FakeTelegram& telegram, const SimChat& chat,
              const std::string& fragment, bool current_only) {
  for (const auto& m : telegram.bot_messages(chat.user.id))
    if ((!current_only || m.message_id > chat.min_message_id) &&
        m.text.find(fragment) != std::string::npos)
      return true;
  return false;
}

void forget_screens(const sandbox::FakeTelegram& telegram, SimChat& chat) {
  for (const auto& m : telegram.messages(chat.user.id))
    chat.min_message_id = std::max(chat.min_message_id, m.message_id);
  chat.answered_screen.reset();
}

WizardMove wizard_move(sandbox::FakeTelegram& telegram, const bot::Texts& texts, SimChat& chat) {
  auto en = [&](std::string_view key) { return texts.get(bot::Lang::en, key); };
  WizardMove move;
  if (const auto& answered = chat.answered_screen) {
    auto screen = telegram.message(chat.user.id, answered->first);
    auto newest = telegram.last_bot_message(chat.user.id);
    if (screen && screen->text == answered->second &&
        !(newest && newest->message_id > answered->first))
      return move;
    chat.answered_screen.reset();
  }
  move.generate = find_button(telegram, chat, en("confirm.generate"));
  if (move.generate) {
    chat.pressed.insert(*move.generate);
    return move;
  }
  auto answer = find_button(telegram, chat, en("wizard.use_default_short"), true);
  if (!answer) answer = find_button(telegram, chat, en("wizard.skip"));
  if (answer) {
    auto screen = telegram.message(chat.user.id, answer->first);
    chat.answered_screen = {answer->first, screen ? screen->text : std::string()};
    chat.pressed.insert(*answer);
    telegram.press_button(chat.user, answer->first, answer->second);
    move.answered = true;
  }
  return move;
}

std::optional<std::string> broadcast_via_panel(sandbox::FakeTelegram& telegram,
                                               const bot::Texts& texts, SimChat& admin,
                                               const std::string& text,
                                               std::chrono::milliseconds step_timeout) {
  auto en = [&](std::string_view key) { return texts.get(bot::Lang::en, key); };
  auto press = [&](std::string_view key) {
    return telegram.wait_until([&] { return press_once(telegram, admin, en(key)); }, step_timeout);
  };
  telegram.send_command(admin.user, "admin");
  if (!press("admin.broadcast_button")) return "the admin panel with its broadcast button";
  if (!telegram.wait_until(
          [&] { return bot_said(telegram, admin, en("admin.broadcast.prompt"), true); },
          step_timeout))
    return "the broadcast prompt";
  telegram.send_text(admin.user, text);
  if (!press("admin.broadcast.send")) return "the broadcast preview with its Send button";
  return std::nullopt;
}

}  // namespace kb::test
