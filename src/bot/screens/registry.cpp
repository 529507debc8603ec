// The screen id list.
#include "bot/screens/registry.hpp"

#include <algorithm>

namespace kb::bot::screen {

const std::vector<std::string_view>& all() {
  static const std::vector<std::string_view> ids{
      main,     models,  popular, free,  card,    wizard,   edit_step, confirm, no_funds,
      too_many, started, balance, topup, history, referral, help,      language};
  return ids;
}

bool known(std::string_view id) {
  return std::find(all().begin(), all().end(), id) != all().end();
}

}  // namespace kb::bot::screen
