// The update → one transaction → outbox pipeline of the conversation.
#include "bot/conversation/conversation_handler.hpp"

#include <algorithm>

#include "bot/actions.hpp"
#include "bot/admin_actions.hpp"
#include "services/admin/admin_ops.hpp"
#include "services/admin/credits_cache.hpp"
#include "services/billing/stars_refund.hpp"
#include "bot/conversation/flows.hpp"
#include "bot/conversation/outbox_adapter.hpp"
#include "core/log.hpp"
#include "services/billing/money_views.hpp"
#include "services/outbox/outbox_drafts.hpp"
#include "services/outbox/outbox_sender.hpp"
#include "telegram/media.hpp"
#include "telegram/parse.hpp"

namespace kb::bot {
namespace {

constexpr int kMaxStateConflicts = 4;

const telegram::User* sender_of(const telegram::Update& u) {
  if (u.message && u.message->from) return &*u.message->from;
  if (u.edited_message && u.edited_message->from) return &*u.edited_message->from;
  if (u.callback_query) return &u.callback_query->from;
  if (u.pre_checkout_query) return &u.pre_checkout_query->from;
  if (u.my_chat_member) return &u.my_chat_member->from;
  return nullptr;
}

store::TelegramProfile profile_of(const telegram::User& u) {
  store::TelegramProfile p;
  p.id = u.id;
  p.first_name = u.first_name;
  if (!u.username.empty()) p.username = u.username;
  if (!u.last_name.empty()) p.last_name = u.last_name;
  if (!u.language_code.empty()) p.language_code = u.language_code;
  return p;
}

// What an update costs from the user's bucket; 0: never limited (payments, membership changes).
std::int64_t cost_of(const telegram::Update& u, const BotSettings& s) {
  if (u.pre_checkout_query || u.my_chat_member) return 0;
  if (u.callback_query) {
    auto data = decode_callback(u.callback_query->data.value_or(""));
    return data && data->action == act::generate ? s.costs.generation : s.costs.action;
  }
  const auto* m = u.message ? &*u.message : u.edited_message ? &*u.edited_message : nullptr;
  if (!m || m->successful_payment || m->refunded_payment) return 0;
  return telegram::extract_media(*m).file ? s.costs.upload : s.costs.action;
}

Result<void> route(Turn& turn) {
  const auto& u = turn.update;
  if (u.callback_query) return flows::on_callback(turn, *u.callback_query);
  if (u.pre_checkout_query) return flows::on_pre_checkout(turn, *u.pre_checkout_query);
  if (u.message) return flows::on_message(turn, *u.message);
  if (u.edited_message) {
    if (u.edited_message->chat.type == telegram::ChatType::private_chat)
      turn.reply.message({turn.t("errors.edited"), {}});
    return {};
  }
  return {};
}

// The refusal for a banned user or a user over the rate limit: an alert on a button, a message
// otherwise, a refused pre-checkout.
void refuse(Turn& turn, std::string text) {
  if (turn.update.pre_checkout_query) {
    telegram::AnswerPreCheckoutQuery a;
    a.pre_checkout_query_id = turn.update.pre_checkout_query->id;
    a.ok = false;
    a.error_message = text;
    turn.reply.pre_checkout = std::move(a);
  } else if (turn.callback_query_id) {
    turn.answer(std::move(text), true);
  } else if (turn.update.message) {
    turn.reply.message({std::move(text), {}});
  }
}

}  // namespace

ConversationHandler::ConversationHandler(ConversationDeps deps) : d_(std::move(deps)) {
  limiter_ = std::make_unique<RateLimiter>(d_.settings.rate, d_.db.features().rate_limits);
}

void ConversationHandler::register_hooks(services::OutboxSender& sender) {
  sender.on_sent(std::string(services::kPurposeScreen),
                 [](store::Tx& tx, const store::OutboxRow& row,
                    std::optional<std::int64_t> message_id, std::int64_t now) -> Result<void> {
                   if (!message_id) return {};
                   std::int64_t user_id = 0;
                   try {
                     user_id = std::stoll(row.purpose_ref);
                   } catch (...) {
                     return {};
                   }
                   return remember_screen_message(tx, user_id, *message_id, now);
                 });
}

Task<Result<void>> ConversationHandler::handle(const store::InboxItem& item) {
  auto parsed = telegram::parse_update(item.payload_json);
  if (!parsed) {
    log::warn("update_unparseable",
              {{"update_id", item.update_id}, {"error", parsed.error().message}});
    auto now = d_.clock.now_ms();
    auto id = item.update_id;
    co_return co_await d_.db.transact<void>([id, now](store::Tx& tx) -> Result<void> {
      KB_TRY(tx.inbox().complete(id, now));
      return {};
    });
  }
  const telegram::Update update = std::move(*parsed);
  // Stats shows the provider balance: fetched (at most once per the cache's TTL) before the
  // transaction, never inside it. Only the admin check inside decides whether it is shown.
  if (d_.credits && update.callback_query) {
    auto data = decode_callback(update.callback_query->data.value_or(""));
    if (data && data->action == admin_act::stats) co_await d_.credits->refresh_if_stale();
  }
  for (int attempt = 1;; ++attempt) {
    auto catalog = d_.catalog.get();
    auto now = d_.clock.now_ms();
    auto* self = this;
    auto work = [self, &update, &item, &catalog, now](store::Tx& tx) -> Result<Outcome> {
      Outcome outcome;
      const auto& d = self->d_;
      const auto* from = sender_of(update);
      if (!from || from->is_bot) {
        KB_TRY(tx.inbox().complete(item.update_id, now));
        return outcome;
      }
      auto seen = KB_TRY(tx.users().upsert_seen(profile_of(*from), now));
      if (update.my_chat_member) {
        if (update.my_chat_member->user_blocked_bot())
          KB_TRY(tx.users().set_blocked(from->id, true, now));
        KB_TRY(tx.inbox().complete(item.update_id, now));
        return outcome;
      }
      // An admin's free daily limit (database) over FREE_DAILY_LIMIT, effective at once.
      const BotSettings* settings = &d.settings;
      BotSettings adjusted;
      if (auto limit = KB_TRY(services::admin::free_daily_limit(tx));
          limit && *limit != d.settings.money.free.daily_limit) {
        adjusted = d.settings;
        adjusted.money.free.daily_limit = *limit;
        settings = &adjusted;
      }
      Turn turn{tx, update, item, d.texts, *catalog, *settings, now};
      turn.broadcasts_available = d.db.features().broadcasts;
      if (d.credits) turn.credits = d.credits->cached();
      turn.user = seen.user;
      turn.user_created = seen.created;
      turn.chat_id = update.chat_id().value_or(from->id);
      turn.reply.chat_id = turn.chat_id;
      turn.lang = services::user_lang(turn.user);
      const auto& admins = d.settings.admin_ids;
      turn.is_admin = turn.user.role == store::Role::admin ||
                      std::find(admins.begin(), admins.end(), turn.user.id) != admins.end();
      if (update.callback_query) {
        turn.callback_query_id = update.callback_query->id;
        const auto& m = update.callback_query->message;
        if (m && !m->inaccessible()) turn.pressed_message_id = m->message_id;
      }
      outcome.chat_id = turn.chat_id;
      std::optional<std::int64_t> wait_ms;
      if (auto cost = cost_of(update, d.settings); cost > 0 && !turn.is_admin && !turn.user.banned)
        wait_ms = KB_TRY(self->limiter_->take(tx, turn.user.id, cost, now));
      if (turn.user.banned) {
        refuse(turn, turn.t("errors.banned"));
      } else if (wait_ms) {
        // Over the limit: a friendly wait, nothing else (an INFO line, never an ERROR).
        log::info("user_rate_limited", {{"user", turn.user.id}, {"update_id", update.update_id}});
        auto seconds = std::max<std::int64_t>(1, (*wait_ms + 999) / 1000);
        refuse(turn, turn.t("errors.rate_limited", {{"seconds", std::to_string(seconds)}}));
      } else {
        auto stored = KB_TRY(tx.conversations().load(turn.user.id));
        std::int64_t version = stored ? stored->version : 0;
        if (stored) turn.state = state_from_json(stored->state_json);
        // No "update_id <= last applied" shortcut: the inbox already deduplicates, the state
        // commits with the completion, and Telegram restarts ids randomly after a quiet week.
        bool expired = stored && stored->expired(now) && turn.state.in_wizard();
        if (expired) turn.state.reset();
        if (expired && update.message && !update.message->successful_payment)
          turn.main_menu(turn.t("errors.expired"), true);
        else
          KB_TRY(route(turn));
        if (turn.callback_query_id && !turn.reply.answer) turn.answer("");
        turn.state.last_update_id = update.update_id;
        std::optional<std::int64_t> expires;
        if (turn.state.in_wizard()) expires = now + d.settings.wizard_ttl_ms;
        KB_TRY(tx.conversations().save(turn.user.id, state_to_json(turn.state), version, expires,
                                       now));
      }
      auto enqueued = KB_TRY(enqueue_reply(tx, turn.reply, turn.user.id, item.received_at, now));
      KB_TRY(tx.inbox().complete(item.update_id, now));
      outcome.enqueued = enqueued > 0;
      outcome.other_chats = turn.reply.other_chats();
      outcome.job_created = turn.job_created;
      outcome.user_id = turn.user.id;
      outcome.lang = turn.lang;
      outcome.new_overrides = std::move(turn.new_overrides);
      outcome.refund_charge = std::move(turn.refund_charge);
      outcome.broadcast_queued = turn.broadcast_queued;
      return outcome;
    };
    std::function<Result<Outcome>(store::Tx&)> unit = work;
    auto result = co_await d_.db.transact<Outcome>(std::move(unit));
    if (!result) {
      // Another instance (or an outbox hook) changed the state first: decide again on the new one.
      if (result.error().code == Errc::conflict && attempt < kMaxStateConflicts) continue;
      co_return fail(result.error());
    }
    if (result->enqueued && d_.outbox) {
      d_.outbox->flush(result->chat_id);
      for (auto chat : result->other_chats) d_.outbox->flush(chat);
    }
    if (result->job_created && d_.wake_jobs) d_.wake_jobs();
    if (result->new_overrides) d_.catalog.set_overrides(std::move(*result->new_overrides));
    if (result->broadcast_queued && d_.wake_broadcasts) d_.wake_broadcasts();
    if (result->refund_charge)
      co_await run_refund(result->user_id, result->chat_id, result->lang,
                          std::move(*result->refund_charge));
    co_return Result<void>{};
  }
}

Task<void> ConversationHandler::run_refund(std::int64_t admin_id, std::int64_t chat_id, Lang lang,
                                           std::string charge_id) {
  std::string text;
  if (!d_.telegram) {
    text = d_.texts.get(lang, "payments.refund.telegram_refused", {{"error", "no Bot API"}});
  } else {
    auto outcome =
        co_await services::refund_stars_payment(d_.db, *d_.telegram, d_.clock, charge_id, admin_id);
    if (!outcome) {
      log::warn("stars_refund_failed", {{"admin", admin_id}, {"error", outcome.error().message}});
      text = d_.texts.get(lang, "errors.temporary");
    } else {
      text = services::refund_outcome_text(d_.texts, lang, *outcome);
    }
  }
  Reply reply;
  reply.chat_id = chat_id;
  reply.message({text, {}});
  auto now = d_.clock.now_ms();
  auto enqueued = co_await d_.db.transact<int>([&reply, admin_id, now](store::Tx& tx) {
    return enqueue_reply(tx, reply, admin_id, now, now);
  });
  if (!enqueued)
    log::warn("stars_refund_report_failed",
              {{"admin", admin_id}, {"error", enqueued.error().message}});
  else if (d_.outbox)
    d_.outbox->flush(chat_id);
}

}  // namespace kb::bot
