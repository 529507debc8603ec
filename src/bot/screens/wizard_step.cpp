// One wizard step: what is asked, how to answer it, the choices as buttons, Skip / Use default,
// Back and Home.
#include <fmt/format.h>

#include "bot/actions.hpp"
#include "bot/screens/screens.hpp"
#include "bot/wizard.hpp"
#include "catalog/pricing.hpp"
#include "catalog/utf8.hpp"

namespace kb::bot::screens {
namespace {

std::string option_caption(const ScreenContext& c, const catalog::Input& input,
                           std::string_view value) {
  if (const auto* label = input.value_label(value)) return c.in(*label);
  return std::string(value);
}

std::string media_kind_key(const catalog::Input& input) {
  switch (input.type) {
    case catalog::InputType::video:
      return "video";
    case catalog::InputType::audio:
      return "audio";
    default:
      return "image";
  }
}

std::string how_to_answer(const ScreenContext& c, const catalog::Model& model,
                          const catalog::Input& input, const StepExtras& extras) {
  switch (wizard::widget_of(input)) {
    case wizard::Widget::choice:
      return c.t("wizard.ask.choice");
    case wizard::Widget::toggle:
      return c.t("wizard.ask.toggle");
    case wizard::Widget::number: {
      auto min = input.min ? catalog::format_number(*input.min) : std::string();
      auto max = input.max ? catalog::format_number(*input.max) : std::string();
      if (!min.empty() && !max.empty())
        return c.t("wizard.ask.number_range", {{"min", min}, {"max", max}});
      return c.t("wizard.ask.number");
    }
    case wizard::Widget::media: {
      std::string limit = std::to_string(std::min<std::int64_t>(input.max_mb, 20));
      if (c.settings.telegram_local_mode) limit = std::to_string(input.max_mb);
      auto text = c.t("wizard.ask.media_" + media_kind_key(input), {{"mb", limit}});
      if (input.array && input.max_items > 1) {
        text += "\n" + c.t("wizard.ask.media_many", {{"max", std::to_string(input.max_items)}});
        if (extras.received > 0)
          text += "\n" + c.t("wizard.received", {{"count", std::to_string(extras.received)}});
      }
      return text;
    }
    case wizard::Widget::text:
      break;
  }
  (void)model;
  if (input.max_length)
    return c.t("wizard.ask.text_max", {{"max", std::to_string(*input.max_length)}});
  return c.t("wizard.ask.text");
}

}  // namespace

std::string describe_value(const ScreenContext& c, const catalog::Input& input,
                           const catalog::InputValue& value) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string>) {
          if (input.type == catalog::InputType::enumeration)
            return escape(option_caption(c, input, v));
          std::string_view shown = catalog::first_code_points(v, 300);
          return escape(shown) + (shown.size() < v.size() ? "…" : "");
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<V, catalog::Number>) {
          return catalog::format_number(v);
        } else if constexpr (std::is_same_v<V, bool>) {
          return c.t(v ? "wizard.yes" : "wizard.no");
        } else {
          return c.t("wizard.files", {{"count", std::to_string(v.size())}});
        }
      },
      value);
}

