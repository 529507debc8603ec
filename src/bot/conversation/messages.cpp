// Messages: commands (/start with deep links, /models, /balance, /history, /help, /cancel,
// /paysupport), wizard answers, payments, and a short helpful reply to anything unexpected.
#include <algorithm>
#include <cctype>

#include "bot/conversation/admin_flow.hpp"
#include "bot/conversation/flows.hpp"
#include "bot/screens/registry.hpp"
#include "domain/start_payload.hpp"
#include "services/billing/referral.hpp"
#include "services/billing/stars.hpp"
#include "services/billing/welcome_bonus.hpp"
#include "telegram/media.hpp"

namespace kb::bot::flows {
namespace {

struct Command {
  std::string name;  // lower case, without '/' and "@bot"
  std::string args;
};

std::optional<Command> command_of(const telegram::Message& m) {
  if (!m.text || m.text->empty() || (*m.text)[0] != '/') return std::nullopt;
  const auto& text = *m.text;
  auto end = text.find_first_of(" \n\t");
  Command c;
  c.name = text.substr(1, end == std::string::npos ? std::string::npos : end - 1);
  if (auto at = c.name.find('@'); at != std::string::npos) c.name.resize(at);
  std::transform(c.name.begin(), c.name.end(), c.name.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  if (end != std::string::npos) {
    auto first = text.find_first_not_of(" \n\t", end);
    if (first != std::string::npos) c.args = text.substr(first);
  }
  return c;
}

Result<void> start(Turn& turn, std::string_view args) {
  turn.state.reset();
  std::string notes;
  auto add = [&](std::string line) { notes += (notes.empty() ? "" : "\n") + line; };
  if (turn.user_created) {
    add(turn.t("menu.welcome", {{"name", escape(turn.user.first_name)}}));
    auto bonus = turn.settings.money.welcome_bonus;
    if (KB_TRY(services::grant_welcome_bonus(turn.tx, turn.user.id, bonus, turn.now)))
      add(turn.t("menu.welcome_bonus", {{"amount", rub(bonus)}}));
  }
  auto payload = domain::parse_start_payload(args);
  if (const auto* ref = std::get_if<domain::ReferralPayload>(&payload)) {
    auto attached =
        KB_TRY(services::attach_referral(turn.tx, turn.user.id, ref->referrer_id, turn.user_created,
                                         turn.settings.money.referral, turn.now));
    if (attached == services::ReferralAttach::attached) add(turn.t("referral.attached"));
  } else if (const auto* link = std::get_if<domain::ModelPayload>(&payload)) {
    if (const auto* model = model_by_slug(turn, link->slug)) {
      if (!notes.empty()) turn.reply.message({notes, {}});
      return show_card(turn, *model, true);
    }
    add(turn.t("errors.model_unavailable"));
  }
  turn.main_menu(notes, true);
  return {};
}

}  // namespace

Result<void> on_command(Turn& turn, std::string_view command, std::string_view args) {
  if (command == "start") return start(turn, args);
  if (command == "models") {
    turn.main_menu({}, true);
    return {};
  }
  if (command == "balance") return show_balance(turn, true);
  if (command == "history") return show_history(turn, 0, true);
  if (command == "help") {
    turn.state.reset();
    turn.show_new(screen::help, screens::help(turn.ctx()));
    return {};
  }
  if (command == "cancel") return cancel_job(turn, std::nullopt);
  if (command == "paysupport") {
    View v{turn.t(std::string(services::kPaySupportKey)), {}};
    v.keyboard.row({home_button(turn.ctx())});
    turn.reply.message(std::move(v));
    return {};
  }
  // /admin belongs to the admin screens; for everyone else it is like any unknown command.
  if (command == "admin" && turn.is_admin) return admin::show_home(turn, true);
  turn.main_menu(turn.t("errors.unknown_command"), true);
  return {};
}

Result<void> on_message(Turn& turn, const telegram::Message& m) {
  if (m.successful_payment) return on_successful_payment(turn, m);
  if (m.refunded_payment) {
    KB_TRY(services::record_refunded_payment(turn.tx, m, turn.now));
    return {};
  }
  if (m.chat.type != telegram::ChatType::private_chat) return {};  // the bot lives in private chats
  if (auto command = command_of(m)) return on_command(turn, command->name, command->args);
  if (turn.state.screen == screen::wizard) return wizard_message(turn, m);
  if (turn.state.screen == screen::transfer_amount || turn.state.screen == screen::transfer_receipt)
    return transfer_message(turn, m);
  // The rest of an album whose first item was taken (a transfer receipt) needs no answer.
  if (!m.media_group_id.empty() && m.media_group_id == turn.state.album_id) return {};
  if (screen::is_admin_screen(turn.state.screen)) return admin::on_message(turn, m);
  auto media = telegram::extract_media(m);
  turn.main_menu(turn.t(media.file ? "errors.media_unexpected" : "errors.text_unexpected"), true);
  return {};
}

}  // namespace kb::bot::flows
