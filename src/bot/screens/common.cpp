// Screen helpers.
#include "bot/screens/common.hpp"

#include <fmt/format.h>

#include "catalog/pricing.hpp"
#include "telegram/text.hpp"

namespace kb::bot {

telegram::InlineButton button(std::string text, std::string_view action,
                              std::vector<std::string> args) {
  return telegram::InlineButton::callback(std::move(text),
                                          encode_callback(action, args).value_or("1|h"));
}

telegram::InlineButton home_button(const ScreenContext& c) {
  return button(c.t("button.home"), actions::home);
}

telegram::InlineButton back_button(const ScreenContext& c, std::string_view action,
                                   std::vector<std::string> args) {
  return button(c.t("button.back"), action, std::move(args));
}

std::vector<telegram::InlineButton> nav_row(const ScreenContext& c, std::string_view back_action,
                                            std::vector<std::string> back_args) {
  return {back_button(c, back_action, std::move(back_args)), home_button(c)};
}

std::string model_ref(const catalog::Model& model) {
  constexpr std::size_t kMax = 32;  // keeps "1|wo|<ref>|<step>|<index>" far below 64 bytes
  if (model.slug.size() <= kMax) return model.slug;
  std::uint32_t h = 2166136261u;  // FNV-1a: stable across runs and builds
  for (unsigned char ch : model.slug) h = (h ^ ch) * 16777619u;
  return fmt::format("{}.{:08x}", model.slug.substr(0, kMax - 9), h);
}

std::string rub(Kopecks amount) {
  return format_rubles(amount) + " ₽";
}

std::string model_price_text(const ScreenContext& c, const catalog::Model& model) {
  if (model.free) return c.t("models.price_free");
  auto range = catalog::price_range(model);
  if (!range) return "";
  if (range->min == range->max) return rub(range->min);
  return c.t("models.price_from", {{"price", rub(range->min)}});
}

std::string escape(std::string_view text) {
  return telegram::escape_html(text);
}

}  // namespace kb::bot
