// The wizard: button answers (options, Skip, Use default, Done, Back, Edit), typed answers and
// files, with a precise explanation when an answer does not fit (the user stays on the step).
#include <fmt/format.h>

#include "bot/actions.hpp"
#include "bot/conversation/flows.hpp"
#include "bot/screens/registry.hpp"
#include "bot/wizard.hpp"
#include "catalog/input_check.hpp"
#include "services/media/media_input.hpp"

namespace kb::bot::flows {
namespace {

std::string mb(std::int64_t bytes) {
  return std::to_string((bytes + 1024 * 1024 - 1) / (1024 * 1024));
}

std::int64_t step_limit_mb(const Turn& turn, const catalog::Input& input) {
  return turn.settings.telegram_local_mode ? input.max_mb
                                           : std::min<std::int64_t>(input.max_mb, 20);
}

std::string input_error_text(const Turn& turn, const catalog::InputError& e) {
  std::string key = "errors.input." + std::string(catalog::input_error_code_name(e.code));
  if (e.code == catalog::InputErrorCode::out_of_range) {
    if (e.param("min").empty())
      key += "_max";
    else if (e.param("max").empty())
      key += "_min";
  }
  TextParams params(e.params.begin(), e.params.end());
  return turn.t(key, params);
}

std::string rejection_text(const Turn& turn, const catalog::Input& input,
                           const telegram::MediaRejection& r) {
  auto reason = turn.t("errors.media." + std::string(telegram::reject_reason_name(r.reason)),
                       {{"size", mb(r.size_bytes)}, {"limit", mb(r.limit_bytes)}});
  auto expect =
      turn.t("errors.media.expect." + std::string(telegram::media_category_name(r.expected)),
             {{"mb", std::to_string(step_limit_mb(turn, input))}});
  return reason + " " + expect;
}

// The callback belongs to the step on screen: same model, same step, still in the wizard.
const catalog::Model* step_model(const Turn& turn, const CallbackData& d) {
  const auto* model = model_by_slug(turn, d.arg(0));
  if (!model || turn.state.model_id != model->id || turn.state.screen != screen::wizard)
    return nullptr;
  if (d.int_arg(1) != turn.state.step) return nullptr;
  return model;
}

// The callback belongs to this wizard's confirm/edit screens.
const catalog::Model* wizard_model(const Turn& turn, const CallbackData& d) {
  const auto* model = model_by_slug(turn, d.arg(0));
  if (!model || turn.state.model_id != model->id || !turn.state.in_wizard()) return nullptr;
  return model;
}

// Shows where the user really is: the current step or confirm, else the main menu.
Result<void> resume(Turn& turn) {
  const auto* model = state_model(turn);
  turn.answer(turn.t("errors.stale"));
  if (model && turn.state.screen == screen::wizard) {
    show_step(turn, *model, {}, false);
    return {};
  }
  if (model && turn.state.in_wizard()) return show_confirm(turn, *model);
  turn.main_menu(turn.t("errors.stale"));
  return {};
}

Result<void> accept(Turn& turn, const catalog::Model& model, const catalog::Input& input,
                    const catalog::InputValue& value, bool as_new) {
  wizard::put_value(turn.state, input, value);
  if (wizard::advance(turn.state, model)) return show_confirm(turn, model, as_new);
  show_step(turn, model, {}, as_new);
  return {};
}

Result<void> accept_media_list(Turn& turn, const catalog::Model& model, const catalog::Input& input,
                               bool as_new) {
  catalog::InputValue value = turn.state.pending_media;
  if (auto error = wizard::check_value(input, value)) {
    screens::StepExtras extras;
    extras.note = input_error_text(turn, *error);
    show_step(turn, model, extras, as_new);
    return {};
  }
  return accept(turn, model, input, value, as_new);
}

Result<void> media_answer(Turn& turn, const catalog::Model& model, const catalog::Input& input,
                          const telegram::Message& message) {
  auto outcome = KB_TRY(services::take_media_input(turn.tx, message, input,
                                                   turn.settings.telegram_local_mode, turn.now));
  if (const auto* rejected = std::get_if<telegram::MediaRejection>(&outcome)) {
    screens::StepExtras extras;
    extras.note = rejection_text(turn, input, *rejected);
    show_step(turn, model, extras, true);
    return {};
  }
  auto& accepted = std::get<services::AcceptedMediaInput>(outcome);
  if (!(input.array && input.max_items > 1)) {
    turn.state.pending_media = accepted.values;
    return accept_media_list(turn, model, input, true);
  }
  bool same_album =
      !message.media_group_id.empty() && message.media_group_id == turn.state.album_id;
  for (auto& v : accepted.values)
    if (static_cast<std::int64_t>(turn.state.pending_media.size()) < input.max_items)
      turn.state.pending_media.push_back(std::move(v));
  turn.state.album_id = message.media_group_id;
  if (static_cast<std::int64_t>(turn.state.pending_media.size()) >= input.max_items)
    return accept_media_list(turn, model, input, true);
  screens::StepExtras extras;
  extras.received = turn.state.pending_media.size();
  extras.editing = turn.state.editing;
  auto view = screens::wizard_step(turn.ctx(), model, turn.state.step,
                                   wizard::values(model, turn.state), extras);
  // Album items arrive one update each: update the one "N received" message instead of
  // answering every photo; when its id is not known yet the Done button still counts them all.
  if (!same_album)
    turn.show_new(screen::wizard, std::move(view));
  else if (turn.state.screen_message_id)
    turn.reply.screen(std::move(view), turn.state.screen_message_id);
  return {};
}

}  // namespace

Result<void> start_wizard(Turn& turn, const catalog::Model& model) {
  wizard::begin(turn.state, model);
  if (wizard::step_count(model) == 0) return show_confirm(turn, model);
  show_step(turn, model, {}, false);
  return {};
}

void show_step(Turn& turn, const catalog::Model& model, screens::StepExtras extras, bool as_new) {
  extras.editing = turn.state.editing;
  if (extras.received == 0) extras.received = turn.state.pending_media.size();
  auto view = screens::wizard_step(turn.ctx(), model, turn.state.step,
                                   wizard::values(model, turn.state), extras);
  if (as_new)
    turn.show_new(screen::wizard, std::move(view));
  else
    turn.show(screen::wizard, std::move(view));
}

Result<void> wizard_callback(Turn& turn, const CallbackData& d) {
  const auto& a = d.action;
  if (a == act::option || a == act::skip || a == act::use_default || a == act::done ||
      a == act::step_back) {
    const auto* model = step_model(turn, d);
    if (!model) return resume(turn);
    const auto* input = wizard::step_input(*model, turn.state.step);
    if (!input) return resume(turn);
    if (a == act::step_back) {
      if (!wizard::back(turn.state, turn.state.step)) return show_card(turn, *model);
      show_step(turn, *model, {}, false);
      return {};
    }
    if (a == act::skip) {
      if (!catalog::can_skip(*input)) return resume(turn);
      wizard::drop_value(turn.state, input->name);
      if (wizard::advance(turn.state, *model)) return show_confirm(turn, *model);
      show_step(turn, *model, {}, false);
      return {};
    }
    if (a == act::use_default) {
      if (!input->default_value) return resume(turn);
      return accept(turn, *model, *input, *input->default_value, false);
    }
    if (a == act::done) {
      if (turn.state.pending_media.empty()) return resume(turn);
      return accept_media_list(turn, *model, *input, false);
    }
    // An option: an enum value index, or 1/0 for a boolean.
    auto index = d.int_arg(2);
    if (!index) return resume(turn);
    if (input->type == catalog::InputType::boolean)
      return accept(turn, *model, *input, *index == 1, false);
    if (input->type != catalog::InputType::enumeration || *index < 0 ||
        *index >= static_cast<std::int64_t>(input->values.size()))
      return resume(turn);
    auto check = catalog::choose_option(*input, input->values[static_cast<std::size_t>(*index)]);
    if (!check.ok()) return resume(turn);
    return accept(turn, *model, *input, check.value(), false);
  }
  const auto* model = wizard_model(turn, d);
  if (!model) return resume(turn);
  if (a == act::show_confirm) return show_confirm(turn, *model);
  if (a == act::edit) {
    turn.show(screen::edit_step,
              screens::edit_step_choice(turn.ctx(), *model, wizard::values(*model, turn.state)));
    return {};
  }
  if (a == act::edit_step) {
    auto step = d.int_arg(1);
    if (!step || !wizard::step_input(*model, static_cast<int>(*step))) return resume(turn);
    wizard::edit(turn.state, static_cast<int>(*step));
    show_step(turn, *model, {}, false);
    return {};
  }
  if (a == act::generate) {
    if (turn.state.screen != screen::confirm) return resume(turn);
    return generate(turn, *model);
  }
  return resume(turn);
}

Result<void> wizard_message(Turn& turn, const telegram::Message& message) {
  const auto* model = state_model(turn);
  const auto* input = model ? wizard::step_input(*model, turn.state.step) : nullptr;
  if (!model || !input) {
    turn.main_menu(turn.t("errors.model_unavailable"), true);
    return {};
  }
  if (wizard::widget_of(*input) == wizard::Widget::media)
    return media_answer(turn, *model, *input, message);
  const auto& text = message.text_or_caption();
  auto check = catalog::parse_answer(*input, text);
  if (!check.ok()) {
    screens::StepExtras extras;
    extras.note = input_error_text(turn, check.error());
    show_step(turn, *model, extras, true);
    return {};
  }
  return accept(turn, *model, *input, check.value(), true);
}

}  // namespace kb::bot::flows
