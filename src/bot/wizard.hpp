// The wizard's step logic, pure: which input a step asks, how an answer, Skip, "Use default" or
// Back move the state, which values the state holds for a model. Screens render; the conversation
// decides; this keeps the rules in one place (catalog order, hidden inputs skipped).
#pragma once

#include <string_view>

#include "bot/state.hpp"
#include "catalog/input_check.hpp"
#include "catalog/model.hpp"

namespace kb::bot::wizard {

enum class Widget { text, number, choice, toggle, media };
Widget widget_of(const catalog::Input& input);

int step_count(const catalog::Model& model);
// The input asked at `step`; nullptr outside the steps.
const catalog::Input* step_input(const catalog::Model& model, int step);
int step_of(const catalog::Model& model, std::string_view input_name);  // -1 when not asked

// The stored values that still fit the model (a value the catalog no longer accepts is dropped).
catalog::InputValues values(const catalog::Model& model, const ConversationState& state);
void put_value(ConversationState& state, const catalog::Input& input,
               const catalog::InputValue& value);
void drop_value(ConversationState& state, std::string_view name);

// Opens the wizard at its first step with `prefilled` values (Repeat / Edit of a job).
void begin(ConversationState& state, const catalog::Model& model,
           const catalog::InputValues& prefilled = {});
// Shows the confirm screen for the state's values.
void to_confirm(ConversationState& state);
// Opens one step to change it; after it the confirm screen comes back.
void edit(ConversationState& state, int step);
// The current step was answered or skipped: the next step, or the confirm after the last one or
// when a single step was being edited. Returns true when the confirm screen is next.
bool advance(ConversationState& state, const catalog::Model& model);
// Back from `step`: the previous step; false when `step` is the first (the model card is next).
bool back(ConversationState& state, int step);

// catalog::check_value, except that media values are the wizard's own references
// ("kbmedia:<id>", resolved to URLs only at submission) or links: only their count is checked.
std::optional<catalog::InputError> check_value(const catalog::Input& input,
                                               const catalog::InputValue& value);

// Whether an enum/boolean value is the one currently chosen (or, unset, the default).
bool is_current(const catalog::Input& input, const catalog::InputValues& values,
                const catalog::InputValue& value);

}  // namespace kb::bot::wizard
