// The one place where the conversation's Reply becomes outbox rows (typed Bot API requests via
// services/outbox/outbox_drafts.hpp), inside the update's transaction.
#pragma once

#include <cstdint>

#include "bot/view.hpp"
#include "core/result.hpp"
#include "store/tx.hpp"

namespace kb::bot {

// Enqueues the reply: answers first (urgent, with deadlines from `received_at`), then the messages
// in order. Screens carry the "screen" purpose (ref: `user_id`) so their message id is remembered.
Result<int> enqueue_reply(store::Tx& tx, const Reply& reply, std::int64_t user_id,
                          std::int64_t received_at, std::int64_t now);

// The "screen" purpose hook: stores the sent message's id as the user's current screen message.
Result<void> remember_screen_message(store::Tx& tx, std::int64_t user_id, std::int64_t message_id,
                                     std::int64_t now);

}  // namespace kb::bot
