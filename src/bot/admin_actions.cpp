// The admin panel's action list.
#include "bot/admin_actions.hpp"

#include <array>

namespace kb::bot::admin_act {

bool is_admin_action(std::string_view action) {
  static constexpr std::array all{
      home,   stats,          find_user,   user,       adjust,  ban,        unban, payments, refund,
      models, toggle_enabled, toggle_free, free_limit, compose, add_button, send,  discard};
  for (auto a : all)
    if (a == action) return true;
  return false;
}

}  // namespace kb::bot::admin_act
