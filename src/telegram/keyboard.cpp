// Inline keyboard construction, validation and serialization.
#include "telegram/keyboard.hpp"

#include <fmt/format.h>

namespace kb::telegram {

InlineButton InlineButton::callback(std::string text, std::string data) {
  InlineButton b;
  b.text = std::move(text);
  b.callback_data = std::move(data);
  return b;
}

InlineButton InlineButton::link(std::string text, std::string url) {
  InlineButton b;
  b.text = std::move(text);
  b.url = std::move(url);
  return b;
}

InlineButton InlineButton::copy(std::string text, std::string copy_text) {
  InlineButton b;
  b.text = std::move(text);
  b.copy_text = std::move(copy_text);
  return b;
}

InlineButton InlineButton::pay_button(std::string text) {
  InlineButton b;
  b.text = std::move(text);
  b.pay = true;
  return b;
}

InlineKeyboard& InlineKeyboard::row(std::initializer_list<InlineButton> buttons) {
  rows.emplace_back(buttons);
  return *this;
}

InlineKeyboard& InlineKeyboard::row(std::vector<InlineButton> buttons) {
  rows.push_back(std::move(buttons));
  return *this;
}

InlineKeyboard& InlineKeyboard::add(InlineButton button) {
  if (rows.empty()) rows.emplace_back();
  rows.back().push_back(std::move(button));
  return *this;
}

bool InlineKeyboard::empty() const {
  return button_count() == 0;
}

std::size_t InlineKeyboard::button_count() const {
  std::size_t n = 0;
  for (const auto& r : rows) n += r.size();
  return n;
}

Result<void> validate(const InlineKeyboard& keyboard) {
  std::size_t index = 0;
  for (std::size_t r = 0; r < keyboard.rows.size(); ++r) {
    for (std::size_t c = 0; c < keyboard.rows[r].size(); ++c, ++index) {
      const auto& b = keyboard.rows[r][c];
      auto where = fmt::format("button [{}][{}]", r, c);
      if (b.text.empty()) return fail(Errc::internal, where + ": empty text");
      int actions = !b.callback_data.empty() + !b.url.empty() + !b.copy_text.empty() +
                    !b.web_app_url.empty() + (b.pay ? 1 : 0);
      if (actions != 1)
        return fail(Errc::internal,
                    fmt::format("{}: {} actions (exactly one expected)", where, actions));
      if (b.callback_data.size() > kMaxCallbackDataBytes)
        return fail(Errc::internal, fmt::format("{}: callback_data is {} bytes (max {})", where,
                                                b.callback_data.size(), kMaxCallbackDataBytes));
      if (b.pay && index != 0)
        return fail(Errc::internal, where + ": a pay button must be the first button");
    }
  }
  return {};
}

nlohmann::json to_json(const InlineKeyboard& keyboard) {
  auto rows = nlohmann::json::array();
  for (const auto& r : keyboard.rows) {
    if (r.empty()) continue;
    auto row = nlohmann::json::array();
    for (const auto& b : r) {
      nlohmann::json button = {{"text", b.text}};
      if (!b.callback_data.empty()) button["callback_data"] = b.callback_data;
      if (!b.url.empty()) button["url"] = b.url;
      if (!b.copy_text.empty()) button["copy_text"] = {{"text", b.copy_text}};
      if (!b.web_app_url.empty()) button["web_app"] = {{"url", b.web_app_url}};
      if (b.pay) button["pay"] = true;
      row.push_back(std::move(button));
    }
    rows.push_back(std::move(row));
  }
  return {{"inline_keyboard", std::move(rows)}};
}

}  // namespace kb::telegram
