// inbox_entry_for: update id, kind and ordering key read from raw updates.
#include <gtest/gtest.h>

#include "telegram/intake/inbox_entry.hpp"

namespace kb::telegram {
namespace {

TEST(IntakeEntry, MessagesAreOrderedByChat) {
  auto e = inbox_entry_for(
      R"({"update_id":10,"message":{"message_id":1,"from":{"id":5},"chat":{"id":-100123},"date":1}})");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->update_id, 10);
  EXPECT_EQ(e->kind, "message");
  EXPECT_EQ(e->chat_key, "-100123");
}

TEST(IntakeEntry, EditsAndMemberChangesUseTheChatToo) {
  auto edit = inbox_entry_for(
      R"({"update_id":11,"edited_message":{"message_id":1,"from":{"id":5},"chat":{"id":5}}})");
  ASSERT_TRUE(edit);
  EXPECT_EQ(edit->kind, "edited_message");
  EXPECT_EQ(edit->chat_key, "5");
  auto member = inbox_entry_for(
      R"({"update_id":12,"my_chat_member":{"chat":{"id":7},"from":{"id":7},"date":1}})");
  ASSERT_TRUE(member);
  EXPECT_EQ(member->kind, "my_chat_member");
  EXPECT_EQ(member->chat_key, "7");
}

TEST(IntakeEntry, QueriesAreOrderedPerUser) {
  auto cb = inbox_entry_for(
      R"({"update_id":13,"callback_query":{"id":"q","from":{"id":42},"message":{"message_id":3,"chat":{"id":-5}},"data":"x"}})");
  ASSERT_TRUE(cb);
  EXPECT_EQ(cb->kind, "callback_query");
  EXPECT_EQ(cb->chat_key, "u42");
  auto pay = inbox_entry_for(
      R"({"update_id":14,"pre_checkout_query":{"id":"p","from":{"id":43},"currency":"XTR","total_amount":5,"invoice_payload":"x"}})");
  ASSERT_TRUE(pay);
  EXPECT_EQ(pay->chat_key, "u43");
}

TEST(IntakeEntry, UnknownShapesStillGetAKey) {
  auto poll = inbox_entry_for(R"({"update_id":15,"poll":{"id":"p"}})");
  ASSERT_TRUE(poll);
  EXPECT_EQ(poll->kind, "poll");
  EXPECT_EQ(poll->chat_key, "update:15");
  auto bare = inbox_entry_for(R"({"update_id":16})");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->kind, "unknown");
}

TEST(IntakeEntry, RefusesWhatIsNotAnUpdate) {
  for (const char* text : {"", "not json", "[]", R"({"message":{}})", R"({"update_id":"7"})",
                           R"({"update_id":1.5})"}) {
    auto e = inbox_entry_for(text);
    ASSERT_FALSE(e) << text;
    EXPECT_EQ(e.error().code, Errc::invalid_input);
  }
}

}  // namespace
}  // namespace kb::telegram
