// Admin notices and button presses of manual transfers.
#include "services/billing/manual_admin.hpp"

#include <fmt/format.h>

#include "services/billing/money_views.hpp"
#include "telegram/text.hpp"

namespace kb::services {
namespace {

Result<bot::Lang> lang_of(store::Tx& tx, std::int64_t user_id) {
  auto user = KB_TRY(tx.users().get(user_id));
  return user ? user_lang(*user) : bot::Lang::ru;
}

std::string admin_name(const std::optional<store::User>& admin, std::int64_t id) {
  if (!admin) return fmt::format("id {}", id);
  if (admin->username && !admin->username->empty()) return "@" + telegram::escape_html(*admin->username);
  return telegram::escape_html(admin->first_name);
}

std::string status_text(const bot::Texts& texts, bot::Lang lang, store::ManualStatus status) {
  return texts.get(lang, fmt::format("payments.manual.admin.status_{}", store::manual_status_name(status)));
}

// The request message without buttons (decided), when we know which message it is.
std::optional<telegram::EditMessageReplyMarkup> drop_buttons(const AdminPress& press) {
  if (press.message_id == 0) return std::nullopt;
  return telegram::EditMessageReplyMarkup{press.chat_id, press.message_id, std::nullopt};
}

std::string short_answer(std::string html) {
  return telegram::truncate_text(telegram::html_to_plain(html), telegram::kMaxCallbackAnswerText);
}

Result<AdminPressEffects> decision_effects(store::Tx& tx, const bot::Texts& texts, bot::Lang lang,
                                           const AdminPress& press, ManualDecision decision) {
  AdminPressEffects fx;
  fx.handled = true;
  auto id = std::to_string(decision.request ? decision.request->id : press.data.int_arg(0).value_or(0));
  switch (decision.status) {
    case ManualDecisionStatus::forbidden:
      fx.callback_answer = texts.get(lang, "payments.manual.admin.forbidden");
      fx.alert = true;
      break;
    case ManualDecisionStatus::not_found:
      fx.callback_answer = texts.get(lang, "payments.manual.admin.not_found");
      fx.alert = true;
      fx.edit = drop_buttons(press);
      break;
    case ManualDecisionStatus::already_decided: {
      const auto& r = *decision.request;
      auto who = KB_TRY(tx.users().get(r.decided_by.value_or(0)));
      fx.callback_answer = short_answer(texts.get(
          lang, "payments.manual.admin.already_decided",
          {{"id", id}, {"status", status_text(texts, lang, r.status) + ", " + admin_name(who, r.decided_by.value_or(0))}}));
      fx.alert = true;
      fx.edit = drop_buttons(press);
      break;
    }
    case ManualDecisionStatus::approved:
    case ManualDecisionStatus::rejected: {
      const auto& r = *decision.request;
      auto admin = KB_TRY(tx.users().get(press.admin_id));
      bot::TextParams params{{"id", id},
                             {"amount", format_rubles(r.amount_kopecks)},
                             {"admin", admin_name(admin, press.admin_id)}};
      std::string key = "payments.manual.admin.approved";
      if (decision.status == ManualDecisionStatus::rejected) {
        key = "payments.manual.admin.rejected";
        params.emplace_back("reason",
                            texts.get(lang, "payments.manual.reason." + r.reason.value_or("other")));
      }
      auto text = texts.get(lang, key, params);
      fx.callback_answer = short_answer(text);
      fx.edit = drop_buttons(press);
      telegram::SendMessage to_admin;
      to_admin.chat_id = press.chat_id;
      to_admin.text = text;
      if (press.message_id != 0) to_admin.reply_to_message_id = press.message_id;
      fx.messages.push_back(std::move(to_admin));
      auto user_lang_now = KB_TRY(lang_of(tx, r.user_id));
      fx.messages.push_back(manual_user_notice(texts, user_lang_now, decision));
      break;
    }
  }
  fx.decision = std::move(decision);
  return fx;
}

}  // namespace

Result<std::vector<telegram::SendMedia>> manual_admin_notices(store::Tx& tx, const bot::Texts& texts,
                                                              const ManualSubmitted& submitted) {
  std::vector<telegram::SendMedia> out;
  if (submitted.status != ManualSubmitStatus::submitted) return out;
  auto requester = KB_TRY(tx.users().get(submitted.request.user_id));
  for (auto admin : submitted.admins) {
    auto lang = KB_TRY(lang_of(tx, admin));
    out.push_back(manual_admin_notice(texts, lang, admin, submitted.request, requester));
  }
  return out;
}

Result<AdminPressEffects> handle_manual_admin_press(store::Tx& tx, const bot::Texts& texts,
                                                    const ManualTopupSettings& settings,
                                                    const ReferralSettings& referral,
                                                    const AdminPress& press, std::int64_t now) {
  AdminPressEffects fx;
  const auto& action = press.data.action;
  if (action != money_actions::manual_approve && action != money_actions::manual_reject &&
      action != money_actions::manual_reject_reason && action != money_actions::manual_back)
    return fx;
  fx.handled = true;
  auto lang = KB_TRY(lang_of(tx, press.admin_id));
  auto request_id = press.data.int_arg(0);
  if (!request_id) {
    fx.callback_answer = texts.get(lang, "payments.manual.admin.not_found");
    fx.alert = true;
    return fx;
  }
  if (action == money_actions::manual_approve) {
    auto decision = KB_TRY(approve_manual_topup(tx, settings, *request_id, press.admin_id, referral, now));
    return decision_effects(tx, texts, lang, press, std::move(decision));
  }
  if (action == money_actions::manual_reject_reason) {
    auto reason = domain::parse_reject_reason(press.data.arg(1)).value_or(domain::RejectReason::other);
    auto decision = KB_TRY(reject_manual_topup(tx, settings, *request_id, press.admin_id, reason, now));
    return decision_effects(tx, texts, lang, press, std::move(decision));
  }
  // Reject (choose a reason) and Back only change the buttons of a request still pending.
  ManualDecision state;
  if (!KB_TRY(is_money_admin(tx, settings, press.admin_id))) {
    state.status = ManualDecisionStatus::forbidden;
    return decision_effects(tx, texts, lang, press, std::move(state));
  }
  state.request = KB_TRY(tx.payments().manual(*request_id));
  if (!state.request) {
    state.status = ManualDecisionStatus::not_found;
    return decision_effects(tx, texts, lang, press, std::move(state));
  }
  if (state.request->status != store::ManualStatus::pending) {
    state.status = ManualDecisionStatus::already_decided;
    return decision_effects(tx, texts, lang, press, std::move(state));
  }
  if (press.message_id != 0) {
    auto keyboard = action == money_actions::manual_reject
                        ? manual_reason_keyboard(texts, lang, *request_id)
                        : manual_decision_keyboard(texts, lang, *state.request);
    fx.edit = telegram::EditMessageReplyMarkup{press.chat_id, press.message_id, keyboard};
  }
  if (action == money_actions::manual_reject)
    fx.callback_answer = short_answer(
        texts.get(lang, "payments.manual.admin.choose_reason", {{"id", std::to_string(*request_id)}}));
  return fx;
}

}  // namespace kb::services
