// Callback actions of the conversation's own buttons ("1|<action>|<args>", callback_data.hpp).
// Shared ones (home, job retry/edit/cancel, other model) live in callback_data.hpp; money ones in
// services/billing/money_views.hpp. Arguments identify what the button was drawn for (model slug,
// step), so a button from an old message is recognised as stale instead of acting on new state.
#pragma once

#include <string_view>

namespace kb::bot::act {

inline constexpr std::string_view models = "f";         // format, page
inline constexpr std::string_view popular = "pp";       // page
inline constexpr std::string_view free = "fr";          // page
inline constexpr std::string_view card = "m";           // slug
inline constexpr std::string_view start_wizard = "ws";  // slug
inline constexpr std::string_view option = "wo";        // slug, step, value index
inline constexpr std::string_view skip = "wk";          // slug, step
inline constexpr std::string_view use_default = "wd";   // slug, step
inline constexpr std::string_view done = "wa";          // slug, step: end of an album/file list
inline constexpr std::string_view step_back = "wb";     // slug, step: back from this step
inline constexpr std::string_view generate = "cg";      // slug
inline constexpr std::string_view edit = "ce";          // slug: choose the step to change
inline constexpr std::string_view edit_step = "cs";     // slug, step
inline constexpr std::string_view show_confirm = "cf";  // slug: back to the confirm screen
inline constexpr std::string_view balance = "bal";
inline constexpr std::string_view topup = "tu";
inline constexpr std::string_view history = "hi";  // page
inline constexpr std::string_view referral = "rf";
inline constexpr std::string_view help = "hp";
inline constexpr std::string_view language = "lg";
inline constexpr std::string_view set_language = "ls";  // ru | en

}  // namespace kb::bot::act
