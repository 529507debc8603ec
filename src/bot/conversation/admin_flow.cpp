// Admin panel decisions: each loads what its screen needs inside the update's transaction and
// changes data only through services/admin (audited).
#include "bot/conversation/admin_flow.hpp"

#include <charconv>

#include <fmt/format.h>

#include "bot/admin_actions.hpp"
#include "bot/conversation/flows.hpp"
#include "bot/screens/admin.hpp"
#include "bot/screens/registry.hpp"
#include "core/text.hpp"
#include "services/admin/admin_ops.hpp"
#include "services/admin/broadcast_content.hpp"
#include "services/admin/stats.hpp"
#include "telegram/text.hpp"
#include "services/billing/money_views.hpp"
#include "services/billing/stars_refund.hpp"

namespace kb::bot::flows::admin {
namespace screens = kb::bot::screens::admin;
namespace ops = kb::services::admin;

namespace {

constexpr int kRecentItems = 5;
constexpr int kQueueShown = 10;

// Non-admins get what a forged button gets: the main menu with the stale note.
bool allowed(Turn& turn) {
  if (turn.is_admin) return true;
  stale(turn);
  return false;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Result<int> current_free_limit(Turn& turn) {
  auto limit = KB_TRY(ops::free_daily_limit(turn.tx));
  return limit.value_or(turn.settings.money.free.daily_limit);
}

Result<std::optional<screens::UserCard>> load_card(Turn& turn, std::int64_t user_id) {
  auto user = KB_TRY(turn.tx.users().get(user_id));
  if (!user) return std::optional<screens::UserCard>();
  screens::UserCard card;
  card.user = std::move(*user);
  card.balance = KB_TRY(turn.tx.ledger().balance(user_id));
  card.jobs = KB_TRY(turn.tx.jobs().list_for_user(user_id, kRecentItems, 0));
  card.payments = KB_TRY(turn.tx.payments().stars_payments_for_user(user_id, kRecentItems));
  return std::optional<screens::UserCard>(std::move(card));
}

// The user card (edited in place after a press, a new message after typed input).
Result<void> show_user(Turn& turn, std::int64_t user_id, std::string_view note, bool as_new) {
  auto card = KB_TRY(load_card(turn, user_id));
  if (!card) {
    turn.state.reset();
    auto view = screens::prompt(
        turn.ctx(), turn.t("admin.users.not_found") + "\n" + turn.t("admin.users.prompt"));
    as_new ? turn.show_new(screen::admin_find, std::move(view))
           : turn.show(screen::admin_find, std::move(view));
    return {};
  }
  turn.state.reset();
  turn.state.values["user"] = user_id;
  auto view = screens::user_card(turn.ctx(), *card, note);
  as_new ? turn.show_new(screen::admin_user, std::move(view))
         : turn.show(screen::admin_user, std::move(view));
  return {};
}

Result<void> show_models(Turn& turn, int page, std::string_view note, bool as_new,
                         const catalog::Catalog* catalog = nullptr) {
  auto limit = KB_TRY(current_free_limit(turn));
  turn.state.reset();
  turn.state.page = page;
  ScreenContext ctx{turn.texts, turn.lang, catalog ? *catalog : turn.catalog, turn.settings, true};
  auto view = screens::models(ctx, page, limit, note);
  as_new ? turn.show_new(screen::admin_models, std::move(view))
         : turn.show(screen::admin_models, std::move(view));
  return {};
}

Result<void> show_payments(Turn& turn) {
  auto pending = KB_TRY(turn.tx.payments().pending_manual(kQueueShown));
  turn.state.reset();
  turn.show(screen::admin_payments,
            screens::payments(turn.ctx(), static_cast<std::int64_t>(pending.size())));
  for (const auto& r : pending) turn.reply.message(screens::manual_request(turn.ctx(), r));
  return {};
}

Result<void> toggle_model(Turn& turn, const CallbackData& data, ops::ModelSwitch which) {
  const catalog::Model* model = nullptr;
  for (const auto& m : turn.catalog.models)
    if (model_ref(m) == data.arg(0)) model = &m;
  int page = static_cast<int>(std::clamp<std::int64_t>(data.int_arg(1).value_or(0), 0, 100));
  if (!model) return show_models(turn, page, turn.t("errors.stale"), false);
  bool value = which == ops::ModelSwitch::enabled ? !model->enabled : !model->free;
  auto overrides =
      KB_TRY(ops::set_model_switch(turn.tx, turn.user.id, model->id, which, value, turn.now));
  // The screen shows the new switches at once; the holder takes them after the commit.
  auto updated = catalog::apply_overrides(turn.catalog, overrides);
  turn.new_overrides = std::move(overrides);
  turn.answer(turn.t("admin.models.switched"));
  return show_models(turn, page, {}, false, &updated);
}

// The broadcast draft kept in the state while composing.
std::optional<ops::BroadcastContent> draft(const Turn& turn) {
  auto it = turn.state.values.find("broadcast");
  if (it == turn.state.values.end() || !it->is_string()) return std::nullopt;
  return ops::content_from_json(it->get<std::string>());
}

Result<void> preview(Turn& turn, const ops::BroadcastContent& content) {
  turn.state.reset();
  turn.state.values["broadcast"] = ops::content_to_json(content);
  auto request = ops::broadcast_request(content, turn.chat_id);
  if (auto* text = std::get_if<telegram::SendMessage>(&request))
    turn.reply.request(std::move(*text));
  else
    turn.reply.media(std::get<telegram::SendMedia>(std::move(request)));
  auto recipients = KB_TRY(turn.tx.admin_stats().reachable_users());
  turn.show_new(screen::admin_preview,
                screens::broadcast_preview(turn.ctx(), recipients, !content.button_url.empty()));
  return {};
}

Result<void> queue_broadcast(Turn& turn) {
  auto content = draft(turn);
  if (!content) {
    turn.state.reset();
    turn.show(screen::admin, screens::home(turn.ctx(), turn.t("errors.stale")));
    return {};
  }
  auto json = ops::content_to_json(*content);
  auto id = KB_TRY(turn.tx.broadcasts().create(turn.user.id, json, turn.now));
  auto count = KB_TRY(turn.tx.broadcasts().enqueue_all(id));
  nlohmann::json audit{{"broadcast", id}, {"recipients", count}};
  KB_TRY(turn.tx.admin_actions().record(turn.user.id, "broadcast", std::nullopt, audit.dump(),
                                        turn.now));
  turn.broadcast_queued = true;
  turn.state.reset();
  turn.show(screen::admin, screens::home(turn.ctx(), turn.t("admin.broadcast.queued",
                                                            {{"id", std::to_string(id)},
                                                             {"count", std::to_string(count)}})));
  return {};
}

void ask(Turn& turn, std::string_view screen_id, std::string text, std::string_view back = {},
         std::vector<std::string> back_args = {}, bool as_new = false) {
  auto view = screens::prompt(turn.ctx(), std::move(text), back, std::move(back_args));
  as_new ? turn.show_new(screen_id, std::move(view)) : turn.show(screen_id, std::move(view));
}

}  // namespace

Result<void> show_home(Turn& turn, bool as_new) {
  turn.state.reset();
  as_new ? turn.show_new(screen::admin, screens::home(turn.ctx()))
         : turn.show(screen::admin, screens::home(turn.ctx()));
  return {};
}

bool handles(std::string_view action) {
  return admin_act::is_admin_action(action) || action == services::money_actions::stars_refund;
}

Result<void> on_callback(Turn& turn, const CallbackData& data) {
  if (!allowed(turn)) return {};
  const auto& a = data.action;
  if (a == admin_act::home) return show_home(turn, false);
  if (a == admin_act::stats) {
    auto period = ops::parse_period(data.arg(0)).value_or(ops::StatsPeriod::today);
    auto report = KB_TRY(ops::collect_stats(turn.tx, period, turn.now));
    turn.state.reset();
    turn.show(screen::admin_stats, screens::stats(turn.ctx(), report, turn.credits));
    return {};
  }
  if (a == admin_act::find_user) {
    turn.state.reset();
    ask(turn, screen::admin_find, turn.t("admin.users.prompt"));
    return {};
  }
  if (a == admin_act::user) return show_user(turn, data.int_arg(0).value_or(0), {}, false);
  if (a == admin_act::adjust) {
    auto id = data.int_arg(0).value_or(0);
    if (!KB_TRY(turn.tx.users().get(id))) return show_user(turn, id, {}, false);
    auto balance = KB_TRY(turn.tx.ledger().balance(id));
    turn.state.reset();
    turn.state.values["user"] = id;
    ask(turn, screen::admin_adjust,
        turn.t("admin.users.adjust_prompt", {{"available", rub(balance.available)}}),
        admin_act::user, {std::to_string(id)});
    return {};
  }
  if (a == admin_act::ban || a == admin_act::unban) {
    auto id = data.int_arg(0).value_or(0);
    bool ban = a == admin_act::ban;
    bool changed = KB_TRY(ops::set_banned(turn.tx, turn.user.id, id, ban, turn.now));
    auto note = changed ? turn.t(ban ? "admin.users.banned_done" : "admin.users.unbanned_done")
                        : std::string();
    if (changed) turn.answer(note);
    return show_user(turn, id, note, false);
  }
  if (a == admin_act::payments) return show_payments(turn);
  if (a == admin_act::refund) {
    turn.state.reset();
    ask(turn, screen::admin_refund, turn.t("admin.payments.refund_prompt"), admin_act::payments);
    return {};
  }
  if (a == services::money_actions::stars_refund) {
    auto payment = KB_TRY(services::find_stars_payment(turn.tx, data.int_arg(0).value_or(0),
                                                       data.int_arg(1).value_or(0)));
    if (!payment) {
      turn.answer(turn.t("payments.refund.unknown_payment"), true);
      return {};
    }
    turn.refund_charge = payment->telegram_payment_charge_id;
    turn.answer(turn.t("admin.payments.refund_started"));
    return {};
  }
  if (a == admin_act::models) {
    int page = static_cast<int>(std::clamp<std::int64_t>(data.int_arg(0).value_or(0), 0, 100));
    return show_models(turn, page, {}, false);
  }
  if (a == admin_act::toggle_enabled) return toggle_model(turn, data, ops::ModelSwitch::enabled);
  if (a == admin_act::toggle_free) return toggle_model(turn, data, ops::ModelSwitch::free);
  if (a == admin_act::free_limit) {
    auto limit = KB_TRY(current_free_limit(turn));
    turn.state.reset();
    ask(turn, screen::admin_limit,
        turn.t("admin.models.limit_prompt", {{"limit", std::to_string(limit)}}), admin_act::models,
        {"0"});
    return {};
  }
  if (a == admin_act::compose) {
    if (!turn.broadcasts_available) {
      turn.answer(turn.t("admin.broadcast.unavailable"), true);
      return {};
    }
    turn.state.reset();
    ask(turn, screen::admin_compose, turn.t("admin.broadcast.prompt"));
    return {};
  }
  if (a == admin_act::add_button) {
    auto content = draft(turn);
    if (!content) return show_home(turn, false);
    ask(turn, screen::admin_button, turn.t("admin.broadcast.button_prompt"), admin_act::compose);
    return {};
  }
  if (a == admin_act::send) return queue_broadcast(turn);
  if (a == admin_act::discard) return show_home(turn, false);
  stale(turn);
  return {};
}

Result<void> on_message(Turn& turn, const telegram::Message& m) {
  if (!turn.is_admin) {
    turn.main_menu(turn.t("errors.text_unexpected"), true);
    return {};
  }
  const auto& screen_id = turn.state.screen;
  auto text = std::string(trim(m.text.value_or("")));
  if (screen_id == screen::admin_find) {
    std::optional<store::User> user;
    if (auto id = parse_id(text))
      user = KB_TRY(turn.tx.users().get(*id));
    else if (!text.empty())
      user = KB_TRY(turn.tx.users().find_by_username(text));
    if (!user) {
      ask(turn, screen::admin_find,
          turn.t("admin.users.not_found") + "\n" + turn.t("admin.users.prompt"), {}, {}, true);
      return {};
    }
    return show_user(turn, user->id, {}, true);
  }
  if (screen_id == screen::admin_adjust) {
    auto it = turn.state.values.find("user");
    auto user_id =
        it != turn.state.values.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
    auto input = ops::parse_adjustment(text);
    if (!input) {
      ask(turn, screen::admin_adjust, turn.t("admin.users.adjust_invalid"), admin_act::user,
          {std::to_string(user_id)}, true);
      return {};
    }
    auto done = KB_TRY(
        ops::adjust_balance(turn.tx, turn.user.id, user_id, input->delta, input->reason, turn.now));
    auto note = done.applied
                    ? turn.t("admin.users.adjusted",
                             {{"delta", (input->delta > 0 ? "+" : "−") +
                                            rub(input->delta > 0 ? input->delta : -input->delta)},
                              {"available", rub(done.balance_after.available)}})
                    : turn.t("admin.users.adjust_insufficient");
    return show_user(turn, user_id, note, true);
  }
  if (screen_id == screen::admin_refund) {
    if (text.empty() || text.size() > 256) {
      ask(turn, screen::admin_refund, turn.t("admin.payments.refund_prompt"), admin_act::payments,
          {}, true);
      return {};
    }
    turn.refund_charge = text;
    turn.state.reset();
    turn.show_new(screen::admin,
                  screens::home(turn.ctx(), turn.t("admin.payments.refund_started")));
    return {};
  }
  if (screen_id == screen::admin_limit) {
    auto limit = parse_id(text);
    if (text == "0") limit = 0;
    if (!limit || *limit > 1000) {
      ask(turn, screen::admin_limit, turn.t("admin.models.limit_invalid"), admin_act::models, {"0"},
          true);
      return {};
    }
    KB_TRY(ops::set_free_daily_limit(turn.tx, turn.user.id, static_cast<int>(*limit), turn.now));
    return show_models(turn, 0,
                       turn.t("admin.models.limit_set", {{"limit", std::to_string(*limit)}}), true);
  }
  if (screen_id == screen::admin_compose) {
    ops::BroadcastContent content;
    if (!m.photo.empty()) {
      content.photo = m.photo.back().file_id;  // the largest size
      content.text = m.caption.value_or("");
    } else if (!text.empty()) {
      content.text = m.text.value_or("");
    } else {
      ask(turn, screen::admin_compose, turn.t("admin.broadcast.invalid"), {}, {}, true);
      return {};
    }
    // Telegram refuses longer texts for every recipient: say so now, not after the send.
    const std::size_t limit =
        !content.photo.empty() ? telegram::kMaxCaption : telegram::kMaxMessageText;
    if (telegram::utf16_length(content.text) > limit) {
      ask(turn, screen::admin_compose,
          turn.t("admin.broadcast.too_long", {{"limit", std::to_string(limit)}}), {}, {}, true);
      return {};
    }
    return preview(turn, content);
  }
  if (screen_id == screen::admin_button) {
    auto content = draft(turn);
    auto button = ops::parse_url_button(text);
    if (!content) return show_home(turn, true);
    if (!button) {
      ask(turn, screen::admin_button, turn.t("admin.broadcast.button_invalid"), admin_act::compose,
          {}, true);
      return {};
    }
    content->button_text = button->first;
    content->button_url = button->second;
    return preview(turn, *content);
  }
  return show_home(turn, true);
}

}  // namespace kb::bot::flows::admin
