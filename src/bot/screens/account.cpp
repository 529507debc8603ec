// Balance, top-up, history, referral, help and language screens.
#include <fmt/format.h>

#include "bot/actions.hpp"
#include "bot/screens/screens.hpp"
#include "services/billing/money_views.hpp"

namespace kb::bot::screens {
namespace {

std::string entry_line(const ScreenContext& c, const store::LedgerEntry& e) {
  // Holds and releases move money between available and held (amount 0): show how much moved.
  std::string amount;
  if (e.amount > 0)
    amount = "+" + rub(e.amount);
  else if (e.amount < 0)
    amount = "−" + rub(-e.amount);
  else
    amount = rub(e.held_delta < 0 ? -e.held_delta : e.held_delta);
  return c.t("balance.entry",
             {{"kind", c.t("balance.kind." + std::string(store::ledger_kind_name(e.kind)))},
              {"amount", amount}});
}

std::string job_status(const ScreenContext& c, const store::Job& job) {
  return c.t("history.state." + job.state);
}

std::string with_note(std::string_view note, std::string text) {
  return note.empty() ? text : std::string(note) + "\n\n" + text;
}

}  // namespace

View balance(const ScreenContext& c, const store::Balance& b,
             const std::vector<store::LedgerEntry>& entries) {
  View v;
  v.text = c.t("balance.title", {{"balance", rub(b.available)}});
  if (b.held > 0) v.text += "\n" + c.t("balance.held", {{"held", rub(b.held)}});
  if (!entries.empty()) {
    v.text += "\n\n" + c.t("balance.recent");
    for (const auto& e : entries) v.text += "\n" + entry_line(c, e);
  }
  v.keyboard.row({button(c.t("menu.topup"), act::topup)});
  v.keyboard.row({button(c.t("menu.history"), act::history, {"0"})});
  v.keyboard.row({home_button(c)});
  return v;
}

View topup(const ScreenContext& c) {
  View v;
  v.text = c.t("payments.stars.choose");
  for (auto& b : services::stars_package_buttons(c.texts, c.lang, c.settings.money.stars))
    v.keyboard.row({b});
  if (c.settings.money.manual.enabled())
    v.keyboard.row({button(c.t("payments.manual.button"), services::money_actions::manual_start)});
  v.keyboard.row(nav_row(c, act::balance));
  return v;
}

View transfer_amount(const ScreenContext& c, std::string_view note) {
  View v;
  v.text =
      with_note(note, services::manual_amount_prompt(c.texts, c.lang, c.settings.money.manual));
  for (auto& row : services::manual_amount_rows(c.texts, c.lang, c.settings.money.manual))
    v.keyboard.row(std::move(row));
  v.keyboard.row(nav_row(c, act::topup));
  return v;
}

View transfer_details(const ScreenContext& c, Kopecks amount, std::string_view note) {
  View v;
  v.text = with_note(
      note, services::manual_details_text(c.texts, c.lang, c.settings.money.manual, amount));
  v.keyboard.row(nav_row(c, services::money_actions::manual_start));
  return v;
}

View history(const ScreenContext& c, const std::vector<store::Job>& jobs, int page, bool has_more) {
  View v;
  v.text = c.t("history.title");
  if (jobs.empty()) v.text += "\n\n" + c.t(page == 0 ? "history.empty" : "history.no_more");
  int n = page * c.settings.history_page_size;
  std::vector<telegram::InlineButton> repeat_row;
  for (const auto& job : jobs) {
    ++n;
    const auto* model = c.catalog.find(job.model_id);
    auto title = model ? c.in(model->title) : job.model_id;
    auto price = job.is_free ? c.t("models.price_free") : rub(job.price_kopecks);
    v.text += "\n\n" + c.t("history.item", {{"n", std::to_string(n)},
                                            {"model", escape(title)},
                                            {"status", job_status(c, job)},
                                            {"price", price}});
    if (model && model->enabled)
      repeat_row.push_back(button(c.t("history.repeat", {{"n", std::to_string(n)}}),
                                  actions::job_retry, {std::to_string(job.id)}));
    if (repeat_row.size() == 3) v.keyboard.row(std::move(repeat_row)), repeat_row.clear();
  }
  if (!repeat_row.empty()) v.keyboard.row(std::move(repeat_row));
  std::vector<telegram::InlineButton> pages;
  if (page > 0)
    pages.push_back(button(c.t("models.prev"), act::history, {std::to_string(page - 1)}));
  if (has_more)
    pages.push_back(button(c.t("models.next"), act::history, {std::to_string(page + 1)}));
  if (!pages.empty()) v.keyboard.row(std::move(pages));
  v.keyboard.row({home_button(c)});
  return v;
}

View referral(const ScreenContext& c, const services::ReferralScreenData& d) {
  View v;
  std::string reward;
  switch (d.reward.kind) {
    case services::ReferralSettings::Kind::none:
      reward = c.t("referral.reward_none");
      break;
    case services::ReferralSettings::Kind::free_generations:
      reward = c.t("referral.reward_free", {{"count", std::to_string(d.reward.amount)}});
      break;
    case services::ReferralSettings::Kind::kopecks:
      reward = c.t("referral.reward_rub", {{"amount", rub(d.reward.amount)}});
      break;
  }
  v.text = c.t("referral.title", {{"reward", reward}});
  v.text += "\n\n" + (d.link.empty() ? c.t("referral.no_link")
                                     : c.t("referral.link", {{"link", escape(d.link)}}));
  v.text += "\n\n" + c.t("referral.counts", {{"invited", std::to_string(d.invited)},
                                             {"rewarded", std::to_string(d.rewarded)}});
  if (d.bonus_free_left > 0)
    v.text += "\n" + c.t("referral.bonus_left", {{"count", std::to_string(d.bonus_free_left)}});
  v.keyboard.row({home_button(c)});
  return v;
}

View help(const ScreenContext& c) {
  View v;
  v.text = c.t("help.text", {{"limit", std::to_string(c.settings.money.free.daily_limit)}});
  v.keyboard.row({button(c.t("menu.popular"), act::popular, {"0"}),
                  button(c.t("menu.balance"), act::balance)});
  v.keyboard.row({home_button(c)});
  return v;
}

View language(const ScreenContext& c) {
  View v;
  v.text = c.t("settings.language_title");
  auto ru = std::string("🇷🇺 Русский"), en = std::string("🇬🇧 English");
  if (c.lang == Lang::ru)
    ru = "✅ " + ru;
  else
    en = "✅ " + en;
  v.keyboard.row({button(ru, act::set_language, {"ru"}), button(en, act::set_language, {"en"})});
  v.keyboard.row({home_button(c)});
  return v;
}

}  // namespace kb::bot::screens
