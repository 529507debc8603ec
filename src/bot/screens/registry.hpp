// The ids of every screen the conversation can show. The state stores the current one; the crawler
// test checks that each of them is reachable by pressing buttons from /start.
#pragma once

#include <string_view>
#include <vector>

namespace kb::bot::screen {

inline constexpr std::string_view main = "main";
inline constexpr std::string_view models = "models";  // one format's model list
inline constexpr std::string_view popular = "popular";
inline constexpr std::string_view free = "free";
inline constexpr std::string_view card = "card";            // a model card
inline constexpr std::string_view wizard = "wizard";        // one input step
inline constexpr std::string_view edit_step = "edit_step";  // choose the step to change
inline constexpr std::string_view confirm = "confirm";
inline constexpr std::string_view no_funds = "no_funds";  // a top-up offer after Generate
inline constexpr std::string_view too_many = "too_many";  // the per-user concurrency limit
inline constexpr std::string_view started = "started";    // the generation was accepted
inline constexpr std::string_view balance = "balance";
inline constexpr std::string_view topup = "topup";
inline constexpr std::string_view transfer_amount = "transfer_amount";  // typed or preset amount
inline constexpr std::string_view transfer_receipt =
    "transfer_receipt";  // details; awaits a receipt
inline constexpr std::string_view history = "history";
inline constexpr std::string_view referral = "referral";
inline constexpr std::string_view help = "help";
inline constexpr std::string_view language = "language";

// The admin panel (screens/admin.hpp): only admins reach these.
inline constexpr std::string_view admin = "admin";
inline constexpr std::string_view admin_stats = "admin_stats";
inline constexpr std::string_view admin_find = "admin_find";      // typed: id or @username
inline constexpr std::string_view admin_user = "admin_user";      // a user card
inline constexpr std::string_view admin_adjust = "admin_adjust";  // typed: amount and reason
inline constexpr std::string_view admin_payments = "admin_payments";
inline constexpr std::string_view admin_refund = "admin_refund";  // typed: a charge id
inline constexpr std::string_view admin_models = "admin_models";
inline constexpr std::string_view admin_limit = "admin_limit";      // typed: free daily limit
inline constexpr std::string_view admin_compose = "admin_compose";  // typed/photo: the content
inline constexpr std::string_view admin_button = "admin_button";    // typed: a URL button
inline constexpr std::string_view admin_preview = "admin_preview";  // the broadcast confirm

// Every id above.
const std::vector<std::string_view>& all();
bool known(std::string_view id);
// The admin panel's ids (a subset of all()).
const std::vector<std::string_view>& admin_only();
bool is_admin_screen(std::string_view id);

}  // namespace kb::bot::screen
