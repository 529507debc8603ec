// The fake Bot API over real HTTP: URL shapes, envelopes, parameter encodings, messages, edits,
// callback answers, commands, fault injection and flood limits.
#include "fake_telegram_fixture.hpp"

namespace kb::sandbox::tg::test_support {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const User kAlice{5550001001, "Alice", "Moreau", "alice_m", "en", true};

TEST_F(FakeTelegramTest, GetMeHasTheGetMeOnlyFlags) {
  start();
  auto r = call("getMe");
  ASSERT_EQ(r.status, 200);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.result()["id"], 7000000001);
  EXPECT_EQ(r.result()["is_bot"], true);
  EXPECT_EQ(r.result()["username"], "genart_test_bot");
  EXPECT_EQ(r.result()["can_join_groups"], true);
  EXPECT_EQ(r.result()["supports_inline_queries"], false);
  EXPECT_EQ(r.headers.get_or("Content-Type"), "application/json");
}

TEST_F(FakeTelegramTest, UrlShapesTokensAndUnknownMethods) {
  start();
  EXPECT_TRUE(get(method_path("GETME")).ok());                  // case-insensitive
  EXPECT_TRUE(get("/bot" + tg->token() + "/test/getMe").ok());  // test environment
  auto wrong = get("/bot7000000001:AAWrongTokenWrongTokenWrongTokenWrong12/getMe");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body,
            json::parse(R"({"ok":false,"error_code":401,"description":"Unauthorized"})"));
  auto malformed = get("/bot0123:abc/getMe");
  EXPECT_EQ(malformed.status, 401);
  EXPECT_EQ(malformed.description(), "Unauthorized: invalid token specified");
  auto unknown = call("sendTelepathy");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.description(), "Not Found: method not found");
  auto other = get("/nothing/here");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.description(), "Not Found");
  EXPECT_EQ(tg->call_count("sendTelepathy"), 1u);
}

TEST_F(FakeTelegramTest, SendMessageInEveryEncoding) {
  start();
  auto by_json = call("sendMessage", {{"chat_id", kAlice.id}, {"text", "one"}});
  auto by_form = call_form("sendMessage", "chat_id=5550001001&text=two%20words");
  auto by_query = call_query("sendMessage", "chat_id=5550001001&text=three");
  ASSERT_TRUE(by_json.ok()) << by_json.body;
  ASSERT_TRUE(by_form.ok()) << by_form.body;
  ASSERT_TRUE(by_query.ok()) << by_query.body;
  EXPECT_EQ(by_json.result()["message_id"], 1);
  EXPECT_EQ(by_form.result()["message_id"], 2);
  EXPECT_EQ(by_query.result()["message_id"], 3);
  EXPECT_EQ(by_form.result()["text"], "two words");
  EXPECT_EQ(by_json.result()["from"]["is_bot"], true);
  EXPECT_EQ(by_json.result()["chat"]["type"], "private");
  auto calls = tg->calls("sendmessage");
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].encoding, "json");
  EXPECT_EQ(calls[1].encoding, "form");
  EXPECT_EQ(calls[2].encoding, "query");
  EXPECT_EQ(calls[1].param("text"), "two words");
  EXPECT_EQ(calls[0].status, 200);
}

TEST_F(FakeTelegramTest, SendMessageKeepsHtmlEntitiesAndInlineKeyboard) {
  start();
  json markup = {
      {"inline_keyboard",
       json::array({json::array({{{"text", "Watercolor"}, {"callback_data", "style:wc"}},
                                 {{"text", "Site"}, {"url", "https://example.com"}}})})}};
  auto r = call("sendMessage", {{"chat_id", kAlice.id},
                                {"text", "<b>Choose</b> a style:"},
                                {"parse_mode", "HTML"},
                                {"reply_markup", markup}});
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.result()["text"], "Choose a style:");
  EXPECT_EQ(r.result()["entities"][0]["type"], "bold");
  EXPECT_EQ(r.result()["reply_markup"], markup);
  auto last = tg->last_bot_message(kAlice.id);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->text, "Choose a style:");
  EXPECT_EQ(last->parse_mode, "HTML");
  ASSERT_EQ(last->inline_keyboard.size(), 1u);
  EXPECT_EQ(last->callback_data_of("Watercolor"), "style:wc");
  EXPECT_EQ(last->buttons()[1].url, "https://example.com");
  // A reply keyboard is kept on the message view but is not part of the Message object.
  auto reply_kb = call("sendMessage",
                       {{"chat_id", kAlice.id},
                        {"text", "menu"},
                        {"reply_markup", {{"keyboard", json::array({json::array({"A", "B"})})}}}});
  ASSERT_TRUE(reply_kb.ok());
  EXPECT_FALSE(reply_kb.result().contains("reply_markup"));
  EXPECT_TRUE(tg->last_bot_message(kAlice.id)->reply_markup.contains("keyboard"));
}

