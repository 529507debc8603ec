// The main menu: sections by format, Popular, Free, money, history, referral, help, language.
#include "bot/actions.hpp"
#include "bot/admin_actions.hpp"
#include "bot/screens/screens.hpp"

namespace kb::bot::screens {

View main_menu(const ScreenContext& c, std::string_view note) {
  View v;
  if (!note.empty()) v.text = std::string(note) + "\n\n";
  v.text += c.t("menu.title");
  auto& kb = v.keyboard;
  kb.row({button(c.t("menu.images"), act::models, {"image", "0"}),
          button(c.t("menu.video"), act::models, {"video", "0"})});
  kb.row({button(c.t("menu.audio"), act::models, {"audio", "0"}),
          button(c.t("menu.tools"), act::models, {"tools", "0"})});
  kb.row({button(c.t("menu.popular"), act::popular, {"0"}),
          button(c.t("menu.free"), act::free, {"0"})});
  kb.row({button(c.t("menu.balance"), act::balance),
          button(c.t("menu.history"), act::history, {"0"})});
  kb.row({button(c.t("menu.referral"), act::referral), button(c.t("menu.help"), act::help)});
  kb.row({button(c.t("menu.language"), act::language)});
  if (c.is_admin) kb.row({button(c.t("admin.menu_button"), admin_act::home)});
  return v;
}

}  // namespace kb::bot::screens
