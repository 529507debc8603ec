// Classification of Bot API failures (reference §8): expected domain outcomes, retryable
// conditions, fatal configuration errors and our own bugs. Matching is by case-insensitive
// substring of the `description`, never by equality (texts get suffixes). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kb::telegram {

enum class ErrorClass {
  expected,   // a normal outcome (user blocked the bot, double tap): INFO, no alarm
  retryable,  // 429, 5xx, network: try again later
  fatal,      // bad token, wrong URL/method: an operator must act (a 409 conflict is expected:
              // the intake explains it once and retries)
  bug,        // we sent something invalid (bad markup, long text, bad button data): ERROR
};

enum class ErrorKind {
  other,
  // expected
  message_not_modified,
  query_too_old,
  bot_blocked,
  user_deactivated,
  cant_initiate_conversation,
  bot_kicked,
  chat_not_found,
  message_to_edit_not_found,
  message_to_delete_not_found,
  message_cant_be_edited,
  message_cant_be_deleted,
  reply_not_found,
  not_enough_rights,
  group_migrated,
  url_content_rejected,  // Telegram could not fetch our media URL: upload the bytes instead
  file_too_big,
  // retryable
  too_many_requests,
  server_error,
  network,
  // fatal
  unauthorized,
  not_found,  // wrong API URL or method
  conflict,   // 409: a second poller or an active webhook
  // bugs
  cant_parse_entities,
  text_too_long,
  message_text_empty,
  button_data_invalid,
  reply_markup_too_long,
  too_many_album_items,
  wrong_file_id,
  bad_request,  // another 400
};

struct ErrorInfo {
  ErrorClass error_class = ErrorClass::bug;
  ErrorKind kind = ErrorKind::other;
};

// `status` is the HTTP status / error_code (0 for transport failures that never got an answer).
ErrorInfo classify(int status, std::string_view description);
// Errors returned by the client: Error::status carries the error_code and Error::message the
// description; transport failures (status 0) are classified by their Errc.
ErrorInfo classify(const Error& error);

std::string_view error_class_name(ErrorClass error_class);
std::string_view error_kind_name(ErrorKind kind);

// The recipient can no longer be reached (blocked, deactivated, never started the bot, removed
// from the chat, chat unknown): callers mark the user inactive and stop sending.
bool recipient_unreachable(ErrorKind kind);
inline bool recipient_unreachable(const Error& error) {
  return recipient_unreachable(classify(error).kind);
}

// The kb::Errc a Bot API failure maps to.
Errc errc_for(int status, ErrorKind kind);

// `group chat was upgraded to a supergroup chat`: the client appends the new id to the error
// message as " [migrate_to_chat_id=<id>]"; this reads it back.
std::optional<std::int64_t> migrate_to_chat_id(const Error& error);

}  // namespace kb::telegram