TEST_F(FakeTelegramTest, SendMessageErrors) {
  start(FakeTelegramOptions{.auto_create_chats = false});
  tg->add_user(kAlice);
  tg->send_text(kAlice, "hi");
  auto expect_400 = [&](json params, const std::string& description) {
    auto r = call("sendMessage", params);
    EXPECT_EQ(r.status, 400) << params;
    EXPECT_EQ(r.description(), description) << params;
  };
  expect_400({{"text", "x"}}, "Bad Request: chat_id is empty");
  expect_400({{"chat_id", 42}, {"text", "x"}}, "Bad Request: chat not found");
  expect_400({{"chat_id", kAlice.id}}, "Bad Request: message text is empty");
  expect_400({{"chat_id", kAlice.id}, {"text", "  \n "}}, "Bad Request: message text is empty");
  expect_400({{"chat_id", kAlice.id}, {"text", std::string(4097, 'a')}},
             "Bad Request: message is too long");
  expect_400({{"chat_id", kAlice.id}, {"text", "x"}, {"parse_mode", "BBCode"}},
             "Bad Request: unsupported parse_mode");
  expect_400({{"chat_id", kAlice.id}, {"text", "<p>x</p>"}, {"parse_mode", "HTML"}},
             "Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 0");
  expect_400(
      {{"chat_id", kAlice.id},
       {"text", "x"},
       {"reply_markup",
        {{"inline_keyboard", {{{{"text", "A"}, {"callback_data", std::string(65, 'd')}}}}}}}},
      "Bad Request: BUTTON_DATA_INVALID");
  expect_400({{"chat_id", kAlice.id}, {"text", "x"}, {"reply_markup", "{not json"}},
             "Bad Request: can't parse reply keyboard markup JSON object");
  expect_400({{"chat_id", kAlice.id}, {"text", "x"}, {"reply_parameters", {{"message_id", 999}}}},
             "Bad Request: message to be replied not found");
  EXPECT_TRUE(call("sendMessage", {{"chat_id", kAlice.id},
                                   {"text", "x"},
                                   {"reply_parameters",
                                    {{"message_id", 999}, {"allow_sending_without_reply", true}}}})
                  .ok());
  auto reply =
      call("sendMessage", {{"chat_id", kAlice.id}, {"text", "re"}, {"reply_to_message_id", 1}});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.result()["reply_to_message"]["text"], "hi");
  EXPECT_EQ(tg->bot_messages(kAlice.id).size(), 2u);  // failed sends stored nothing
}

TEST_F(FakeTelegramTest, EditMessageTextLikeTheRealServer) {
  start();
  auto sent = call(
      "sendMessage",
      {{"chat_id", kAlice.id},
       {"text", "Working…"},
       {"reply_markup", {{"inline_keyboard", {{{{"text", "Cancel"}, {"callback_data", "c"}}}}}}}});
  ASSERT_TRUE(sent.ok());
  auto id = sent.result()["message_id"].get<std::int64_t>();
  auto markup = sent.result()["reply_markup"];

  auto same = call(
      "editMessageText",
      {{"chat_id", kAlice.id}, {"message_id", id}, {"text", "Working…"}, {"reply_markup", markup}});
  EXPECT_EQ(same.status, 400);
  EXPECT_EQ(same.description(),
            "Bad Request: message is not modified: specified new message content and reply markup "
            "are exactly the same as a current content and reply markup of the message");

  clock.advance(5s);
  auto edited = call(
      "editMessageText",
      {{"chat_id", kAlice.id}, {"message_id", id}, {"text", "Done"}, {"reply_markup", markup}});
  ASSERT_TRUE(edited.ok()) << edited.body;
  EXPECT_EQ(edited.result()["text"], "Done");
  EXPECT_EQ(edited.result()["edit_date"], clock.now_seconds());
  EXPECT_EQ(tg->message(kAlice.id, id)->text, "Done");
  EXPECT_EQ(tg->message(kAlice.id, id)->inline_keyboard.size(), 1u);

  // Same text without reply_markup removes the keyboard: that is a modification.
  auto removed =
      call("editMessageText", {{"chat_id", kAlice.id}, {"message_id", id}, {"text", "Done"}});
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(tg->message(kAlice.id, id)->inline_keyboard.empty());

  auto missing =
      call("editMessageText", {{"chat_id", kAlice.id}, {"message_id", 999}, {"text", "x"}});
  EXPECT_EQ(missing.description(), "Bad Request: message to edit not found");
  auto user_msg = tg->send_text(kAlice, "mine");
  auto not_own = call("editMessageText",
                      {{"chat_id", kAlice.id}, {"message_id", user_msg.message_id}, {"text", "x"}});
  EXPECT_EQ(not_own.description(), "Bad Request: message can't be edited");
}

