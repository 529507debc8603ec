// Envelope parsing and the §8 error classes.
#include <gtest/gtest.h>

#include "telegram/envelope.hpp"
#include "telegram/errors.hpp"

namespace kb::telegram {
namespace {

TEST(Envelope, Success) {
  auto env = parse_envelope(200, R"({"ok":true,"result":true,"description":"Webhook was set"})");
  ASSERT_TRUE(env.ok);
  EXPECT_EQ(env.result, true);
}

TEST(Envelope, TooManyRequestsWithParameters) {
  auto env = parse_envelope(
      429,
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}})");
  ASSERT_FALSE(env.ok);
  EXPECT_EQ(env.failure.error_code, 429);
  EXPECT_EQ(env.failure.retry_after, 17);
  EXPECT_EQ(env.failure.info().kind, ErrorKind::too_many_requests);
  EXPECT_EQ(env.failure.info().error_class, ErrorClass::retryable);
  auto error = env.failure.to_error();
  EXPECT_EQ(error.code, Errc::rate_limited);
  EXPECT_EQ(error.status, 429);
}

TEST(Envelope, RetryAfterFromHeaderOrText) {
  auto header = parse_envelope(429, R"({"ok":false,"error_code":429,"description":"x"})", "5");
  EXPECT_EQ(header.failure.retry_after, 5);
  auto text = parse_envelope(
      429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 9"})");
  EXPECT_EQ(text.failure.retry_after, 9);
}

TEST(Envelope, MigrationIdIsCarriedInTheError) {
  auto env = parse_envelope(
      400,
      R"({"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001987654321}})");
  EXPECT_EQ(env.failure.migrate_to_chat_id, -1001987654321);
  auto error = env.failure.to_error();
  EXPECT_EQ(migrate_to_chat_id(error), -1001987654321);
  EXPECT_EQ(classify(error).kind, ErrorKind::group_migrated);
  EXPECT_FALSE(migrate_to_chat_id(Error{Errc::conflict, "no marker", 400}));
}

TEST(Envelope, NonEnvelopeBodies) {
  auto html = parse_envelope(502, "<html>Bad Gateway</html>");
  ASSERT_FALSE(html.ok);
  EXPECT_EQ(html.failure.error_code, 502);
  EXPECT_EQ(html.failure.info().error_class, ErrorClass::retryable);

  auto garbage_200 = parse_envelope(200, "not json");
  ASSERT_FALSE(garbage_200.ok);
  EXPECT_EQ(garbage_200.failure.info().error_class, ErrorClass::retryable);

  auto not_found =
      parse_envelope(404, R"({"ok":false,"error_code":404,"description":"Not Found"})");
  EXPECT_EQ(not_found.failure.info().kind, ErrorKind::not_found);
  EXPECT_EQ(not_found.failure.info().error_class, ErrorClass::fatal);
}

struct Case {
  int status;
  const char* description;
  ErrorClass error_class;
  ErrorKind kind;
};

