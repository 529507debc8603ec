// Inline keyboards: builder types for outgoing messages, also what an incoming message's
// reply_markup parses into. Pure (no I/O).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace kb::telegram {

inline constexpr std::size_t kMaxCallbackDataBytes = 64;

// One button. Exactly one action is set: callback_data, url, copy_text, web_app_url or pay.
struct InlineButton {
  std::string text{};
  std::string callback_data{};
  std::string url{};
  std::string copy_text{};
  std::string web_app_url{};
  bool pay = false;

  static InlineButton callback(std::string text, std::string data);
  static InlineButton link(std::string text, std::string url);
  static InlineButton copy(std::string text, std::string copy_text);
  static InlineButton pay_button(std::string text);

  bool operator==(const InlineButton&) const = default;
};

struct InlineKeyboard {
  std::vector<std::vector<InlineButton>> rows{};

  // Appends a row (empty rows are dropped when serialized).
  InlineKeyboard& row(std::initializer_list<InlineButton> buttons);
  InlineKeyboard& row(std::vector<InlineButton> buttons);
  // Appends a button to the last row (starting one when there is none).
  InlineKeyboard& add(InlineButton button);
  bool empty() const;
  std::size_t button_count() const;

  bool operator==(const InlineKeyboard&) const = default;
};

// Catches our own mistakes before Telegram does (it would answer 400 BUTTON_DATA_INVALID):
// empty texts, callback_data outside 1-64 bytes, buttons with no or several actions, a pay
// button that is not the first one.
Result<void> validate(const InlineKeyboard& keyboard);

// {"inline_keyboard": [[{"text": …, "callback_data": …}, …], …]}
nlohmann::json to_json(const InlineKeyboard& keyboard);

}  // namespace kb::telegram
