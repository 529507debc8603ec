// The conversation's decisions, one function per thing the user can do. Each works inside the
// update's transaction (Turn::tx): reads what the screen needs, changes money/jobs through the
// services, sets the next state and adds what to send to Turn::reply. Screens stay pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bot/callback_data.hpp"
#include "bot/conversation/turn.hpp"
#include "bot/screens/screens.hpp"
#include "core/result.hpp"

namespace kb::bot::flows {

// Entry points by update kind.
Result<void> on_message(Turn& turn, const telegram::Message& message);
Result<void> on_callback(Turn& turn, const telegram::CallbackQuery& query);
Result<void> on_pre_checkout(Turn& turn, const telegram::PreCheckoutQuery& query);
Result<void> on_command(Turn& turn, std::string_view command, std::string_view args);

// Navigation.
Result<void> show_list(Turn& turn, std::string_view list, int page);
Result<void> show_card(Turn& turn, const catalog::Model& model, bool as_new = false);
Result<void> show_balance(Turn& turn, bool as_new = false);
Result<void> show_history(Turn& turn, int page, bool as_new = false);
Result<void> show_referral(Turn& turn);
Result<void> show_topup(Turn& turn);
// A button that no longer fits the state (an old message, a forged payload): the closest
// sensible screen with a short note, never an error.
void stale(Turn& turn);

// Wizard.
Result<void> start_wizard(Turn& turn, const catalog::Model& model);
void show_step(Turn& turn, const catalog::Model& model, screens::StepExtras extras, bool as_new);
Result<void> wizard_callback(Turn& turn, const CallbackData& data);
Result<void> wizard_message(Turn& turn, const telegram::Message& message);

// Confirm, generate, repeat, cancel.
Result<void> show_confirm(Turn& turn, const catalog::Model& model, bool as_new = false);
Result<void> generate(Turn& turn, const catalog::Model& model);
Result<void> reuse_job(Turn& turn, std::int64_t job_id, bool edit);
Result<void> cancel_job(Turn& turn, std::optional<std::int64_t> job_id);

// Payments.
Result<void> send_invoice(Turn& turn, int package_index);
Result<void> on_successful_payment(Turn& turn, const telegram::Message& message);
// Bank transfer (transfer_flow.cpp): the amount screen, a preset amount pressed, and what the
// user sends on the amount and receipt screens.
Result<void> show_transfer_amount(Turn& turn);
Result<void> choose_transfer_amount(Turn& turn, const CallbackData& data);
Result<void> transfer_message(Turn& turn, const telegram::Message& message);

// The model a callback names by slug, only when it is in the catalog and enabled.
const catalog::Model* model_by_slug(const Turn& turn, std::string_view slug);
const catalog::Model* state_model(const Turn& turn);

}  // namespace kb::bot::flows
