// Inline-button payloads: short, versioned, validated (Telegram allows 1-64 bytes). A stale or
// forged payload decodes to nothing and the caller shows a sensible screen instead of an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::bot {

// The version prefix changes when the meaning of payloads changes; old buttons then decode to
// nothing and lead to the main menu with a short note.
inline constexpr std::string_view kCallbackVersion = "1";

struct CallbackData {
  std::string action;              // [a-z]{1,4}
  std::vector<std::string> args;   // each [A-Za-z0-9_.-]{0,40}

  std::string arg(std::size_t i) const { return i < args.size() ? args[i] : std::string(); }
  std::optional<std::int64_t> int_arg(std::size_t i) const;
};

// "1|act|arg|arg". Returns nothing when the result would be invalid or longer than 64 bytes.
std::optional<std::string> encode_callback(std::string_view action, const std::vector<std::string>& args = {});
std::optional<CallbackData> decode_callback(std::string_view data);

// Actions shared by several screens.
namespace actions {
inline constexpr std::string_view home = "h";           // main menu
inline constexpr std::string_view job_retry = "jr";     // job id: same inputs, a fresh confirm
inline constexpr std::string_view job_edit = "je";      // job id: wizard prefilled with its inputs
inline constexpr std::string_view job_cancel = "jx";    // job id
inline constexpr std::string_view other_model = "om";   // model id's format: the model list
}  // namespace actions

}  // namespace kb::bot
