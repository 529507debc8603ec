// Conversation state (de)serialization.
#include "bot/state.hpp"

namespace kb::bot {

bool ConversationState::in_wizard() const {
  return screen == "wizard" || screen == "edit_step" || screen == "confirm" ||
         screen == "no_funds" || screen == "too_many";
}

void ConversationState::reset() {
  auto message = screen_message_id;
  auto last = last_update_id;
  *this = ConversationState{};
  screen_message_id = message;
  last_update_id = last;
}

std::string state_to_json(const ConversationState& s) {
  nlohmann::json j{{"v", 1},
                   {"screen", s.screen},
                   {"list", s.list},
                   {"page", s.page},
                   {"model", s.model_id},
                   {"step", s.step},
                   {"values", s.values},
                   {"editing", s.editing},
                   {"last_update", s.last_update_id}};
  if (!s.pending_media.empty()) j["pending"] = s.pending_media;
  if (!s.album_id.empty()) j["album"] = s.album_id;
  if (s.screen_message_id) j["message"] = *s.screen_message_id;
  if (s.transfer_amount > 0) j["transfer"] = s.transfer_amount;
  return j.dump();
}

ConversationState state_from_json(std::string_view text) {
  ConversationState s;
  if (text.empty()) return s;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || j.value("v", 0) != 1) return s;
  try {
    s.screen = j.value("screen", std::string("main"));
    s.list = j.value("list", std::string());
    s.page = j.value("page", 0);
    s.model_id = j.value("model", std::string());
    s.step = j.value("step", 0);
    if (auto it = j.find("values"); it != j.end() && it->is_object()) s.values = *it;
    if (auto it = j.find("pending"); it != j.end() && it->is_array())
      for (const auto& item : *it)
        if (item.is_string()) s.pending_media.push_back(item.get<std::string>());
    s.album_id = j.value("album", std::string());
    s.editing = j.value("editing", false);
    if (auto it = j.find("message"); it != j.end() && it->is_number_integer())
      s.screen_message_id = it->get<std::int64_t>();
    s.last_update_id = j.value("last_update", std::int64_t{0});
    s.transfer_amount = j.value("transfer", std::int64_t{0});
  } catch (const nlohmann::json::exception&) {
    return ConversationState{};
  }
  return s;
}

}  // namespace kb::bot