TEST_F(FakeTelegramTest, EditReplyMarkupAndDelete) {
  start();
  auto sent = call("sendMessage", {{"chat_id", kAlice.id}, {"text", "menu"}});
  auto id = sent.result()["message_id"].get<std::int64_t>();
  json markup = {{"inline_keyboard", {{{{"text", "Go"}, {"callback_data", "go"}}}}}};
  auto set = call("editMessageReplyMarkup",
                  {{"chat_id", kAlice.id}, {"message_id", id}, {"reply_markup", markup}});
  ASSERT_TRUE(set.ok()) << set.body;
  EXPECT_EQ(set.result()["reply_markup"], markup);
  auto again = call("editMessageReplyMarkup",
                    {{"chat_id", kAlice.id}, {"message_id", id}, {"reply_markup", markup}});
  EXPECT_EQ(again.status, 400);
  EXPECT_NE(again.description().find("message is not modified"), std::string::npos);

  auto deleted = call("deleteMessage", {{"chat_id", kAlice.id}, {"message_id", id}});
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted.result(), true);
  EXPECT_FALSE(tg->last_bot_message(kAlice.id));
  EXPECT_TRUE(tg->message(kAlice.id, id)->deleted);
  auto twice = call("deleteMessage", {{"chat_id", kAlice.id}, {"message_id", id}});
  EXPECT_EQ(twice.description(), "Bad Request: message to delete not found");
  auto edit_deleted =
      call("editMessageText", {{"chat_id", kAlice.id}, {"message_id", id}, {"text", "x"}});
  EXPECT_EQ(edit_deleted.description(), "Bad Request: message to edit not found");

  auto old = call("sendMessage", {{"chat_id", kAlice.id}, {"text", "old"}});
  clock.advance(49h);
  auto too_old =
      call("deleteMessage", {{"chat_id", kAlice.id}, {"message_id", old.result()["message_id"]}});
  EXPECT_EQ(too_old.description(), "Bad Request: message can't be deleted");
}

TEST_F(FakeTelegramTest, CallbackQueriesAreAnsweredOnceAndInTime) {
  start();
  auto sent = call(
      "sendMessage",
      {{"chat_id", kAlice.id},
       {"text", "Choose"},
       {"reply_markup", {{"inline_keyboard", {{{{"text", "A"}, {"callback_data", "pick:a"}}}}}}}});
  auto id = sent.result()["message_id"].get<std::int64_t>();
  auto press = tg->press_button_by_text(kAlice, id, "A");
  ASSERT_TRUE(press);
  auto update = tg->updates().back();
  EXPECT_EQ(update["update_id"], press->update_id);
  EXPECT_EQ(update["callback_query"]["id"], press->callback_query_id);
  EXPECT_EQ(update["callback_query"]["data"], "pick:a");
  EXPECT_EQ(update["callback_query"]["message"]["message_id"], id);
  EXPECT_TRUE(update["callback_query"]["chat_instance"].is_string());

  auto answer = call(
      "answerCallbackQuery",
      {{"callback_query_id", press->callback_query_id}, {"text", "Picked"}, {"show_alert", true}});
  ASSERT_TRUE(answer.ok()) << answer.body;
  auto record = tg->callback_query(press->callback_query_id);
  ASSERT_TRUE(record);
  EXPECT_TRUE(record->answered);
  EXPECT_EQ(record->answer_text, "Picked");
  EXPECT_TRUE(record->show_alert);

  const std::string too_old =
      "Bad Request: query is too old and response timeout expired or query ID is invalid";
  EXPECT_EQ(
      call("answerCallbackQuery", {{"callback_query_id", press->callback_query_id}}).description(),
      too_old);
  EXPECT_EQ(call("answerCallbackQuery", {{"callback_query_id", "12345"}}).description(), too_old);

  auto late = tg->press_button(kAlice, id, "pick:a");
  clock.advance(16s);
  EXPECT_EQ(
      call("answerCallbackQuery", {{"callback_query_id", late.callback_query_id}}).description(),
      too_old);
  EXPECT_FALSE(tg->callback_query(late.callback_query_id)->answered);
  EXPECT_EQ(tg->callback_query(late.callback_query_id)->answer_attempts, 1);

  // A button on a deleted message still sends a query, with an InaccessibleMessage.
  call("deleteMessage", {{"chat_id", kAlice.id}, {"message_id", id}});
  tg->press_button(kAlice, id, "pick:a");
  auto inaccessible = tg->updates().back()["callback_query"]["message"];
  EXPECT_EQ(inaccessible["date"], 0);
  EXPECT_EQ(inaccessible["message_id"], id);
  EXPECT_FALSE(inaccessible.contains("text"));
}