TEST(Classify, ReferenceSection8) {
  const Case cases[] = {
      {400,
       "Bad Request: message is not modified: specified new message content and reply markup are "
       "exactly the same as a current content and reply markup of the message",
       ErrorClass::expected, ErrorKind::message_not_modified},
      {400, "Bad Request: query is too old and response timeout expired or query ID is invalid",
       ErrorClass::expected, ErrorKind::query_too_old},
      {403, "Forbidden: bot was blocked by the user", ErrorClass::expected, ErrorKind::bot_blocked},
      {403, "Forbidden: user is deactivated", ErrorClass::expected, ErrorKind::user_deactivated},
      {403, "Forbidden: bot can't initiate conversation with a user", ErrorClass::expected,
       ErrorKind::cant_initiate_conversation},
      {403, "Forbidden: bot was kicked from the supergroup chat", ErrorClass::expected,
       ErrorKind::bot_kicked},
      {400, "Bad Request: chat not found", ErrorClass::expected, ErrorKind::chat_not_found},
      {400, "Bad Request: message to edit not found", ErrorClass::expected,
       ErrorKind::message_to_edit_not_found},
      {400, "Bad Request: message can't be deleted", ErrorClass::expected,
       ErrorKind::message_cant_be_deleted},
      {400, "Bad Request: failed to get HTTP URL content", ErrorClass::expected,
       ErrorKind::url_content_rejected},
      {400, "Bad Request: file is too big", ErrorClass::expected, ErrorKind::file_too_big},
      {400, "Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 0",
       ErrorClass::bug, ErrorKind::cant_parse_entities},
      {400, "Bad Request: BUTTON_DATA_INVALID", ErrorClass::bug, ErrorKind::button_data_invalid},
      {400, "Bad Request: message is too long", ErrorClass::bug, ErrorKind::text_too_long},
      {400, "Bad Request: message text is empty", ErrorClass::bug, ErrorKind::message_text_empty},
      {400, "Bad Request: wrong file identifier/HTTP URL specified", ErrorClass::bug,
       ErrorKind::wrong_file_id},
      {400, "Bad Request: something new", ErrorClass::bug, ErrorKind::bad_request},
      {401, "Unauthorized", ErrorClass::fatal, ErrorKind::unauthorized},
      {404, "Not Found: method not found", ErrorClass::fatal, ErrorKind::not_found},
      {409, "Conflict: terminated by other getUpdates request", ErrorClass::expected,
       ErrorKind::conflict},
      {429, "Too Many Requests: retry after 3", ErrorClass::retryable,
       ErrorKind::too_many_requests},
      {500, "Internal Server Error: restart", ErrorClass::retryable, ErrorKind::server_error},
      {502, "Bad Gateway", ErrorClass::retryable, ErrorKind::server_error},
  };
  for (const auto& c : cases) {
    auto info = classify(c.status, c.description);
    EXPECT_EQ(info.error_class, c.error_class) << c.description;
    EXPECT_EQ(info.kind, c.kind) << c.description << " got " << error_kind_name(info.kind);
  }
}

TEST(Classify, CaseInsensitiveSubstring) {
  EXPECT_EQ(classify(403, "FORBIDDEN: BOT WAS BLOCKED BY THE USER").kind, ErrorKind::bot_blocked);
}

TEST(Classify, RecipientUnreachableForBlockingOutcomes) {
  EXPECT_TRUE(recipient_unreachable(
      Error{Errc::unauthorized, "Forbidden: bot was blocked by the user", 403}));
  EXPECT_TRUE(recipient_unreachable(ErrorKind::user_deactivated));
  EXPECT_TRUE(recipient_unreachable(ErrorKind::chat_not_found));
  EXPECT_FALSE(recipient_unreachable(ErrorKind::message_not_modified));
  EXPECT_FALSE(recipient_unreachable(ErrorKind::network));
}

TEST(Classify, TransportFailuresAreRetryable) {
  auto info = classify(Error{Errc::unavailable, "connection refused", 0});
  EXPECT_EQ(info.error_class, ErrorClass::retryable);
  EXPECT_EQ(info.kind, ErrorKind::network);
  EXPECT_EQ(classify(Error{Errc::invalid_input, "text too long", 0}).error_class, ErrorClass::bug);
}

TEST(Classify, ErrcMapping) {
  EXPECT_EQ(errc_for(403, ErrorKind::bot_blocked), Errc::unauthorized);
  EXPECT_EQ(errc_for(400, ErrorKind::message_not_modified), Errc::conflict);
  EXPECT_EQ(errc_for(400, ErrorKind::chat_not_found), Errc::not_found);
  EXPECT_EQ(errc_for(400, ErrorKind::cant_parse_entities), Errc::invalid_input);
  EXPECT_EQ(errc_for(503, ErrorKind::server_error), Errc::upstream);
}

}  // namespace
}  // namespace kb::telegram
