// What the conversation sends: screens (text + inline keyboard), plain messages, invoices and the
// answer to a button press. Pure values; the outbox adapter turns them into outbox rows.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "telegram/keyboard.hpp"
#include "telegram/requests.hpp"

namespace kb::bot {

struct View {
  std::string text;  // Telegram HTML
  telegram::InlineKeyboard keyboard;
};

struct Outgoing {
  enum class Kind {
    screen,   // the user's current screen: edits `edit_message_id` when set, else a new message
    message,  // an extra message (a notice, a payment confirmation), never edited later
    invoice,  // a Stars invoice
    request,  // a prepared sendMessage, possibly to another chat (an admin, a requester)
    markup,   // a prepared editMessageReplyMarkup (buttons of a decided request)
    media,    // a prepared photo/video/… message (a broadcast preview)
  };
  Kind kind = Kind::screen;
  View view;
  std::optional<std::int64_t> edit_message_id;
  std::optional<telegram::SendInvoice> invoice;
  std::int64_t chat_id = 0;  // 0: the update's chat
  std::optional<telegram::SendMessage> send;
  std::optional<telegram::EditMessageReplyMarkup> markup;
  std::optional<telegram::SendMedia> media{};
};

struct CallbackAnswer {
  std::string callback_query_id;
  std::string text;  // empty: just stop the spinner
  bool alert = false;
};

// Everything one update makes the bot say, in order. Answers go first (Telegram's deadlines).
struct Reply {
  std::int64_t chat_id = 0;
  std::optional<CallbackAnswer> answer;
  std::optional<telegram::AnswerPreCheckoutQuery> pre_checkout;
  std::vector<Outgoing> out;

  void screen(View v, std::optional<std::int64_t> edit = std::nullopt) {
    out.push_back(
        {Outgoing::Kind::screen, std::move(v), edit, std::nullopt, 0, std::nullopt, std::nullopt});
  }
  void message(View v) {
    out.push_back({Outgoing::Kind::message, std::move(v), std::nullopt, std::nullopt, 0,
                   std::nullopt, std::nullopt});
  }
  void invoice(telegram::SendInvoice inv) {
    out.push_back(
        {Outgoing::Kind::invoice, {}, std::nullopt, std::move(inv), 0, std::nullopt, std::nullopt});
  }
  void request(telegram::SendMessage m) {
    auto chat = m.chat_id;
    out.push_back({Outgoing::Kind::request,
                   {},
                   std::nullopt,
                   std::nullopt,
                   chat,
                   std::move(m),
                   std::nullopt});
  }
  void markup_edit(telegram::EditMessageReplyMarkup e) {
    auto chat = e.chat_id;
    out.push_back(
        {Outgoing::Kind::markup, {}, std::nullopt, std::nullopt, chat, std::nullopt, std::move(e)});
  }
  void media(telegram::SendMedia m) {
    auto chat = m.chat_id;
    out.push_back({Outgoing::Kind::media,
                   {},
                   std::nullopt,
                   std::nullopt,
                   chat,
                   std::nullopt,
                   std::nullopt,
                   std::move(m)});
  }
  // Chats other than the update's that this reply writes to (flushed after the commit too).
  std::vector<std::int64_t> other_chats() const {
    std::vector<std::int64_t> chats;
    for (const auto& o : out)
      if (o.chat_id && o.chat_id != chat_id &&
          std::find(chats.begin(), chats.end(), o.chat_id) == chats.end())
        chats.push_back(o.chat_id);
    return chats;
  }
};

}  // namespace kb::bot
