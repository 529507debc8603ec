// The conversation state of one user: which screen they are on, the wizard's model, step and
// collected values, files of an album being collected, the message of the current screen. Stored
// as JSON in the `conversations` table (compare-and-set on its version), never only in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kb::bot {

struct ConversationState {
  std::string screen = "main";  // an id of screens/registry.hpp
  std::string list;      // the model list a card was opened from: a format, "popular", "free"
  int page = 0;          // of that list (or of the history)
  std::string model_id;  // card, wizard, confirm
  int step = 0;          // index into the wizard's asked inputs
  nlohmann::json values = nlohmann::json::object();  // catalog::values_to_json form
  std::vector<std::string> pending_media;            // items of an array input collected so far
  std::string album_id;                              // media_group_id of the album being collected
  bool editing = false;  // the step was opened from Edit: go back to the confirm after it
  std::int64_t transfer_amount = 0;  // kopecks of the bank transfer whose receipt is awaited
  std::optional<std::int64_t> screen_message_id;  // the message showing the current screen
  std::int64_t last_update_id = 0;                // the newest update applied

  bool in_wizard() const;  // wizard, edit_step, confirm and the screens after Generate
  // Leaves the wizard: back to the main menu, nothing collected (the message id is kept).
  void reset();
};

std::string state_to_json(const ConversationState& state);
// A missing, empty or unreadable document (an older version, a manual edit) is a fresh state.
ConversationState state_from_json(std::string_view json);

}  // namespace kb::bot
