// A paginated model list: one format, the popular models, or the free ones.
#include <algorithm>

#include "bot/actions.hpp"
#include "bot/screens/screens.hpp"
#include "catalog/input_check.hpp"
#include "catalog/utf8.hpp"

namespace kb::bot::screens {
namespace {

std::string first_sentence(std::string_view text) {
  auto end = text.find(". ");
  if (end != std::string_view::npos) text = text.substr(0, end + 1);
  return std::string(text);
}

std::string title_key(std::string_view list) {
  if (list == "popular" || list == "free") return "models.title_" + std::string(list);
  return "models.title_format_" + std::string(list);
}

}  // namespace

std::vector<const catalog::Model*> list_models(const catalog::Catalog& catalog,
                                               std::string_view list) {
  if (list == "popular") return catalog.popular();
  if (list == "free") return catalog.free_models();
  auto format = catalog::parse_format(list);
  if (!format) return {};
  return catalog.by_format(*format);
}

View model_list(const ScreenContext& c, std::string_view list, int page) {
  auto models = list_models(c.catalog, list);
  int per_page = std::max(1, c.settings.page_size);
  int pages = std::max<int>(1, (static_cast<int>(models.size()) + per_page - 1) / per_page);
  page = std::clamp(page, 0, pages - 1);
  View v;
  v.text = c.t(title_key(list));
  if (list == "free")
    v.text += "\n" + c.t("models.free_rule",
                         {{"limit", std::to_string(c.settings.money.free.daily_limit)}});
  if (models.empty()) v.text += "\n\n" + c.t("models.empty");
  auto first = static_cast<std::size_t>(page * per_page);
  for (auto i = first; i < models.size() && i < first + static_cast<std::size_t>(per_page); ++i) {
    const auto& m = *models[i];
    auto price = model_price_text(c, m);
    v.text += "\n\n<b>" + escape(c.in(m.title)) + "</b> — " + price + "\n" +
              escape(first_sentence(c.in(m.description)));
    v.keyboard.row({button(c.in(m.title) + " · " + price, act::card, {model_ref(m)})});
  }
  std::string_view action = list == "popular" ? act::popular
                            : list == "free"  ? act::free
                                              : act::models;
  auto page_args = [&](int p) {
    if (action == act::models)
      return std::vector<std::string>{std::string(list), std::to_string(p)};
    return std::vector<std::string>{std::to_string(p)};
  };
  if (pages > 1) {
    std::vector<telegram::InlineButton> row;
    if (page > 0) row.push_back(button(c.t("models.prev"), action, page_args(page - 1)));
    row.push_back(button(
        c.t("models.page", {{"page", std::to_string(page + 1)}, {"pages", std::to_string(pages)}}),
        action, page_args(page)));
    if (page + 1 < pages) row.push_back(button(c.t("models.next"), action, page_args(page + 1)));
    v.keyboard.row(std::move(row));
  }
  v.keyboard.row({home_button(c)});
  return v;
}

View model_card(const ScreenContext& c, const catalog::Model& m, std::string_view list, int page) {
  View v;
  v.text = "<b>" + escape(c.in(m.title)) + "</b>\n\n" + escape(c.in(m.description));
  v.text += "\n\n" + c.t("card.needs");
  for (const auto* input : catalog::asked_inputs(m)) {
    auto key = input->required ? "card.input_required" : "card.input_optional";
    v.text += "\n" + c.t(key, {{"label", escape(c.in(input->label))}});
  }
  v.text += "\n\n" + c.t("card.price", {{"price", model_price_text(c, m)}});
  if (m.free)
    v.text += "\n" +
              c.t("card.free_rule", {{"limit", std::to_string(c.settings.money.free.daily_limit)}});
  if (m.expected.count() > 0)
    v.text += "\n" + c.t("card.expected", {{"seconds", std::to_string(m.expected.count())}});
  if (!m.examples.empty()) {
    v.text += "\n\n" + c.t("card.examples");
    for (const auto& e : m.examples) v.text += "\n• <i>" + escape(c.in(e)) + "</i>";
  }
  v.keyboard.row({button(c.t("card.start"), act::start_wizard, {model_ref(m)})});
  std::string back_list =
      list.empty() ? std::string(catalog::format_name(m.format)) : std::string(list);
  if (back_list == "popular")
    v.keyboard.row(nav_row(c, act::popular, {std::to_string(page)}));
  else if (back_list == "free")
    v.keyboard.row(nav_row(c, act::free, {std::to_string(page)}));
  else
    v.keyboard.row(nav_row(c, act::models, {back_list, std::to_string(page)}));
  return v;
}

}  // namespace kb::bot::screens
