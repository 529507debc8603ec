// What every screen function gets (texts, language, catalog, settings) and small helpers to build
// buttons and format prices, so each screen file is only its layout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/callback_data.hpp"
#include "bot/i18n.hpp"
#include "bot/settings.hpp"
#include "bot/view.hpp"
#include "catalog/model.hpp"
#include "core/money.hpp"

namespace kb::bot {

struct ScreenContext {
  const Texts& texts;
  Lang lang = Lang::ru;
  const catalog::Catalog& catalog;
  const BotSettings& settings;
  bool is_admin = false;

  std::string t(std::string_view key, const TextParams& params = {}) const {
    return texts.get(lang, key, params);
  }
  std::string_view code() const { return lang_code(lang); }
  const std::string& in(const catalog::Localized& text) const { return text.in(code()); }
};

// A callback button; our own actions always encode (a failure falls back to Home, never a crash).
telegram::InlineButton button(std::string text, std::string_view action,
                              std::vector<std::string> args = {});
telegram::InlineButton home_button(const ScreenContext& c);
telegram::InlineButton back_button(const ScreenContext& c, std::string_view action,
                                   std::vector<std::string> args = {});
// A row with Back (to the given action) and Home.
std::vector<telegram::InlineButton> nav_row(const ScreenContext& c, std::string_view back_action,
                                            std::vector<std::string> back_args = {});

// How buttons name a model: its slug, or (slugs longer than callback arguments allow) a prefix
// plus a short hash of the slug. flows::model_by_slug resolves both.
std::string model_ref(const catalog::Model& model);

// "149 ₽" / "49.90 ₽".
std::string rub(Kopecks amount);
// The list price text of a model: "free", "49 ₽", "from 19 ₽".
std::string model_price_text(const ScreenContext& c, const catalog::Model& model);
std::string escape(std::string_view text);

}  // namespace kb::bot