TEST_F(FakeTelegramTest, CommandsPerLanguageAndChatActions) {
  start();
  json en = {{{"command", "start"}, {"description", "Start"}},
             {{"command", "help"}, {"description", "Help"}}};
  json ru = {{{"command", "start"}, {"description", "Начать"}}};
  ASSERT_TRUE(call("setMyCommands", {{"commands", en}}).ok());
  ASSERT_TRUE(call("setMyCommands", {{"commands", ru}, {"language_code", "ru"}}).ok());
  EXPECT_EQ(call("getMyCommands").result(), en);
  EXPECT_EQ(call("getMyCommands", {{"language_code", "ru"}}).result(), ru);
  EXPECT_EQ(tg->my_commands("ru"), ru);
  auto bad =
      call("setMyCommands", {{"commands", {{{"command", "Bad Command"}, {"description", "x"}}}}});
  EXPECT_EQ(bad.description(), "Bad Request: BOT_COMMAND_INVALID");

  std::vector<ChatEvent> events;
  std::mutex mu;
  tg->subscribe([&](const ChatEvent& e) {
    std::lock_guard lock(mu);
    events.push_back(e);
  });
  EXPECT_TRUE(call("sendChatAction", {{"chat_id", kAlice.id}, {"action", "upload_photo"}}).ok());
  EXPECT_EQ(call("sendChatAction", {{"chat_id", kAlice.id}, {"action", "dancing"}}).description(),
            "Bad Request: wrong parameter action in request");
  std::lock_guard lock(mu);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, ChatEvent::Kind::chat_action);
  EXPECT_EQ(events[0].data["action"], "upload_photo");
}

TEST_F(FakeTelegramTest, ObserverSeesEveryChatChangeInOrder) {
  start();
  std::vector<std::string> seen;
  std::mutex mu;
  auto id = tg->subscribe([&](const ChatEvent& e) {
    std::lock_guard lock(mu);
    seen.push_back(std::string(chat_event_kind_name(e.kind)) + ":" +
                   std::to_string(e.message.message_id));
  });
  tg->send_text(kAlice, "hello");
  auto sent = call("sendMessage", {{"chat_id", kAlice.id}, {"text", "hi"}});
  call("editMessageText",
       {{"chat_id", kAlice.id}, {"message_id", sent.result()["message_id"]}, {"text", "hey"}});
  call("deleteMessage", {{"chat_id", kAlice.id}, {"message_id", sent.result()["message_id"]}});
  tg->unsubscribe(id);
  tg->send_text(kAlice, "unseen");
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, (std::vector<std::string>{"message_added:1", "message_added:2",
                                            "message_edited:2", "message_deleted:2"}));
}

TEST_F(FakeTelegramTest, InjectedErrorsAndDelays) {
  start();
  tg->inject_error("sendMessage", InjectedError::too_many_requests(7), 2);
  tg->inject_error("*", InjectedError::server_error(502));
  auto first = call("sendMessage", {{"chat_id", kAlice.id}, {"text", "x"}});
  EXPECT_EQ(first.status, 429);
  EXPECT_EQ(first.description(), "Too Many Requests: retry after 7");
  EXPECT_EQ(first.body["parameters"]["retry_after"], 7);
  EXPECT_EQ(first.headers.get_or("Retry-After"), "7");
  EXPECT_EQ(call("sendMessage", {{"chat_id", kAlice.id}, {"text", "x"}}).status, 429);
  auto gateway = call("getMe");
  EXPECT_EQ(gateway.status, 502);
  EXPECT_EQ(gateway.description(), "Bad Gateway");
  EXPECT_TRUE(call("sendMessage", {{"chat_id", kAlice.id}, {"text", "x"}}).ok());
  EXPECT_EQ(tg->bot_messages(kAlice.id).size(), 1u);

  tg->inject_error("editMessageText", InjectedError::not_modified());
  EXPECT_NE(call("editMessageText", {{"chat_id", kAlice.id}, {"message_id", 1}, {"text", "y"}})
                .description()
                .find("message is not modified"),
            std::string::npos);
  tg->inject_error("sendMessage", InjectedError::bot_blocked());
  EXPECT_EQ(call("sendMessage", {{"chat_id", kAlice.id}, {"text", "x"}}).status, 403);

  tg->inject_delay("getMe", 300ms);
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(call("getMe").ok());
  EXPECT_GE(std::chrono::steady_clock::now() - started, 290ms);
  auto calls = tg->calls("sendMessage");
  EXPECT_EQ(calls.front().status, 429);
  EXPECT_EQ(calls.front().description, "Too Many Requests: retry after 7");
}

