// Button presses: routing by action, and the screens that only show data (lists, cards, balance,
// history, referral, help, language).
#include "bot/actions.hpp"
#include "bot/conversation/admin_flow.hpp"
#include "bot/conversation/flows.hpp"
#include "bot/screens/registry.hpp"
#include "services/billing/manual_admin.hpp"
#include "services/billing/money_views.hpp"

namespace kb::bot::flows {
namespace {

int page_arg(const CallbackData& d, std::size_t i) {
  auto p = d.int_arg(i).value_or(0);
  return p < 0 || p > 1000 ? 0 : static_cast<int>(p);
}

// An admin's Approve / Reject / reason press on a manual transfer request (services decide).
Result<void> admin_press(Turn& turn, const CallbackData& data) {
  services::AdminPress press;
  press.admin_id = turn.user.id;
  press.chat_id = turn.chat_id;
  press.message_id = turn.pressed_message_id.value_or(0);
  press.data = data;
  auto effects =
      KB_TRY(services::handle_manual_admin_press(turn.tx, turn.texts, turn.settings.money.manual,
                                                 turn.settings.money.referral, press, turn.now));
  if (!effects.handled) {
    stale(turn);
    return {};
  }
  turn.answer(effects.callback_answer, effects.alert);
  if (effects.edit) turn.reply.markup_edit(*effects.edit);
  for (auto& m : effects.messages) turn.reply.request(std::move(m));
  return {};
}

bool known_list(std::string_view list) {
  return list == "popular" || list == "free" || catalog::parse_format(list).has_value();
}

}  // namespace

const catalog::Model* model_by_slug(const Turn& turn, std::string_view slug) {
  const auto* m = turn.catalog.find_by_slug(slug);
  if (!m)
    for (const auto& candidate : turn.catalog.models)
      if (model_ref(candidate) == slug) m = &candidate;
  return m && m->enabled ? m : nullptr;
}

const catalog::Model* state_model(const Turn& turn) {
  const auto* m = turn.catalog.find(turn.state.model_id);
  return m && m->enabled ? m : nullptr;
}

void stale(Turn& turn) {
  turn.answer(turn.t("errors.stale"));
  turn.main_menu(turn.t("errors.stale"));
}

Result<void> show_list(Turn& turn, std::string_view list, int page) {
  if (!known_list(list)) {
    stale(turn);
    return {};
  }
  turn.state.reset();
  turn.state.list = std::string(list);
  turn.state.page = page;
  std::string_view id = list == "popular" ? screen::popular
                        : list == "free"  ? screen::free
                                          : screen::models;
  turn.show(id, screens::model_list(turn.ctx(), list, page));
  return {};
}

Result<void> show_card(Turn& turn, const catalog::Model& model, bool as_new) {
  auto list = turn.state.list;
  auto page = turn.state.page;
  turn.state.reset();
  turn.state.list = list;
  turn.state.page = page;
  turn.state.model_id = model.id;
  auto view = screens::model_card(turn.ctx(), model, list, page);
  if (as_new)
    turn.show_new(screen::card, std::move(view));
  else
    turn.show(screen::card, std::move(view));
  return {};
}

Result<void> show_balance(Turn& turn, bool as_new) {
  auto balance = KB_TRY(turn.tx.ledger().balance(turn.user.id));
  auto entries = KB_TRY(turn.tx.ledger().entries(turn.user.id, 5, 0));
  turn.state.reset();
  auto view = screens::balance(turn.ctx(), balance, entries);
  as_new ? turn.show_new(screen::balance, std::move(view))
         : turn.show(screen::balance, std::move(view));
  return {};
}

Result<void> show_history(Turn& turn, int page, bool as_new) {
  int size = turn.settings.history_page_size;
  auto jobs = KB_TRY(turn.tx.jobs().list_for_user(turn.user.id, size + 1, page * size));
  bool more = static_cast<int>(jobs.size()) > size;
  if (more) jobs.resize(static_cast<std::size_t>(size));
  turn.state.reset();
  turn.state.page = page;
  auto view = screens::history(turn.ctx(), jobs, page, more);
  as_new ? turn.show_new(screen::history, std::move(view))
         : turn.show(screen::history, std::move(view));
  return {};
}

Result<void> show_referral(Turn& turn) {
  auto username = turn.settings.bot_username ? turn.settings.bot_username() : std::string();
  auto data = KB_TRY(
      services::referral_screen(turn.tx, turn.user.id, username, turn.settings.money.referral));
  turn.state.reset();
  turn.show(screen::referral, screens::referral(turn.ctx(), data));
  return {};
}

Result<void> show_topup(Turn& turn) {
  turn.state.reset();
  turn.show(screen::topup, screens::topup(turn.ctx()));
  return {};
}

Result<void> on_callback(Turn& turn, const telegram::CallbackQuery& query) {
  auto data = decode_callback(query.data.value_or(""));
  if (!data) {
    stale(turn);
    return {};
  }
  const auto& a = data->action;
  if (a == actions::home) {
    turn.main_menu();
    return {};
  }
  if (a == act::models) return show_list(turn, data->arg(0), page_arg(*data, 1));
  if (a == act::popular) return show_list(turn, "popular", page_arg(*data, 0));
  if (a == act::free) return show_list(turn, "free", page_arg(*data, 0));
  if (a == actions::other_model) return show_list(turn, data->arg(0), 0);
  if (a == act::card) {
    const auto* model = model_by_slug(turn, data->arg(0));
    if (!model) {
      turn.answer(turn.t("errors.model_unavailable"));
      turn.main_menu(turn.t("errors.model_unavailable"));
      return {};
    }
    return show_card(turn, *model);
  }
  if (a == act::start_wizard) {
    const auto* model = model_by_slug(turn, data->arg(0));
    if (!model) {
      turn.main_menu(turn.t("errors.model_unavailable"));
      return {};
    }
    return start_wizard(turn, *model);
  }
  if (a == act::option || a == act::skip || a == act::use_default || a == act::done ||
      a == act::step_back || a == act::edit_step || a == act::edit || a == act::show_confirm ||
      a == act::generate)
    return wizard_callback(turn, *data);
  if (a == actions::job_retry || a == actions::job_edit) {
    auto id = data->int_arg(0);
    if (!id) {
      stale(turn);
      return {};
    }
    return reuse_job(turn, *id, a == actions::job_edit);
  }
  if (a == actions::job_cancel) return cancel_job(turn, data->int_arg(0));
  if (a == act::balance) return show_balance(turn);
  if (a == act::topup) return show_topup(turn);
  if (a == act::history) return show_history(turn, page_arg(*data, 0));
  if (a == act::referral) return show_referral(turn);
  if (a == act::help) {
    turn.state.reset();
    turn.show(screen::help, screens::help(turn.ctx()));
    return {};
  }
  if (a == act::language) {
    turn.state.reset();
    turn.show(screen::language, screens::language(turn.ctx()));
    return {};
  }
  if (a == act::set_language) {
    auto code = data->arg(0);
    if (code != "ru" && code != "en") {
      stale(turn);
      return {};
    }
    KB_TRY(turn.tx.users().set_language(turn.user.id, code, turn.now));
    turn.lang = code == "en" ? Lang::en : Lang::ru;
    turn.answer(turn.t("settings.language_set"));
    turn.main_menu(turn.t("settings.language_set"));
    return {};
  }
  if (a == services::money_actions::manual_approve || a == services::money_actions::manual_reject ||
      a == services::money_actions::manual_reject_reason ||
      a == services::money_actions::manual_back)
    return admin_press(turn, *data);
  if (a == services::money_actions::manual_start) return show_transfer_amount(turn);
  if (a == services::money_actions::manual_amount) return choose_transfer_amount(turn, *data);
  if (a == services::money_actions::stars_package) {
    auto index = data->int_arg(0);
    if (!index) {
      stale(turn);
      return {};
    }
    return send_invoice(turn, static_cast<int>(*index));
  }
  if (admin::handles(a)) return admin::on_callback(turn, *data);
  stale(turn);
  return {};
}

}  // namespace kb::bot::flows
