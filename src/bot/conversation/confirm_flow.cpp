// The confirm screen (exact price from the same function the ledger uses), Generate (the job and
// its funding in this transaction, idempotent by the callback query id), Repeat/Edit of a job,
// and cancelling.
#include "bot/conversation/flows.hpp"
#include "bot/screens/registry.hpp"
#include "bot/wizard.hpp"
#include "catalog/pricing.hpp"
#include "core/log.hpp"
#include "services/billing/job_money.hpp"
#include "services/jobs/cancel.hpp"
#include "services/jobs/confirm.hpp"

namespace kb::bot::flows {
namespace {

void show_or_new(Turn& turn, std::string_view id, View view, bool as_new) {
  if (as_new)
    turn.show_new(id, std::move(view));
  else
    turn.show(id, std::move(view));
}

}  // namespace

Result<void> show_confirm(Turn& turn, const catalog::Model& model, bool as_new) {
  auto values = wizard::values(model, turn.state);
  // A required input without a value (a job stored before the catalog changed, a stale state):
  // ask it instead of confirming something the provider would refuse.
  auto steps = catalog::asked_inputs(model);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i]->required && !values.count(steps[i]->name) && !steps[i]->default_value) {
      turn.state.step = static_cast<int>(i);
      turn.state.editing = false;
      show_step(turn, model, {}, as_new);
      return {};
    }
  }
  auto price = catalog::price_of(model, values);
  if (!price) {
    log::warn("confirm_price_unavailable", {{"model", model.id}, {"error", price.error().message}});
    turn.main_menu(turn.t("errors.model_unavailable"), as_new);
    return {};
  }
  screens::Quote q;
  q.price = *price;
  q.daily_limit = turn.settings.money.free.daily_limit;
  auto plan = services::plan_funding(turn.tx, turn.user.id, model.free, *price,
                                     turn.settings.money.free, turn.now);
  if (plan) {
    q.funding = plan->funding;
    q.free_left_after = plan->free_left_after;
    q.balance = plan->balance_before;
  } else {
    if (plan.error().code != Errc::insufficient_funds) return fail(plan.error());
    q.insufficient = true;
    q.balance = KB_TRY(turn.tx.ledger().balance(turn.user.id));
  }
  wizard::to_confirm(turn.state);
  show_or_new(turn, screen::confirm, screens::confirm(turn.ctx(), model, values, q), as_new);
  return {};
}

Result<void> generate(Turn& turn, const catalog::Model& model) {
  services::ConfirmRequest r;
  r.user_id = turn.user.id;
  r.chat_id = turn.chat_id;
  r.model = &model;
  r.values = wizard::values(model, turn.state);
  r.idempotency_key =
      "cb:" + turn.callback_query_id.value_or(std::to_string(turn.update.update_id));
  r.max_active_jobs = turn.settings.max_active_jobs;
  r.free = turn.settings.money.free;
  auto result = KB_TRY(services::confirm_job(turn.tx, r, turn.now));
  switch (result.status) {
    case services::ConfirmStatus::created:
    case services::ConfirmStatus::existing:
      turn.job_created = result.status == services::ConfirmStatus::created;
      turn.state.reset();
      turn.state.model_id = model.id;
      turn.show(screen::started, screens::started(turn.ctx(), model, *result.job));
      return {};
    case services::ConfirmStatus::insufficient_funds:
      turn.show(screen::no_funds,
                screens::no_funds(turn.ctx(), model, result.price, result.balance_after));
      return {};
    case services::ConfirmStatus::too_many_active:
      turn.answer(
          turn.t("confirm.too_many", {{"limit", std::to_string(turn.settings.max_active_jobs)}}),
          true);
      turn.show(screen::too_many,
                screens::too_many(turn.ctx(), model, turn.settings.max_active_jobs));
      return {};
    case services::ConfirmStatus::model_unavailable:
      break;
  }
  turn.main_menu(turn.t("errors.model_unavailable"));
  return {};
}

Result<void> reuse_job(Turn& turn, std::int64_t job_id, bool edit) {
  auto job = KB_TRY(turn.tx.jobs().get(job_id));
  if (!job || job->user_id != turn.user.id) {
    stale(turn);
    return {};
  }
  const auto* model = turn.catalog.find(job->model_id);
  if (!model || !model->enabled) {
    turn.main_menu(turn.t("errors.model_unavailable"));
    return {};
  }
  catalog::InputValues values;
  auto json = nlohmann::json::parse(job->inputs_json, nullptr, false);
  if (auto parsed = catalog::values_from_json(*model, json)) values = std::move(*parsed);
  wizard::begin(turn.state, *model, values);
  if (edit) {
    turn.state.screen = std::string(screen::edit_step);
    turn.show(screen::edit_step,
              screens::edit_step_choice(turn.ctx(), *model, wizard::values(*model, turn.state)));
    return {};
  }
  return show_confirm(turn, *model);
}

Result<void> cancel_job(Turn& turn, std::optional<std::int64_t> job_id) {
  const auto& referral = turn.settings.money.referral;
  auto result =
      job_id ? KB_TRY(services::cancel_job(turn.tx, *job_id, turn.user.id, referral, turn.now))
             : KB_TRY(services::cancel_latest_job(turn.tx, turn.user.id, referral, turn.now));
  std::string text;
  switch (result.status) {
    case services::CancelStatus::cancelled:
      break;
    case services::CancelStatus::too_late:
      text = turn.t("job.cancel_too_late");
      break;
    case services::CancelStatus::not_found:
      text = turn.t("job.nothing_to_cancel");
      break;
  }
  if (result.status == services::CancelStatus::cancelled) {
    const auto& job = *result.job;
    auto money = job.is_free ? turn.t("job.free_returned")
                             : turn.t("job.money_returned", {{"price", rub(job.price_kopecks)}});
    text = turn.t("job.cancelled", {{"money", money}});
  }
  if (turn.callback_query_id) turn.answer(text);
  turn.main_menu(text, !turn.callback_query_id.has_value());
  return {};
}

}  // namespace kb::bot::flows