TEST_F(FakeTelegramTest, FloodLimitsPerChatAndGlobal) {
  start();  // defaults: 1 message/s per chat with a burst of 3, 30/s overall
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(call("sendMessage", {{"chat_id", kAlice.id}, {"text", "x"}}).ok());
  auto limited = call("sendMessage", {{"chat_id", kAlice.id}, {"text", "x"}});
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.description(), "Too Many Requests: retry after 1");
  EXPECT_EQ(limited.body["parameters"]["retry_after"], 1);
  EXPECT_EQ(limited.headers.get_or("Retry-After"), "1");
  EXPECT_TRUE(call("sendMessage", {{"chat_id", 5550001999}, {"text", "other chat"}}).ok());
  // Edits and non-message methods are not counted by default.
  EXPECT_TRUE(
      call("editMessageText", {{"chat_id", kAlice.id}, {"message_id", 1}, {"text", "edited"}})
          .ok());
  EXPECT_TRUE(call("getMe").ok());
  // The call log marks what flood control counts (refused sends too), with the clock's time.
  const auto sent_at = clock.now_ms();
  for (const auto& c : tg->calls()) {
    EXPECT_EQ(c.message_send, c.method == "sendMessage") << c.method;
    EXPECT_EQ(c.at_ms, sent_at) << c.method;
  }
  clock.advance(1s);
  EXPECT_TRUE(call("sendMessage", {{"chat_id", kAlice.id}, {"text", "x"}}).ok());
  EXPECT_EQ(tg->calls().back().at_ms, sent_at + 1000);

  tg->set_rate_limits(RateLimits{.global_per_second = 2, .global_burst = 2, .chat_burst = 5});
  EXPECT_TRUE(call("sendMessage", {{"chat_id", 1}, {"text", "x"}}).ok());
  EXPECT_TRUE(call("sendMessage", {{"chat_id", 2}, {"text", "x"}}).ok());
  EXPECT_EQ(call("sendMessage", {{"chat_id", 3}, {"text", "x"}}).status, 429);
  tg->set_rate_limits(RateLimits{.enabled = false});
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(call("sendMessage", {{"chat_id", 1}, {"text", "x"}}).ok());
}

TEST_F(FakeTelegramTest, BlockedUserRefusesMessages) {
  start();
  tg->send_command(kAlice, "start");
  tg->block_bot(kAlice);
  EXPECT_TRUE(tg->is_blocked(kAlice.id));
  auto update = tg->updates().back();
  EXPECT_EQ(update["my_chat_member"]["new_chat_member"]["status"], "kicked");
  EXPECT_EQ(update["my_chat_member"]["new_chat_member"]["until_date"], 0);
  EXPECT_EQ(update["my_chat_member"]["old_chat_member"]["status"], "member");
  auto r = call("sendMessage", {{"chat_id", kAlice.id}, {"text", "x"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.description(), "Forbidden: bot was blocked by the user");
  EXPECT_EQ(call("sendChatAction", {{"chat_id", kAlice.id}, {"action", "typing"}}).status, 403);
  // Writing again unblocks first (my_chat_member back to member), then the message.
  tg->send_text(kAlice, "I'm back");
  auto all = tg->updates();
  EXPECT_EQ(all[all.size() - 2]["my_chat_member"]["new_chat_member"]["status"], "member");
  EXPECT_EQ(all.back()["message"]["text"], "I'm back");
  EXPECT_TRUE(call("sendMessage", {{"chat_id", kAlice.id}, {"text", "x"}}).ok());
}

}  // namespace
}  // namespace kb::sandbox::tg::test_support
