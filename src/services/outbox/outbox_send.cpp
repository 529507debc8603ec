// OutboxSender: sending one row and recording what happened (error classes of pipeline.md §3).
#include <fmt/format.h>

#include <limits>

#include "core/log.hpp"
#include "domain/schedule.hpp"
#include "services/outbox/outbox_drafts.hpp"
#include "services/outbox/outbox_sender_impl.hpp"
#include "telegram/errors.hpp"

namespace kb::services {
namespace {

// The message a call produced or edited: a Message object, the first of an album, or (edits
// answered `true`, "not modified") the message_id parameter.
std::optional<std::int64_t> message_id_of(const nlohmann::json& result,
                                          const nlohmann::json& params) {
  const nlohmann::json* m = &result;
  if (result.is_array() && !result.empty()) m = &result.front();
  if (m->is_object()) {
    if (auto it = m->find("message_id"); it != m->end() && it->is_number_integer())
      return it->get<std::int64_t>();
  }
  if (auto it = params.find("message_id"); it != params.end() && it->is_number_integer())
    return it->get<std::int64_t>();
  return std::nullopt;
}

std::optional<std::int64_t> edited_message_id(const nlohmann::json& params) {
  return message_id_of(nlohmann::json(), params);
}

// editMessageText of a message that no longer exists: the same text as a new message.
telegram::ApiCall as_new_message(telegram::ApiCall call) {
  call.method = "sendMessage";
  call.params.erase("message_id");
  call.params.erase("inline_message_id");
  call.may_duplicate = true;
  return call;
}

// How many tries a row gets. A row with a deadline is tried until its deadline (a job's failure
// notice waits out a Telegram outage; an answer's deadline is seconds); one without, `max_attempts`
// times (1 s doubling to 60 s: about two minutes of trouble).
int attempt_limit(const store::OutboxRow& row, int max_attempts) {
  return row.deadline_at ? std::numeric_limits<int>::max() : max_attempts;
}

}  // namespace

Task<OutboxSender::Impl::Next> OutboxSender::Impl::send_row(const store::OutboxRow& row) {
  auto now = clock.now_ms();
  if (row.deadline_at && now > *row.deadline_at) {
    log::info("outbox_deadline_passed", {{"row", row.id},
                                         {"method", row.method},
                                         {"chat_id", row.chat_id},
                                         {"late_ms", now - *row.deadline_at}});
    co_await finish_dropped(row, "deadline passed");
    co_return Next::go_on;
  }
  // Claimed this often without an outcome (each crash or lapsed lease counts): a row that kills
  // the sender, or one sent many times already. Never again.
  if (row.attempts >= attempt_limit(row, o.max_attempts)) {
    log::error("outbox_row_abandoned", {{"row", row.id}, {"method", row.method}, {"attempts", row.attempts}});
    co_await finish_failed(row, "claimed repeatedly without an outcome (crash or lost lease)");
    co_return Next::go_on;
  }
  auto call = api_call_for(row);
  if (!call) {
    log::error("outbox_row_invalid", {{"row", row.id}, {"error", call.error().message}});
    co_await finish_failed(row, call.error().message);
    co_return Next::go_on;
  }
  auto params = call->params;
  auto sent = co_await telegram.call(*call);
  if (!sent) {
    auto info = telegram::classify(sent.error());
    // The message to edit is gone or Telegram will not edit it (too old, not text): the text
    // still reaches the user, as a new message.
    if ((info.kind == telegram::ErrorKind::message_to_edit_not_found ||
         info.kind == telegram::ErrorKind::message_cant_be_edited) &&
        row.method == "editMessageText") {
      log::info("outbox_edit_target_gone", {{"row", row.id}, {"chat_id", row.chat_id},
                                            {"kind", telegram::error_kind_name(info.kind)}});
      sent = co_await telegram.call(as_new_message(std::move(*call)));
      if (sent) {
        co_await finish_sent(row, message_id_of(*sent, nlohmann::json::object()));
        co_return Next::go_on;
      }
      info = telegram::classify(sent.error());
    }
    const auto& error = sent.error();
    auto kind = telegram::error_kind_name(info.kind);
    switch (info.error_class) {
      case telegram::ErrorClass::expected:
        if (info.kind == telegram::ErrorKind::message_not_modified) {
          co_await finish_sent(row, edited_message_id(params));
          co_return Next::go_on;
        }
        if (telegram::recipient_unreachable(info.kind))
          co_return co_await finish_unreachable(row, kind);
        log::info(
            "outbox_expected_refusal",
            {{"row", row.id}, {"method", row.method}, {"chat_id", row.chat_id}, {"kind", kind}});
        co_await finish_dropped(row, kind);
        co_return Next::go_on;
      case telegram::ErrorClass::retryable:
        co_return co_await schedule_retry(row, fmt::format("{}: {}", kind, error.message));
      case telegram::ErrorClass::fatal:
      case telegram::ErrorClass::bug:
        log::error("outbox_send_failed", {{"row", row.id},
                                          {"method", row.method},
                                          {"chat_id", row.chat_id},
                                          {"class", telegram::error_class_name(info.error_class)},
                                          {"kind", kind},
                                          {"error", error.message}});
        co_await finish_failed(row, fmt::format("{}: {}", kind, error.message));
        co_return Next::go_on;
    }
  }
  co_await finish_sent(row, message_id_of(*sent, params));
  co_return Next::go_on;
}

Task<void> OutboxSender::Impl::finish_sent(const store::OutboxRow& row,
                                           std::optional<std::int64_t> message_id) {
  auto now = clock.now_ms();
  const OutboxHook* hook = nullptr;
  if (!row.purpose.empty()) {
    if (auto it = hooks.find(row.purpose); it != hooks.end())
      hook = &it->second;
    else
      log::warn("outbox_unknown_purpose", {{"row", row.id}, {"purpose", row.purpose}});
  }
  auto done = co_await db.transact<bool>([&](store::Tx& tx) -> Result<bool> {
    auto marked = KB_TRY(tx.outbox().mark_sent(row.id, message_id, now));
    if (marked && hook) KB_TRY((*hook)(tx, row, message_id, now));
    return marked;
  });
  if (!done && hook) {
    // The hook failed (or the database did): record the send without it, so the message is
    // not sent twice.
    log::error("outbox_hook_failed",
               {{"row", row.id}, {"purpose", row.purpose}, {"error", done.error().message}});
    done = co_await db.transact<bool>(
        [&](store::Tx& tx) { return tx.outbox().mark_sent(row.id, message_id, now); });
  }
  if (!done)
    log::warn("outbox_mark_sent_failed", {{"row", row.id}, {"error", done.error().message}});
  count("sent", row.method);
}

Task<void> OutboxSender::Impl::finish_dropped(const store::OutboxRow& row,
                                              std::string_view reason) {
  auto now = clock.now_ms();
  auto done = co_await db.transact<bool>(
      [&](store::Tx& tx) { return tx.outbox().mark_dropped(row.id, reason, now); });
  if (!done) log::warn("outbox_mark_failed", {{"row", row.id}, {"error", done.error().message}});
  count("dropped", row.method);
}

Task<void> OutboxSender::Impl::finish_failed(const store::OutboxRow& row, std::string_view reason) {
  auto now = clock.now_ms();
  auto done = co_await db.transact<bool>(
      [&](store::Tx& tx) { return tx.outbox().mark_failed(row.id, reason, now); });
  if (!done) log::warn("outbox_mark_failed", {{"row", row.id}, {"error", done.error().message}});
  count("failed", row.method);
}

Task<OutboxSender::Impl::Next> OutboxSender::Impl::finish_unreachable(const store::OutboxRow& row,
                                                                      std::string_view reason) {
  auto now = clock.now_ms();
  // Private chats have the user's id: remember that they blocked the bot (they are unblocked when
  // they write again). Nothing else for this chat can be delivered either.
  auto dropped = co_await db.transact<std::int64_t>([&](store::Tx& tx) -> Result<std::int64_t> {
    KB_TRY(tx.outbox().mark_dropped(row.id, reason, now));
    auto others = KB_TRY(tx.outbox().drop_pending_for_chat(row.chat_id, reason, now));
    if (row.chat_id > 0) KB_TRY(tx.users().set_blocked(row.chat_id, true, now));
    return others;
  });
  if (!dropped) {
    log::warn("outbox_mark_failed", {{"row", row.id}, {"error", dropped.error().message}});
  } else {
    log::info("outbox_recipient_unreachable",
              {{"chat_id", row.chat_id}, {"reason", reason}, {"other_rows_dropped", *dropped}});
  }
  count("unreachable", row.method);
  co_return Next::hold_chat;
}

Task<OutboxSender::Impl::Next> OutboxSender::Impl::schedule_retry(const store::OutboxRow& row,
                                                                  std::string_view reason) {
  auto now = clock.now_ms();
  auto delay = domain::retry_backoff_ms(row.attempts, o.retry_first_ms, o.retry_max_ms);
  auto at = now + delay;
  int max_attempts = attempt_limit(row, o.max_attempts);
  auto r = co_await db.transact<store::OutboxRetry>(
      [&](store::Tx& tx) { return tx.outbox().retry_later(row.id, reason, at, max_attempts); });
  if (!r) {
    log::warn("outbox_mark_failed", {{"row", row.id}, {"error", r.error().message}});
  } else if (*r == store::OutboxRetry::failed) {
    log::error("outbox_gave_up", {{"row", row.id},
                                  {"method", row.method},
                                  {"chat_id", row.chat_id},
                                  {"attempts", row.attempts + 1},
                                  {"error", reason}});
    count("failed", row.method);
    co_return Next::go_on;
  } else {
    log::info("outbox_retry_scheduled",
              {{"row", row.id}, {"method", row.method}, {"delay_ms", delay}, {"error", reason}});
  }
  count("retry", row.method);
  // Urgent rows do not hold the chat back; an ordinary one keeps the chat's order.
  co_return row.priority > 0 ? Next::go_on : Next::hold_chat;
}

}  // namespace kb::services
