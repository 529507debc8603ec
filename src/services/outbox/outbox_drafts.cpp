// Outbox drafts from typed requests, and stored rows back into ApiCalls.
#include "services/outbox/outbox_drafts.hpp"

#include <fmt/format.h>

namespace kb::services {
namespace {

store::OutboxDraft from_call(std::int64_t chat_id, const telegram::ApiCall& call,
                             OutboxPurpose purpose) {
  store::OutboxDraft d;
  d.chat_id = chat_id;
  d.method = call.method;
  d.params_json = call.params.dump();
  d.purpose = std::move(purpose.name);
  d.purpose_ref = std::move(purpose.ref);
  return d;
}

Result<store::OutboxDraft> checked(std::int64_t chat_id, Result<telegram::ApiCall> call,
                                   OutboxPurpose purpose) {
  if (!call) return Unexpected(std::move(call).error());
  if (!call->uploads.empty())
    return fail(Errc::invalid_input,
                fmt::format("{} with an uploaded file cannot go through the outbox: send a "
                            "file_id or URL",
                            call->method));
  return from_call(chat_id, *call, std::move(purpose));
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<store::OutboxDraft> outbox_draft(const telegram::SendMessage& p, OutboxPurpose purpose) {
  return checked(p.chat_id, telegram::build_send_message(p), std::move(purpose));
}

Result<store::OutboxDraft> outbox_draft(const telegram::EditMessageText& p, OutboxPurpose purpose) {
  return checked(p.chat_id, telegram::build_edit_message_text(p), std::move(purpose));
}

Result<store::OutboxDraft> outbox_draft(const telegram::EditMessageReplyMarkup& p,
                                        OutboxPurpose purpose) {
  return checked(p.chat_id, telegram::build_edit_message_reply_markup(p), std::move(purpose));
}

Result<store::OutboxDraft> outbox_draft(const DeleteMessage& p, OutboxPurpose purpose) {
  return checked(p.chat_id, telegram::build_delete_message(p.chat_id, p.message_id),
                 std::move(purpose));
}

Result<store::OutboxDraft> outbox_draft(const telegram::SendInvoice& p, OutboxPurpose purpose) {
  return checked(p.chat_id, telegram::build_send_invoice(p), std::move(purpose));
}

Result<store::OutboxDraft> outbox_draft(const telegram::SendMedia& p, OutboxPurpose purpose) {
  return checked(p.chat_id, telegram::build_send_media(p), std::move(purpose));
}

Result<store::OutboxDraft> outbox_draft(const telegram::SendMediaGroup& p, OutboxPurpose purpose) {
  return checked(p.chat_id, telegram::build_send_media_group(p), std::move(purpose));
}

Result<store::OutboxDraft> outbox_draft(std::int64_t chat_id,
                                        const telegram::AnswerCallbackQuery& p,
                                        std::int64_t received_at) {
  if (p.callback_query_id.empty()) return fail(Errc::invalid_input, "callback_query_id is empty");
  auto d = from_call(chat_id, telegram::build_answer_callback_query(p), {});
  d.priority = store::Outbox::kUrgentPriority;
  d.deadline_at = received_at + kCallbackAnswerWindowMs;
  return d;
}

Result<store::OutboxDraft> outbox_draft(std::int64_t chat_id,
                                        const telegram::AnswerPreCheckoutQuery& p,
                                        std::int64_t received_at) {
  auto d = KB_TRY(checked(chat_id, telegram::build_answer_pre_checkout_query(p), {}));
  d.priority = store::Outbox::kUrgentPriority;
  d.deadline_at = received_at + kPreCheckoutAnswerWindowMs;
  return d;
}

Result<telegram::ApiCall> api_call_for(const store::OutboxRow& row) {
  telegram::ApiCall call;
  call.method = row.method;
  call.params = nlohmann::json::parse(row.params_json, nullptr, false);
  if (call.params.is_discarded() || !call.params.is_object())
    return fail(Errc::invalid_input,
                fmt::format("outbox row {}: parameters are not a JSON object", row.id));
  // The same limiter scope and duplicate safety the typed builders set (telegram/requests.cpp).
  std::string_view m = row.method;
  bool is_send = starts_with(m, "send") && m != "sendChatAction";
  if (is_send || starts_with(m, "edit") || m == "sendChatAction") {
    call.throttle = telegram::Throttle::message;
    call.chat_id = row.chat_id;
    if (auto it = call.params.find("chat_id"); it != call.params.end() && it->is_number_integer())
      call.chat_id = it->get<std::int64_t>();
  }
  call.may_duplicate = is_send;
  if (m == "sendMediaGroup") {
    if (auto it = call.params.find("media"); it != call.params.end() && it->is_array())
      call.cost = static_cast<int>(std::max<std::size_t>(1, it->size()));
  }
  return call;
}

}  // namespace kb::services
