// The screen id list.
#include "bot/screens/registry.hpp"

#include <algorithm>

namespace kb::bot::screen {

const std::vector<std::string_view>& all() {
  static const std::vector<std::string_view> ids{
      main,           models,          popular,          free,        card,          wizard,
      edit_step,      confirm,         no_funds,         too_many,    started,       balance,
      topup,          transfer_amount, transfer_receipt, history,     referral,      help,
      language,       admin,           admin_stats,      admin_find,  admin_user,    admin_adjust,
      admin_payments, admin_refund,    admin_models,     admin_limit, admin_compose, admin_button,
      admin_preview};
  return ids;
}

const std::vector<std::string_view>& admin_only() {
  static const std::vector<std::string_view> ids{
      admin,        admin_stats,  admin_find,  admin_user,    admin_adjust, admin_payments,
      admin_refund, admin_models, admin_limit, admin_compose, admin_button, admin_preview};
  return ids;
}

bool is_admin_screen(std::string_view id) {
  return std::find(admin_only().begin(), admin_only().end(), id) != admin_only().end();
}

bool known(std::string_view id) {
  return std::find(all().begin(), all().end(), id) != all().end();
}

}  // namespace kb::bot::screen
