// The confirm screen (every value, the exact price, the balance after or the free generations
// left) and what Generate leads to: started, not enough money, too many running.
#include "bot/actions.hpp"
#include "bot/screens/screens.hpp"
#include "bot/wizard.hpp"

namespace kb::bot::screens {

View confirm(const ScreenContext& c, const catalog::Model& model,
             const catalog::InputValues& values, const Quote& q) {
  View v;
  v.text = c.t("confirm.title", {{"model", escape(c.in(model.title))}});
  for (const auto* input : catalog::asked_inputs(model)) {
    std::string shown;
    if (auto it = values.find(input->name); it != values.end())
      shown = describe_value(c, *input, it->second);
    else if (input->default_value)
      shown = describe_value(c, *input, *input->default_value);
    else
      shown = c.t("confirm.not_set");
    v.text += "\n• " + escape(c.in(input->label)) + ": " + shown;
  }
  v.text += "\n\n";
  switch (q.funding) {
    case domain::Funding::daily_free:
      v.text += c.t("confirm.free_daily", {{"left", std::to_string(q.free_left_after)},
                                           {"limit", std::to_string(q.daily_limit)}});
      break;
    case domain::Funding::bonus_free:
      v.text += c.t("confirm.free_bonus");
      break;
    case domain::Funding::balance:
      if (model.free)
        v.text += c.t("confirm.free_used_up", {{"limit", std::to_string(q.daily_limit)}}) + "\n";
      v.text += c.t("confirm.price", {{"price", rub(q.price)}});
      if (q.insufficient)
        v.text += "\n" + c.t("confirm.not_enough", {{"balance", rub(q.balance.available)}});
      else
        v.text +=
            "\n" + c.t("confirm.balance_after", {{"balance", rub(q.balance.available - q.price)}});
      break;
  }
  v.keyboard.row({button(c.t("confirm.generate"), act::generate, {model_ref(model)})});
  if (q.insufficient) v.keyboard.row({button(c.t("menu.topup"), act::topup)});
  v.keyboard.row({button(c.t("button.edit"), act::edit, {model_ref(model)}), home_button(c)});
  auto last = wizard::step_count(model) - 1;
  if (last >= 0)
    v.keyboard.row({back_button(c, act::edit_step, {model_ref(model), std::to_string(last)})});
  return v;
}

View no_funds(const ScreenContext& c, const catalog::Model& model, Kopecks price,
              const store::Balance& balance) {
  View v;
  v.text = c.t("confirm.no_funds", {{"model", escape(c.in(model.title))},
                                    {"price", rub(price)},
                                    {"balance", rub(balance.available)},
                                    {"missing", rub(price - balance.available)}});
  v.keyboard.row({button(c.t("menu.topup"), act::topup)});
  v.keyboard.row(nav_row(c, act::show_confirm, {model_ref(model)}));
  return v;
}

View too_many(const ScreenContext& c, const catalog::Model& model, int limit) {
  View v;
  v.text = c.t("confirm.too_many", {{"limit", std::to_string(limit)}});
  v.keyboard.row(nav_row(c, act::show_confirm, {model_ref(model)}));
  return v;
}

View started(const ScreenContext& c, const catalog::Model& model, const store::Job& job) {
  View v;
  auto key = job.is_free ? "confirm.started_free" : "confirm.started";
  v.text = c.t(key, {{"model", escape(c.in(model.title))}, {"price", rub(job.price_kopecks)}});
  v.keyboard.row({button(c.t("button.cancel_job"), actions::job_cancel, {std::to_string(job.id)})});
  v.keyboard.row({button(c.t("button.other_model"), actions::other_model,
                         {std::string(catalog::format_name(model.format))}),
                  home_button(c)});
  return v;
}

}  // namespace kb::bot::screens
