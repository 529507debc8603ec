// Wizard step rules.
#include "bot/wizard.hpp"

#include "bot/screens/registry.hpp"

namespace kb::bot::wizard {

Widget widget_of(const catalog::Input& input) {
  using T = catalog::InputType;
  switch (input.type) {
    case T::enumeration:
      return Widget::choice;
    case T::boolean:
      return Widget::toggle;
    case T::integer:
    case T::number:
      return Widget::number;
    case T::image:
    case T::video:
    case T::audio:
      return Widget::media;
    case T::text:
      break;
  }
  return Widget::text;
}

int step_count(const catalog::Model& model) {
  return static_cast<int>(catalog::asked_inputs(model).size());
}

const catalog::Input* step_input(const catalog::Model& model, int step) {
  auto steps = catalog::asked_inputs(model);
  if (step < 0 || step >= static_cast<int>(steps.size())) return nullptr;
  return steps[static_cast<std::size_t>(step)];
}

int step_of(const catalog::Model& model, std::string_view input_name) {
  auto steps = catalog::asked_inputs(model);
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i]->name == input_name) return static_cast<int>(i);
  return -1;
}

catalog::InputValues values(const catalog::Model& model, const ConversationState& state) {
  catalog::InputValues out;
  if (!state.values.is_object()) return out;
  for (const auto& [name, value] : state.values.items()) {
    auto one = catalog::values_from_json(model, nlohmann::json{{name, value}});
    if (!one) continue;
    for (auto& [k, v] : *one) {
      const auto* input = model.input(k);
      if (input && !wizard::check_value(*input, v)) out.emplace(k, std::move(v));
    }
  }
  return out;
}

std::optional<catalog::InputError> check_value(const catalog::Input& input,
                                               const catalog::InputValue& value) {
  if (!catalog::is_media(input.type)) return catalog::check_value(input, value);
  const auto* urls = std::get_if<catalog::MediaUrls>(&value);
  if (!urls) return catalog::InputError{catalog::InputErrorCode::wrong_kind, {}};
  if (urls->empty()) return catalog::InputError{catalog::InputErrorCode::empty, {}};
  std::int64_t max = input.array ? input.max_items : 1;
  std::int64_t min = input.array ? input.min_items : 1;
  auto count = static_cast<std::int64_t>(urls->size());
  if (count > max)
    return catalog::InputError{catalog::InputErrorCode::too_many_files,
                               {{"max", std::to_string(max)}, {"count", std::to_string(count)}}};
  if (count < min)
    return catalog::InputError{catalog::InputErrorCode::too_few_files,
                               {{"min", std::to_string(min)}, {"count", std::to_string(count)}}};
  return std::nullopt;
}

void put_value(ConversationState& state, const catalog::Input& input,
               const catalog::InputValue& value) {
  if (!state.values.is_object()) state.values = nlohmann::json::object();
  auto j = catalog::values_to_json({{input.name, value}});
  state.values[input.name] = j[input.name];
}

void drop_value(ConversationState& state, std::string_view name) {
  if (state.values.is_object()) state.values.erase(std::string(name));
}

void begin(ConversationState& state, const catalog::Model& model,
           const catalog::InputValues& prefilled) {
  state.screen = std::string(screen::wizard);
  state.model_id = model.id;
  state.step = 0;
  state.values = catalog::values_to_json(prefilled);
  state.pending_media.clear();
  state.album_id.clear();
  state.editing = false;
}

void to_confirm(ConversationState& state) {
  state.screen = std::string(screen::confirm);
  state.pending_media.clear();
  state.album_id.clear();
  state.editing = false;
}

void edit(ConversationState& state, int step) {
  state.screen = std::string(screen::wizard);
  state.step = step;
  state.pending_media.clear();
  state.album_id.clear();
  state.editing = true;
}

bool advance(ConversationState& state, const catalog::Model& model) {
  state.pending_media.clear();
  state.album_id.clear();
  if (state.editing || state.step + 1 >= step_count(model)) {
    to_confirm(state);
    return true;
  }
  ++state.step;
  state.screen = std::string(screen::wizard);
  return false;
}

bool back(ConversationState& state, int step) {
  state.pending_media.clear();
  state.album_id.clear();
  if (step <= 0) return false;
  state.step = step - 1;
  state.screen = std::string(screen::wizard);
  state.editing = false;
  return true;
}

bool is_current(const catalog::Input& input, const catalog::InputValues& values,
                const catalog::InputValue& value) {
  if (auto it = values.find(input.name); it != values.end()) return it->second == value;
  return input.default_value && *input.default_value == value;
}

}  // namespace kb::bot::wizard
