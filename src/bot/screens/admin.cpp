// Admin panel screens.
#include "bot/screens/admin.hpp"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

#include "bot/admin_actions.hpp"
#include "services/billing/money_views.hpp"

namespace kb::bot::screens::admin {
namespace {

telegram::InlineButton panel_button(const ScreenContext& c) {
  return button(c.t("admin.back"), admin_act::home);
}

constexpr int kModelsPerPage = 8;

}  // namespace

std::string date_time(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min);
}

View home(const ScreenContext& c, std::string_view note) {
  View v;
  if (!note.empty()) v.text = std::string(note) + "\n\n";
  v.text += c.t("admin.title");
  v.keyboard.row({button(c.t("admin.stats_button"), admin_act::stats, {"d"}),
                  button(c.t("admin.users_button"), admin_act::find_user)});
  v.keyboard.row({button(c.t("admin.payments_button"), admin_act::payments),
                  button(c.t("admin.models_button"), admin_act::models, {"0"})});
  v.keyboard.row({button(c.t("admin.broadcast_button"), admin_act::compose)});
  v.keyboard.row({home_button(c)});
  return v;
}

View stats(const ScreenContext& c, const services::admin::StatsReport& r,
           const std::optional<services::admin::CreditsSnapshot>& credits) {
  View v;
  auto code = std::string(services::admin::period_code(r.period));
  v.text = c.t("admin.stats.title_" + code);
  v.text += "\n\n" + c.t("admin.stats.users", {{"new", std::to_string(r.new_users)},
                                               {"active", std::to_string(r.active_users)},
                                               {"total", std::to_string(r.total_users)}});
  v.text += "\n" + c.t("admin.stats.money", {{"revenue", rub(r.revenue)},
                                             {"topups", rub(r.topups)},
                                             {"refunds", rub(r.refunds)}});
  v.text +=
      "\n" + c.t("admin.stats.conversion", {{"converted", std::to_string(r.converted_users)},
                                            {"free", std::to_string(r.free_users)},
                                            {"percent", std::to_string(r.conversion_percent())}});
  v.text += "\n\n" + c.t("admin.stats.jobs_title");
  if (r.jobs.empty()) v.text += "\n" + c.t("admin.stats.jobs_none");
  for (const auto& [model, jobs] : r.jobs) {
    const auto* m = c.catalog.find(model);
    v.text += "\n" + c.t("admin.stats.jobs_line", {{"model", escape(m ? c.in(m->title) : model)},
                                                   {"succeeded", std::to_string(jobs.succeeded)},
                                                   {"failed", std::to_string(jobs.failed)}});
  }
  v.text += "\n\n" + (credits ? c.t("admin.stats.credits",
                                    {{"credits", fmt::format("{:.2f}", credits->credits)}})
                              : c.t("admin.stats.credits_unknown"));
  v.keyboard.row({button(c.t("admin.stats.today"), admin_act::stats, {"d"}),
                  button(c.t("admin.stats.week"), admin_act::stats, {"w"}),
                  button(c.t("admin.stats.month"), admin_act::stats, {"m"})});
  v.keyboard.row({panel_button(c), home_button(c)});
  return v;
}

View user_card(const ScreenContext& c, const UserCard& card, std::string_view note) {
  const auto& u = card.user;
  View v;
  if (!note.empty()) v.text = std::string(note) + "\n\n";
  v.text +=
      c.t("admin.users.card", {{"name", escape(u.first_name)},
                               {"username", u.username ? "@" + escape(*u.username) : ""},
                               {"id", std::to_string(u.id)},
                               {"lang", escape(u.language.value_or(u.language_code.value_or("?")))},
                               {"created", date_time(u.created_at)},
                               {"seen", date_time(u.last_seen_at)},
                               {"available", rub(card.balance.available)},
                               {"held", rub(card.balance.held)}});
  if (u.banned) v.text += "\n" + c.t("admin.users.banned");
  if (u.blocked_bot) v.text += "\n" + c.t("admin.users.blocked");
  if (u.role == store::Role::admin) v.text += "\n" + c.t("admin.users.admin");
  v.text += "\n\n" + c.t("admin.users.jobs_title");
  if (card.jobs.empty()) v.text += "\n" + c.t("admin.users.none");
  for (const auto& j : card.jobs)
    v.text +=
        "\n" + c.t("admin.users.job_line", {{"id", std::to_string(j.id)},
                                            {"model", escape(j.model_id)},
                                            {"state", escape(j.state)},
                                            {"price", j.is_free ? "0" : rub(j.price_kopecks)}});
  v.text += "\n\n" + c.t("admin.users.payments_title");
  if (card.payments.empty()) v.text += "\n" + c.t("admin.users.none");
  for (const auto& p : card.payments)
    v.text += "\n" + c.t("admin.users.payment_line", {{"date", date_time(p.created_at)},
                                                      {"stars", std::to_string(p.stars)},
                                                      {"amount", rub(p.credit_kopecks)},
                                                      {"status", escape(p.status)}});
  auto id = std::to_string(u.id);
  v.keyboard.row({button(c.t("admin.users.adjust"), admin_act::adjust, {id}),
                  u.banned ? button(c.t("admin.users.unban"), admin_act::unban, {id})
                           : button(c.t("admin.users.ban"), admin_act::ban, {id})});
  for (const auto& p : card.payments)
    if (auto b = services::refund_button(c.texts, c.lang, p)) v.keyboard.row({*b});
  v.keyboard.row({button(c.t("admin.users.find_another"), admin_act::find_user)});
  v.keyboard.row({panel_button(c), home_button(c)});
  return v;
}

