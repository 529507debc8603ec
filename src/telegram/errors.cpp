// Bot API error classification by status and description substrings.
#include "telegram/errors.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace kb::telegram {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

struct Rule {
  std::string_view needle;  // lower case
  ErrorClass error_class;
  ErrorKind kind;
};

// Order matters: more specific texts first.
constexpr std::array kRules = {
    Rule{"message is not modified", ErrorClass::expected, ErrorKind::message_not_modified},
    Rule{"query is too old", ErrorClass::expected, ErrorKind::query_too_old},
    Rule{"query id is invalid", ErrorClass::expected, ErrorKind::query_too_old},
    Rule{"bot was blocked by the user", ErrorClass::expected, ErrorKind::bot_blocked},
    Rule{"user is deactivated", ErrorClass::expected, ErrorKind::user_deactivated},
    Rule{"bot can't initiate conversation", ErrorClass::expected,
         ErrorKind::cant_initiate_conversation},
    Rule{"bot can't send messages to bots", ErrorClass::bug, ErrorKind::bad_request},
    Rule{"bot was kicked from", ErrorClass::expected, ErrorKind::bot_kicked},
    Rule{"bot is not a member", ErrorClass::expected, ErrorKind::bot_kicked},
    Rule{"chat not found", ErrorClass::expected, ErrorKind::chat_not_found},
    Rule{"upgraded to a supergroup", ErrorClass::expected, ErrorKind::group_migrated},
    Rule{"message to edit not found", ErrorClass::expected, ErrorKind::message_to_edit_not_found},
    Rule{"message to delete not found", ErrorClass::expected,
         ErrorKind::message_to_delete_not_found},
    Rule{"message can't be edited", ErrorClass::expected, ErrorKind::message_cant_be_edited},
    Rule{"message can't be deleted", ErrorClass::expected, ErrorKind::message_cant_be_deleted},
    Rule{"message to be replied not found", ErrorClass::expected, ErrorKind::reply_not_found},
    Rule{"not enough rights", ErrorClass::expected, ErrorKind::not_enough_rights},
    Rule{"chat_write_forbidden", ErrorClass::expected, ErrorKind::not_enough_rights},
    Rule{"have no rights to send", ErrorClass::expected, ErrorKind::not_enough_rights},
    Rule{"failed to get http url content", ErrorClass::expected, ErrorKind::url_content_rejected},
    Rule{"wrong type of the web page content", ErrorClass::expected,
         ErrorKind::url_content_rejected},
    Rule{"can't upload file by url", ErrorClass::expected, ErrorKind::url_content_rejected},
    Rule{"file is too big", ErrorClass::expected, ErrorKind::file_too_big},
    Rule{"request entity too large", ErrorClass::expected, ErrorKind::file_too_big},
    Rule{"can't parse entities", ErrorClass::bug, ErrorKind::cant_parse_entities},
    Rule{"message is too long", ErrorClass::bug, ErrorKind::text_too_long},
    Rule{"caption is too long", ErrorClass::bug, ErrorKind::text_too_long},
    Rule{"text is too long", ErrorClass::bug, ErrorKind::text_too_long},
    Rule{"message text is empty", ErrorClass::bug, ErrorKind::message_text_empty},
    Rule{"button_data_invalid", ErrorClass::bug, ErrorKind::button_data_invalid},
    Rule{"reply markup is too long", ErrorClass::bug, ErrorKind::reply_markup_too_long},
    Rule{"to send as an album", ErrorClass::bug, ErrorKind::too_many_album_items},
    Rule{"wrong file identifier", ErrorClass::bug, ErrorKind::wrong_file_id},
    Rule{"wrong remote file identifier", ErrorClass::bug, ErrorKind::wrong_file_id},
    Rule{"wrong file_id", ErrorClass::bug, ErrorKind::wrong_file_id},
};

}  // namespace

ErrorInfo classify(int status, std::string_view description) {
  if (status == 0) return {ErrorClass::retryable, ErrorKind::network};
  if (status == 429) return {ErrorClass::retryable, ErrorKind::too_many_requests};
  if (status >= 500) return {ErrorClass::retryable, ErrorKind::server_error};
  if (status == 401) return {ErrorClass::fatal, ErrorKind::unauthorized};
  // A second poller or an active webhook: the intake explains it once and keeps retrying.
  if (status == 409) return {ErrorClass::expected, ErrorKind::conflict};
  auto text = lower(description);
  for (const auto& rule : kRules)
    if (text.find(rule.needle) != std::string::npos) return {rule.error_class, rule.kind};
  if (status == 404) return {ErrorClass::fatal, ErrorKind::not_found};
  if (status == 413) return {ErrorClass::expected, ErrorKind::file_too_big};
  // Unknown 400/403: something we sent is wrong (or a new rule we do not know yet).
  return {ErrorClass::bug, ErrorKind::bad_request};
}

