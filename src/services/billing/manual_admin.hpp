// The admin side of manual transfers: the notices every admin receives for a new request, and the
// presses on their Approve / Reject / reason buttons. Works inside the caller's transaction and
// returns typed Bot API requests for the caller's outbox (callback answer first).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/callback_data.hpp"
#include "bot/i18n.hpp"
#include "core/result.hpp"
#include "services/billing/manual.hpp"
#include "store/tx.hpp"
#include "telegram/requests.hpp"

namespace kb::services {

// One notice per admin (in the admin's language): the receipt with the request and the buttons.
Result<std::vector<telegram::SendMedia>> manual_admin_notices(store::Tx& tx, const bot::Texts& texts,
                                                              const ManualSubmitted& submitted);

struct AdminPress {
  std::int64_t admin_id = 0;
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;  // the request message carrying the button; 0 when inaccessible
  bot::CallbackData data;
};

struct AdminPressEffects {
  bool handled = false;         // false: not a manual-transfer action (route it elsewhere)
  std::string callback_answer;  // for answerCallbackQuery (≤ 200 characters)
  bool alert = false;
  std::optional<telegram::EditMessageReplyMarkup> edit;  // the request message's new buttons
  std::vector<telegram::SendMessage> messages;           // to the admin and to the requester
  std::optional<ManualDecision> decision;                // approve / reject presses
};

// Actions tpa (approve), tpr (show reasons), tpx (reject with a reason), tpb (back). A decided
// request loses its buttons and the presser learns who decided it; a non-admin gets "admins only".
Result<AdminPressEffects> handle_manual_admin_press(store::Tx& tx, const bot::Texts& texts,
                                                    const ManualTopupSettings& settings,
                                                    const ReferralSettings& referral,
                                                    const AdminPress& press, std::int64_t now);

}  // namespace kb::services