View prompt(const ScreenContext& c, std::string text, std::string_view back_action,
            std::vector<std::string> back_args) {
  View v;
  v.text = std::move(text);
  if (back_action.empty())
    v.keyboard.row({panel_button(c), home_button(c)});
  else
    v.keyboard.row({back_button(c, back_action, std::move(back_args)), panel_button(c)});
  return v;
}

View payments(const ScreenContext& c, std::int64_t pending_count) {
  View v;
  v.text = c.t("admin.payments.title", {{"count", std::to_string(pending_count)}});
  v.keyboard.row({button(c.t("admin.payments.refund_button"), admin_act::refund)});
  v.keyboard.row({panel_button(c), home_button(c)});
  return v;
}

View manual_request(const ScreenContext& c, const store::ManualTopup& r) {
  View v;
  v.text = c.t("admin.payments.request", {{"id", std::to_string(r.id)},
                                          {"amount", rub(r.amount_kopecks)},
                                          {"user", std::to_string(r.user_id)},
                                          {"date", date_time(r.created_at)}});
  auto id = std::to_string(r.id);
  auto amount = format_rubles(r.amount_kopecks);
  v.keyboard.row(
      {button(c.t("payments.manual.admin.approve", {{"amount", amount}}),
              services::money_actions::manual_approve, {id}),
       button(c.t("payments.manual.admin.reject"), services::money_actions::manual_reject, {id})});
  return v;
}

View models(const ScreenContext& c, int page, int free_limit, std::string_view note) {
  const auto& all = c.catalog.models;
  int pages =
      std::max<int>(1, (static_cast<int>(all.size()) + kModelsPerPage - 1) / kModelsPerPage);
  page = std::clamp(page, 0, pages - 1);
  View v;
  if (!note.empty()) v.text = std::string(note) + "\n\n";
  v.text += c.t("admin.models.title", {{"page", std::to_string(page + 1)},
                                       {"pages", std::to_string(pages)},
                                       {"limit", std::to_string(free_limit)}});
  auto p = std::to_string(page);
  auto first = static_cast<std::size_t>(page * kModelsPerPage);
  for (auto i = first; i < all.size() && i < first + kModelsPerPage; ++i) {
    const auto& m = all[i];
    auto ref = model_ref(m);
    v.keyboard.row(
        {button((m.enabled ? "✅ " : "⛔ ") + c.in(m.title), admin_act::toggle_enabled, {ref, p}),
         button(m.free ? "🆓" : "💰", admin_act::toggle_free, {ref, p})});
  }
  std::vector<telegram::InlineButton> paging;
  if (page > 0)
    paging.push_back(button(c.t("models.prev"), admin_act::models, {std::to_string(page - 1)}));
  if (page + 1 < pages)
    paging.push_back(button(c.t("models.next"), admin_act::models, {std::to_string(page + 1)}));
  if (!paging.empty()) v.keyboard.row(std::move(paging));
  v.keyboard.row({button(c.t("admin.models.limit_button", {{"limit", std::to_string(free_limit)}}),
                         admin_act::free_limit)});
  v.keyboard.row({panel_button(c), home_button(c)});
  return v;
}

View broadcast_preview(const ScreenContext& c, std::int64_t recipients, bool has_button) {
  View v;
  v.text = c.t("admin.broadcast.preview", {{"count", std::to_string(recipients)}});
  v.keyboard.row({button(c.t("admin.broadcast.send"), admin_act::send)});
  if (!has_button)
    v.keyboard.row({button(c.t("admin.broadcast.add_button"), admin_act::add_button)});
  v.keyboard.row({button(c.t("admin.broadcast.discard"), admin_act::discard)});
  return v;
}

}  // namespace kb::bot::screens::admin