View wizard_step(const ScreenContext& c, const catalog::Model& model, int step,
                 const catalog::InputValues& values, const StepExtras& extras) {
  View v;
  const auto* input = wizard::step_input(model, step);
  if (!input) return v;
  if (!extras.note.empty()) v.text = "⚠️ " + extras.note + "\n\n";
  v.text += c.t("wizard.header", {{"model", escape(c.in(model.title))},
                                  {"step", std::to_string(step + 1)},
                                  {"steps", std::to_string(wizard::step_count(model))}});
  v.text += "\n\n<b>" + escape(c.in(input->label)) + "</b>";
  if (!input->required) v.text += " " + c.t("wizard.optional");
  if (input->hint) v.text += "\n" + escape(c.in(*input->hint));
  v.text += "\n\n" + how_to_answer(c, model, *input, extras);
  if (auto it = values.find(input->name); it != values.end() &&
                                          wizard::widget_of(*input) != wizard::Widget::choice &&
                                          wizard::widget_of(*input) != wizard::Widget::toggle)
    v.text += "\n" + c.t("wizard.current", {{"value", describe_value(c, *input, it->second)}});

  auto slug = model_ref(model);
  auto step_arg = std::to_string(step);
  if (input->type == catalog::InputType::enumeration) {
    bool priced = catalog::affects_price(model, input->name);
    std::vector<telegram::InlineButton> row;
    for (std::size_t i = 0; i < input->values.size(); ++i) {
      const auto& value = input->values[i];
      auto caption = option_caption(c, *input, value);
      if (priced && !model.free) {
        auto with = values;
        with[input->name] = value;
        if (auto price = catalog::price_of(model, with)) caption += " · " + rub(*price);
      }
      if (wizard::is_current(*input, values, catalog::InputValue(value))) caption = "✅ " + caption;
      row.push_back(button(caption, act::option, {slug, step_arg, std::to_string(i)}));
      if (row.size() == (priced ? 1u : 3u)) v.keyboard.row(std::move(row)), row.clear();
    }
    if (!row.empty()) v.keyboard.row(std::move(row));
  } else if (input->type == catalog::InputType::boolean) {
    auto yes = c.t("wizard.yes"), no = c.t("wizard.no");
    if (wizard::is_current(*input, values, catalog::InputValue(true))) yes = "✅ " + yes;
    if (wizard::is_current(*input, values, catalog::InputValue(false))) no = "✅ " + no;
    v.keyboard.row({button(yes, act::option, {slug, step_arg, "1"}),
                    button(no, act::option, {slug, step_arg, "0"})});
  } else if (wizard::widget_of(*input) == wizard::Widget::media && input->array &&
             extras.received > 0 &&
             static_cast<std::int64_t>(extras.received) >= input->min_items) {
    v.keyboard.row({button(c.t("wizard.done", {{"count", std::to_string(extras.received)}}),
                           act::done, {slug, step_arg})});
  }
  std::vector<telegram::InlineButton> optional_row;
  if (input->default_value && input->type != catalog::InputType::enumeration &&
      input->type != catalog::InputType::boolean)
    optional_row.push_back(button(
        c.t("wizard.use_default", {{"value", describe_value(c, *input, *input->default_value)}}),
        act::use_default, {slug, step_arg}));
  else if (input->default_value)
    optional_row.push_back(
        button(c.t("wizard.use_default_short"), act::use_default, {slug, step_arg}));
  if (catalog::can_skip(*input))
    optional_row.push_back(button(c.t("wizard.skip"), act::skip, {slug, step_arg}));
  if (!optional_row.empty()) v.keyboard.row(std::move(optional_row));
  if (extras.editing)
    v.keyboard.row(nav_row(c, act::show_confirm, {slug}));
  else
    v.keyboard.row(nav_row(c, act::step_back, {slug, step_arg}));
  return v;
}

View edit_step_choice(const ScreenContext& c, const catalog::Model& model,
                      const catalog::InputValues& values) {
  View v;
  v.text = c.t("wizard.edit_title", {{"model", escape(c.in(model.title))}});
  auto steps = catalog::asked_inputs(model);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto caption = c.in(steps[i]->label);
    if (auto it = values.find(steps[i]->name);
        it != values.end() && wizard::widget_of(*steps[i]) != wizard::Widget::text)
      caption += ": " + describe_value(c, *steps[i], it->second);
    v.keyboard.row({button(caption, act::edit_step, {model_ref(model), std::to_string(i)})});
  }
  v.keyboard.row(nav_row(c, act::show_confirm, {model_ref(model)}));
  return v;
}

}  // namespace kb::bot::screens
