// A simulated user's side of the chat with the bot through the fake Bot API (what they see, the
// buttons they tap once, the wizard and the admin panel's broadcast), shared by the tests and the
// benchmarks that drive the real binary.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "bot/i18n.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"

namespace kb::test {

struct SimChat {
  sandbox::tg::User user;
  std::set<std::pair<std::int64_t, std::string>> pressed;  // (message_id, callback_data)
  // Screens up to this message id belong to an earlier (finished or abandoned) attempt.
  std::int64_t min_message_id = 0;
  // A wizard step answered on this message while it showed this text: the next move waits for
  // the bot to change the screen (a person does not tap the buttons of a screen being replaced).
  std::optional<std::pair<std::int64_t, std::string>> answered_screen;
};

// (message_id, callback_data) of a button.
using ButtonRef = std::pair<std::int64_t, std::string>;

// The newest bot message after min_message_id with a button (text equal to, or containing,
// `text`) whose (message, data) the user has not pressed yet.
std::optional<ButtonRef> find_button(const sandbox::FakeTelegram& telegram, const SimChat& chat,
                                     const std::string& text, bool containing = false);
// Presses that button once (remembered in `pressed`); false when there is none.
bool press_once(sandbox::FakeTelegram& telegram, SimChat& chat, const std::string& text,
                bool containing = false);
// A bot message containing `fragment` (with current_only: one after min_message_id).
bool bot_said(const sandbox::FakeTelegram& telegram, const SimChat& chat,
              const std::string& fragment, bool current_only = false);
// Every message so far belongs to an earlier attempt from now on (a new journey, or a user who
// starts over).
void forget_screens(const sandbox::FakeTelegram& telegram, SimChat& chat);

// One move on the generation wizard (English texts), once the bot has changed the screen of the
// previous answer: the Generate button of the confirm screen when it is shown (returned unpressed
// and remembered, so the caller may tap it twice); otherwise the current step is answered with
// its default or Skip when it shows one.
struct WizardMove {
  std::optional<ButtonRef> generate;
  bool answered = false;  // a step's default or Skip was pressed
};
WizardMove wizard_move(sandbox::FakeTelegram& telegram, const bot::Texts& texts, SimChat& chat);

// The admin opens /admin, composes `text` as a broadcast and confirms it, each step as soon as
// the bot's screen allows (English texts). nullopt when confirmed, else the step that did not
// come within `step_timeout`.
std::optional<std::string> broadcast_via_panel(
    sandbox::FakeTelegram& telegram, const bot::Texts& texts, SimChat& admin,
    const std::string& text, std::chrono::milliseconds step_timeout = std::chrono::seconds(10));

}  // namespace kb::test
