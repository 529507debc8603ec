// Method results from the reference's examples: getMe, getWebhookInfo, getFile (cloud and
// --local), getUpdates.
#include <gtest/gtest.h>

#include "telegram/envelope.hpp"
#include "telegram/parse.hpp"

namespace kb::telegram {
namespace {

nlohmann::json result_of(std::string_view body) {
  auto env = parse_envelope(200, body);
  EXPECT_TRUE(env.ok);
  return env.result;
}

TEST(ResultParse, GetMe) {
  auto me = parse_bot_info(result_of(
      R"({"ok": true, "result": {"id": 7000000001, "is_bot": true, "first_name": "GenArt Bot", "username": "genart_test_bot", "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false, "supports_guest_queries": false, "can_connect_to_business": false, "has_main_web_app": false, "has_topics_enabled": false, "allows_users_to_create_topics": false, "can_manage_bots": false}})"));
  ASSERT_TRUE(me) << me.error().message;
  EXPECT_EQ(me->user.id, 7000000001);
  EXPECT_EQ(me->user.username, "genart_test_bot");
  EXPECT_TRUE(me->can_join_groups);
  EXPECT_FALSE(me->supports_inline_queries);
}

TEST(ResultParse, WebhookInfo) {
  auto info = parse_webhook_info(result_of(
      R"({"ok": true, "result": {"url": "https://bot.example.com/tg/webhook", "has_custom_certificate": false, "pending_update_count": 3, "last_error_date": 1767225900, "last_error_message": "Wrong response from the webhook: 502 Bad Gateway", "max_connections": 40, "ip_address": "203.0.113.10", "allowed_updates": ["message", "callback_query", "pre_checkout_query", "my_chat_member"]}})"));
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->url, "https://bot.example.com/tg/webhook");
  EXPECT_EQ(info->pending_update_count, 3);
  EXPECT_EQ(info->last_error_date, 1767225900);
  EXPECT_EQ(info->last_error_message, "Wrong response from the webhook: 502 Bad Gateway");
  EXPECT_EQ(info->max_connections, 40);
  EXPECT_EQ(info->ip_address, "203.0.113.10");
  ASSERT_EQ(info->allowed_updates.size(), 4u);
  EXPECT_EQ(info->allowed_updates[3], "my_chat_member");
}

TEST(ResultParse, GetFileCloudAndLocal) {
  auto cloud = parse_file(result_of(
      R"({"ok": true, "result": {"file_id": "BQACAgIAAxkBAAIBZ2lTe5xFakeDocument0001AAJBZgACFkDcSw1234NgQ", "file_unique_id": "AgADFkDoc0001Ax", "file_size": 2483921, "file_path": "documents/file_17.png"}})"));
  ASSERT_TRUE(cloud);
  EXPECT_EQ(cloud->file_path, "documents/file_17.png");
  EXPECT_EQ(cloud->file_size, 2483921);
  auto local = parse_file(result_of(
      R"({"ok": true, "result": {"file_id": "BQACAgIAAxkBAAIBZ2lTe5xFakeDocument0001AAJBZgACFkDcSw1234NgQ", "file_unique_id": "AgADFkDoc0001Ax", "file_size": 2483921, "file_path": "/var/lib/telegram-bot-api/7000000001:AAFakeTokenForDocs/documents/file_17.png"}})"));
  ASSERT_TRUE(local);
  EXPECT_EQ(local->file_path.front(), '/');
  EXPECT_FALSE(parse_file(nlohmann::json::parse(R"({"file_id": 5})")));
}

TEST(ResultParse, GetUpdatesKeepsEachUpdateRaw) {
  auto updates = parse_raw_updates(result_of(
      R"({"ok": true, "result": [{"update_id": 870000021, "message": {"message_id": 114, "from": {"id": 5550001002, "is_bot": false, "first_name": "Bob", "language_code": "de"}, "chat": {"id": 5550001002, "first_name": "Bob", "type": "private"}, "date": 1767226800, "text": "/help", "entities": [{"offset": 0, "length": 5, "type": "bot_command"}]}}]})"));
  ASSERT_TRUE(updates);
  ASSERT_EQ(updates->size(), 1u);
  EXPECT_EQ((*updates)[0].update_id, 870000021);
  auto parsed = parse_update((*updates)[0].json);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->message->text, "/help");

  EXPECT_TRUE(parse_raw_updates(result_of(R"({"ok": true, "result": []})")));
  EXPECT_FALSE(parse_raw_updates(nlohmann::json::parse(R"([{"message": {}}])")));
  EXPECT_FALSE(parse_raw_updates(nlohmann::json::parse(R"({"update_id": 1})")));
}

TEST(ResultParse, MessagesArrayForAlbums) {
  auto json = nlohmann::json::parse(
      R"([{"message_id": 1, "date": 5, "chat": {"id": 1, "type": "private"}, "media_group_id": "g"},
          {"message_id": 2, "date": 5, "chat": {"id": 1, "type": "private"}, "media_group_id": "g"}])");
  auto messages = parse_messages(json);
  ASSERT_TRUE(messages);
  EXPECT_EQ(messages->size(), 2u);
  json[1].erase("chat");
  auto broken = parse_messages(json);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message, "$[1].chat: missing required field");
}

}  // namespace
}  // namespace kb::telegram
