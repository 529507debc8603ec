// Callback actions of the admin panel ("1|<action>|<args>"). Every one of them re-checks that the
// presser is an admin (ADMIN_IDS or the admin role) before anything is read or changed; anyone
// else is treated like a forged button (the main menu, nothing revealed).
#pragma once

#include <string_view>

namespace kb::bot::admin_act {

inline constexpr std::string_view home = "ad";
inline constexpr std::string_view stats = "as";            // period: d | w | m
inline constexpr std::string_view find_user = "au";        // ask for an id or @username
inline constexpr std::string_view user = "auv";            // user id: the user card
inline constexpr std::string_view adjust = "aua";          // user id: ask for amount and reason
inline constexpr std::string_view ban = "aub";             // user id
inline constexpr std::string_view unban = "auu";           // user id
inline constexpr std::string_view payments = "ap";         // the manual approval queue
inline constexpr std::string_view refund = "apr";          // ask for a Stars charge id
inline constexpr std::string_view models = "am";           // page
inline constexpr std::string_view toggle_enabled = "amt";  // model ref, page
inline constexpr std::string_view toggle_free = "amf";     // model ref, page
inline constexpr std::string_view free_limit = "aml";      // ask for the free daily limit
inline constexpr std::string_view compose = "ab";          // ask for the broadcast content
inline constexpr std::string_view add_button = "abb";      // ask for a URL button
inline constexpr std::string_view send = "abs";            // confirm: queue the broadcast
inline constexpr std::string_view discard = "abx";         // drop the draft

// Whether `action` belongs to the admin panel (so the non-admin check applies).
bool is_admin_action(std::string_view action);

}  // namespace kb::bot::admin_act
