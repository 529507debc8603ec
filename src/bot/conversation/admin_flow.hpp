// The admin panel inside the conversation: /admin, the admin buttons and the typed input of the
// admin prompts. Every entry re-checks Turn::is_admin (ADMIN_IDS or the admin role, computed for
// each update); anyone else gets exactly what a forged or unknown button/command gets.
#pragma once

#include <string_view>

#include "bot/callback_data.hpp"
#include "bot/conversation/turn.hpp"
#include "core/result.hpp"

namespace kb::bot::flows::admin {

// /admin (the caller answers non-admins like any unknown command).
Result<void> show_home(Turn& turn, bool as_new);
// Whether the callback is the admin panel's (admin_act::*, or the Stars refund button).
bool handles(std::string_view action);
Result<void> on_callback(Turn& turn, const CallbackData& data);
// Typed input while an admin prompt is the current screen (screen::is_admin_screen).
Result<void> on_message(Turn& turn, const telegram::Message& message);

}  // namespace kb::bot::flows::admin
