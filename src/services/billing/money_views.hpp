// The localized look of money flows (texts from data/locales/*/payments.yaml, buttons with
// versioned callback data), as typed Bot API requests the caller puts into the outbox. The money
// functions decide; these only render, so the conversation and admin screens show the same words.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/i18n.hpp"
#include "services/billing/manual.hpp"
#include "services/billing/stars.hpp"
#include "services/billing/stars_refund.hpp"
#include "store/repos/users.hpp"
#include "telegram/keyboard.hpp"
#include "telegram/requests.hpp"

namespace kb::services {

// Callback actions of money buttons ("1|<action>|<args>", bot/callback_data.hpp). The conversation
// routes the user's ones; the manual_* admin ones go to handle_manual_admin_callback().
namespace money_actions {
inline constexpr std::string_view stars_package = "tsp";         // package index: send the invoice
inline constexpr std::string_view manual_start = "tmt";          // open the bank-transfer screen
inline constexpr std::string_view manual_amount = "tma";         // kopecks: a preset amount
inline constexpr std::string_view manual_approve = "tpa";        // request id
inline constexpr std::string_view manual_reject = "tpr";         // request id: show the reasons
inline constexpr std::string_view manual_reject_reason = "tpx";  // request id, reason code
inline constexpr std::string_view manual_back = "tpb";           // request id: Approve/Reject again
inline constexpr std::string_view stars_refund = "tsr";          // user id, stars_payments row id
}  // namespace money_actions

// The user's language: chosen in the bot, else Telegram's language_code.
bot::Lang user_lang(const store::User& user);

// ---- Stars --------------------------------------------------------------------------------------

// One button per package ("500 ₽ — 350 ⭐"), one per row, data `tsp|<index>`.
std::vector<telegram::InlineButton> stars_package_buttons(const bot::Texts& texts, bot::Lang lang,
                                                          const StarsSettings& settings);
InvoiceTexts invoice_texts(const bot::Texts& texts, bot::Lang lang, const StarsPackage& package);
// The message Telegram shows when a pre-checkout is refused (plain text).
std::string checkout_refusal_text(const bot::Texts& texts, bot::Lang lang,
                                  const CheckoutVerdict& verdict);
// What the payer is told after a successful_payment (nothing for a duplicate: it was said).
std::optional<std::string> stars_credit_text(const bot::Texts& texts, bot::Lang lang,
                                             const StarsCredit& credit);
// The admin's explanation of a refund outcome.
std::string refund_outcome_text(const bot::Texts& texts, bot::Lang lang,
                                const RefundOutcome& outcome);
// An admin's "Refund N ⭐" button for a payment (data `tsr|<user>|<row id>`).
std::optional<telegram::InlineButton> refund_button(const bot::Texts& texts, bot::Lang lang,
                                                    const store::StarsPayment& payment);

// ---- Manual transfers ---------------------------------------------------------------------------

std::string manual_amount_prompt(const bot::Texts& texts, bot::Lang lang,
                                 const ManualTopupSettings& settings);
// The preset amounts, data `tma|<kopecks>`, two per row.
std::vector<std::vector<telegram::InlineButton>> manual_amount_rows(
    const bot::Texts& texts, bot::Lang lang, const ManualTopupSettings& settings);
std::string manual_amount_error_text(const bot::Texts& texts, bot::Lang lang,
                                     const ManualTopupSettings& settings,
                                     domain::AmountError error);
// The transfer details for the chosen amount; the user then sends the receipt.
std::string manual_details_text(const bot::Texts& texts, bot::Lang lang,
                                const ManualTopupSettings& settings, Kopecks amount);
std::string manual_submitted_text(const bot::Texts& texts, bot::Lang lang,
                                  const ManualSubmitted& submitted);

// The request as each admin receives it: the receipt (photo or document) with a caption and the
// Approve / Reject buttons.
telegram::SendMedia manual_admin_notice(const bot::Texts& texts, bot::Lang lang,
                                        std::int64_t admin_chat_id,
                                        const store::ManualTopup& request,
                                        const std::optional<store::User>& requester);
telegram::InlineKeyboard manual_decision_keyboard(const bot::Texts& texts, bot::Lang lang,
                                                  const store::ManualTopup& request);
telegram::InlineKeyboard manual_reason_keyboard(const bot::Texts& texts, bot::Lang lang,
                                                std::int64_t request_id);
// What the requester is told about the decision (approved or rejected with the reason).
telegram::SendMessage manual_user_notice(const bot::Texts& texts, bot::Lang lang,
                                         const ManualDecision& decision);

}  // namespace kb::services
