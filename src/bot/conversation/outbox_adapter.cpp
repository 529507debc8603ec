// Reply → outbox rows.
#include "bot/conversation/outbox_adapter.hpp"

#include <string>

#include "bot/state.hpp"
#include "core/log.hpp"
#include "services/outbox/outbox_drafts.hpp"

namespace kb::bot {
namespace {

std::optional<telegram::InlineKeyboard> markup(const View& v) {
  if (v.keyboard.empty()) return std::nullopt;
  return v.keyboard;
}

}  // namespace

Result<int> enqueue_reply(store::Tx& tx, const Reply& reply, std::int64_t user_id,
                          std::int64_t received_at, std::int64_t now) {
  int count = 0;
  auto put = [&](Result<store::OutboxDraft> draft) -> Result<void> {
    if (!draft) {
      // Our own bug (a text over the limit, a broken keyboard): never stored, never retried.
      log::error("outbox_draft_invalid", {{"user", user_id}, {"error", draft.error().message}});
      return {};
    }
    KB_TRY(tx.outbox().enqueue(*draft, now));
    ++count;
    return {};
  };
  if (reply.answer) {
    telegram::AnswerCallbackQuery a;
    a.callback_query_id = reply.answer->callback_query_id;
    a.text = reply.answer->text;
    a.show_alert = reply.answer->alert;
    KB_TRY(put(services::outbox_draft(reply.chat_id, a, received_at)));
  }
  if (reply.pre_checkout)
    KB_TRY(put(services::outbox_draft(reply.chat_id, *reply.pre_checkout, received_at)));
  services::OutboxPurpose screen{std::string(services::kPurposeScreen), std::to_string(user_id)};
  for (const auto& out : reply.out) {
    auto chat = out.chat_id ? out.chat_id : reply.chat_id;
    switch (out.kind) {
      case Outgoing::Kind::screen:
        if (out.edit_message_id) {
          telegram::EditMessageText e;
          e.chat_id = chat;
          e.message_id = *out.edit_message_id;
          e.text = out.view.text;
          e.reply_markup = markup(out.view);
          e.disable_link_preview = true;
          KB_TRY(put(services::outbox_draft(e, screen)));
        } else {
          telegram::SendMessage m;
          m.chat_id = chat;
          m.text = out.view.text;
          m.reply_markup = markup(out.view);
          m.disable_link_preview = true;
          KB_TRY(put(services::outbox_draft(m, screen)));
        }
        break;
      case Outgoing::Kind::message: {
        telegram::SendMessage m;
        m.chat_id = chat;
        m.text = out.view.text;
        m.reply_markup = markup(out.view);
        m.disable_link_preview = true;
        KB_TRY(put(services::outbox_draft(m)));
        break;
      }
      case Outgoing::Kind::invoice:
        if (out.invoice) KB_TRY(put(services::outbox_draft(*out.invoice)));
        break;
      case Outgoing::Kind::request:
        if (out.send) KB_TRY(put(services::outbox_draft(*out.send)));
        break;
      case Outgoing::Kind::markup:
        if (out.markup) KB_TRY(put(services::outbox_draft(*out.markup)));
        break;
      case Outgoing::Kind::media:
        if (out.media) KB_TRY(put(services::outbox_draft(*out.media)));
        break;
    }
  }
  return count;
}

Result<void> remember_screen_message(store::Tx& tx, std::int64_t user_id, std::int64_t message_id,
                                     std::int64_t now) {
  auto stored = KB_TRY(tx.conversations().load(user_id));
  if (!stored) return {};
  auto state = state_from_json(stored->state_json);
  if (state.screen_message_id == message_id) return {};
  state.screen_message_id = message_id;
  auto saved = tx.conversations().save(user_id, state_to_json(state), stored->version,
                                       stored->expires_at, now);
  // A newer update changed the state meanwhile: its own screen message will be remembered.
  if (!saved && saved.error().code != Errc::conflict) return fail(saved.error());
  return {};
}

}  // namespace kb::bot