ErrorInfo classify(const Error& error) {
  if (error.status != 0) return classify(error.status, error.message);
  switch (error.code) {
    case Errc::unavailable:
    case Errc::timeout:
    case Errc::upstream:
      return {ErrorClass::retryable, ErrorKind::network};
    case Errc::rate_limited:
      return {ErrorClass::retryable, ErrorKind::too_many_requests};
    default:
      return {ErrorClass::bug, ErrorKind::other};
  }
}

std::string_view error_class_name(ErrorClass error_class) {
  switch (error_class) {
    case ErrorClass::expected:
      return "expected";
    case ErrorClass::retryable:
      return "retryable";
    case ErrorClass::fatal:
      return "fatal";
    case ErrorClass::bug:
      return "bug";
  }
  return "unknown";
}

std::string_view error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::other:
      return "other";
    case ErrorKind::message_not_modified:
      return "message_not_modified";
    case ErrorKind::query_too_old:
      return "query_too_old";
    case ErrorKind::bot_blocked:
      return "bot_blocked";
    case ErrorKind::user_deactivated:
      return "user_deactivated";
    case ErrorKind::cant_initiate_conversation:
      return "cant_initiate_conversation";
    case ErrorKind::bot_kicked:
      return "bot_kicked";
    case ErrorKind::chat_not_found:
      return "chat_not_found";
    case ErrorKind::message_to_edit_not_found:
      return "message_to_edit_not_found";
    case ErrorKind::message_to_delete_not_found:
      return "message_to_delete_not_found";
    case ErrorKind::message_cant_be_edited:
      return "message_cant_be_edited";
    case ErrorKind::message_cant_be_deleted:
      return "message_cant_be_deleted";
    case ErrorKind::reply_not_found:
      return "reply_not_found";
    case ErrorKind::not_enough_rights:
      return "not_enough_rights";
    case ErrorKind::group_migrated:
      return "group_migrated";
    case ErrorKind::url_content_rejected:
      return "url_content_rejected";
    case ErrorKind::file_too_big:
      return "file_too_big";
    case ErrorKind::too_many_requests:
      return "too_many_requests";
    case ErrorKind::server_error:
      return "server_error";
    case ErrorKind::network:
      return "network";
    case ErrorKind::unauthorized:
      return "unauthorized";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::cant_parse_entities:
      return "cant_parse_entities";
    case ErrorKind::text_too_long:
      return "text_too_long";
    case ErrorKind::message_text_empty:
      return "message_text_empty";
    case ErrorKind::button_data_invalid:
      return "button_data_invalid";
    case ErrorKind::reply_markup_too_long:
      return "reply_markup_too_long";
    case ErrorKind::too_many_album_items:
      return "too_many_album_items";
    case ErrorKind::wrong_file_id:
      return "wrong_file_id";
    case ErrorKind::bad_request:
      return "bad_request";
  }
  return "unknown";
}

bool recipient_unreachable(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bot_blocked:
    case ErrorKind::user_deactivated:
    case ErrorKind::cant_initiate_conversation:
    case ErrorKind::bot_kicked:
    case ErrorKind::chat_not_found:
      return true;
    default:
      return false;
  }
}

Errc errc_for(int status, ErrorKind kind) {
  if (status == 429) return Errc::rate_limited;
  if (status >= 500) return Errc::upstream;
  if (status == 401) return Errc::unauthorized;
  if (status == 409) return Errc::conflict;
  switch (kind) {
    case ErrorKind::bot_blocked:
    case ErrorKind::user_deactivated:
    case ErrorKind::cant_initiate_conversation:
    case ErrorKind::bot_kicked:
    case ErrorKind::not_enough_rights:
      return Errc::unauthorized;  // "not allowed to reach this chat"
    case ErrorKind::chat_not_found:
    case ErrorKind::message_to_edit_not_found:
    case ErrorKind::message_to_delete_not_found:
    case ErrorKind::reply_not_found:
    case ErrorKind::not_found:
      return Errc::not_found;
    case ErrorKind::message_not_modified:
    case ErrorKind::query_too_old:
    case ErrorKind::message_cant_be_edited:
    case ErrorKind::message_cant_be_deleted:
    case ErrorKind::group_migrated:
      return Errc::conflict;
    case ErrorKind::url_content_rejected:
    case ErrorKind::file_too_big:
      return Errc::upstream;
    default:
      return Errc::invalid_input;
  }
}

std::optional<std::int64_t> migrate_to_chat_id(const Error& error) {
  constexpr std::string_view kMarker = "[migrate_to_chat_id=";
  auto pos = error.message.rfind(kMarker);
  if (pos == std::string::npos) return std::nullopt;
  const char* first = error.message.data() + pos + kMarker.size();
  const char* last = error.message.data() + error.message.size();
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(first, last, id);
  if (ec != std::errc() || end == last || *end != ']') return std::nullopt;
  return id;
}

}  // namespace kb::telegram
