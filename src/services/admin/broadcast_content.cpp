// Broadcast content: storage form and the request that sends it.
#include "services/admin/broadcast_content.hpp"

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "telegram/text.hpp"

namespace kb::services::admin {
namespace {

bool web_url(std::string_view url) {
  auto scheme_ok = url.starts_with("https://") || url.starts_with("http://");
  return scheme_ok && url.size() > 10 && url.size() <= 2000 &&
         url.find_first_of(" \t\n<>\"") == std::string_view::npos;
}

}  // namespace

std::string content_to_json(const BroadcastContent& c) {
  nlohmann::json j{{"text", c.text}, {"photo", c.photo}};
  if (!c.button_url.empty()) {
    j["button_text"] = c.button_text;
    j["button_url"] = c.button_url;
  }
  return j.dump();
}

std::optional<BroadcastContent> content_from_json(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto str = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  BroadcastContent c{str("text"), str("photo"), str("button_text"), str("button_url")};
  if (c.empty()) return std::nullopt;
  return c;
}

std::optional<std::pair<std::string, std::string>> parse_url_button(std::string_view line) {
  auto bar = line.find('|');
  if (bar == std::string_view::npos) return std::nullopt;
  auto text = trim(line.substr(0, bar));
  auto url = trim(line.substr(bar + 1));
  if (text.empty() || text.size() > 64 || !web_url(url)) return std::nullopt;
  return std::pair{std::string(text), std::string(url)};
}

std::variant<telegram::SendMessage, telegram::SendMedia> broadcast_request(
    const BroadcastContent& c, std::int64_t chat_id) {
  std::optional<telegram::InlineKeyboard> markup;
  if (!c.button_url.empty()) {
    telegram::InlineKeyboard kb;
    kb.row({telegram::InlineButton::link(c.button_text, c.button_url)});
    markup = std::move(kb);
  }
  if (!c.photo.empty()) {
    telegram::SendMedia m;
    m.chat_id = chat_id;
    m.type = telegram::MediaType::photo;
    m.file = telegram::InputFile::by_id_or_url(c.photo);
    m.caption = telegram::escape_html(c.text);
    m.reply_markup = std::move(markup);
    return m;
  }
  telegram::SendMessage m;
  m.chat_id = chat_id;
  m.text = telegram::escape_html(c.text);
  m.reply_markup = std::move(markup);
  return m;
}

}  // namespace kb::services::admin
