// Outbox rows from the typed Bot API requests (telegram/requests.hpp), so bot code never writes
// Bot API JSON by hand, and the way back: the ApiCall a stored row is sent with.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "store/repos/outbox.hpp"
#include "telegram/requests.hpp"

namespace kb::services {

// What the sender does after the row was sent: the hook registered under `name` runs with `ref`
// (see OutboxSender::on_sent). Built-in names are below; other modules register their own.
struct OutboxPurpose {
  std::string name{};
  std::string ref{};
};

// The message id becomes the user's current screen message (ref: the user id).
inline constexpr std::string_view kPurposeScreen = "screen";

// Telegram's answer windows, a little shorter so a late row is dropped rather than refused.
inline constexpr std::int64_t kCallbackAnswerWindowMs = 14'000;
inline constexpr std::int64_t kPreCheckoutAnswerWindowMs = 9'000;

// deleteMessage has no parameter struct in telegram/requests.hpp.
struct DeleteMessage {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
};

// Messages: ordered per chat. A failure of the typed builder (text too long, bad keyboard) is
// returned, never stored.
Result<store::OutboxDraft> outbox_draft(const telegram::SendMessage& p, OutboxPurpose purpose = {});
Result<store::OutboxDraft> outbox_draft(const telegram::EditMessageText& p,
                                        OutboxPurpose purpose = {});
Result<store::OutboxDraft> outbox_draft(const telegram::EditMessageReplyMarkup& p,
                                        OutboxPurpose purpose = {});
Result<store::OutboxDraft> outbox_draft(const DeleteMessage& p, OutboxPurpose purpose = {});
Result<store::OutboxDraft> outbox_draft(const telegram::SendInvoice& p, OutboxPurpose purpose = {});
// Media by file_id or URL only: uploads cannot be stored (invalid_input).
Result<store::OutboxDraft> outbox_draft(const telegram::SendMedia& p, OutboxPurpose purpose = {});
Result<store::OutboxDraft> outbox_draft(const telegram::SendMediaGroup& p,
                                        OutboxPurpose purpose = {});

// Answers: urgent (sent before the chat's other rows) and dropped past their deadline. `chat_id`
// is the private chat of the user who pressed / pays (the update's ordering key);
// `received_at` is when the update arrived (InboxItem::received_at).
Result<store::OutboxDraft> outbox_draft(std::int64_t chat_id,
                                        const telegram::AnswerCallbackQuery& p,
                                        std::int64_t received_at);
Result<store::OutboxDraft> outbox_draft(std::int64_t chat_id,
                                        const telegram::AnswerPreCheckoutQuery& p,
                                        std::int64_t received_at);

// The call a stored row is sent with (limiter scope, duplicate safety from the method name).
Result<telegram::ApiCall> api_call_for(const store::OutboxRow& row);

}  // namespace kb::services
