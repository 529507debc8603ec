// Outbox drafts from typed requests, and rows back into ApiCalls.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "services/outbox/outbox_drafts.hpp"

namespace kb::services {
namespace {

using nlohmann::json;

store::OutboxRow row_from(const store::OutboxDraft& d) {
  store::OutboxRow r;
  r.id = 1;
  r.chat_id = d.chat_id;
  r.method = d.method;
  r.params_json = d.params_json;
  r.priority = d.priority;
  return r;
}

TEST(OutboxDrafts, SendMessageCarriesTheBuilderParametersAndPurpose) {
  telegram::SendMessage m;
  m.chat_id = 5;
  m.text = "<b>Hi</b>";
  auto d = outbox_draft(m, {"screen", "5"});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->chat_id, 5);
  EXPECT_EQ(d->method, "sendMessage");
  EXPECT_EQ(d->purpose, "screen");
  EXPECT_EQ(d->purpose_ref, "5");
  EXPECT_EQ(d->priority, 0);
  EXPECT_FALSE(d->deadline_at);
  auto params = json::parse(d->params_json);
  EXPECT_EQ(params["chat_id"], 5);
  EXPECT_EQ(params["text"], "<b>Hi</b>");
  EXPECT_EQ(params["parse_mode"], "HTML");

  auto call = api_call_for(row_from(*d));
  ASSERT_TRUE(call);
  EXPECT_EQ(call->method, "sendMessage");
  EXPECT_EQ(call->throttle, telegram::Throttle::message);
  EXPECT_EQ(call->chat_id, 5);
  EXPECT_TRUE(call->may_duplicate);
  EXPECT_EQ(call->params, params);
}

TEST(OutboxDrafts, BuilderRefusalsAreReturnedNotStored) {
  telegram::SendMessage empty;
  empty.chat_id = 1;
  auto d = outbox_draft(empty);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::invalid_input);
}

TEST(OutboxDrafts, UploadsCannotGoThroughTheOutbox) {
  telegram::SendMedia media;
  media.chat_id = 1;
  media.file = telegram::InputFile::from_memory("bytes", "a.png", "image/png");
  auto d = outbox_draft(media);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::invalid_input);
  media.file = telegram::InputFile::by_id_or_url("https://example.com/a.png");
  auto ok = outbox_draft(media);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->method, "sendPhoto");
}

TEST(OutboxDrafts, AnswersAreUrgentWithADeadline) {
  telegram::AnswerCallbackQuery a;
  a.callback_query_id = "q1";
  a.text = "ok";
  auto d = outbox_draft(9, a, 1'000);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->method, "answerCallbackQuery");
  EXPECT_EQ(d->chat_id, 9);
  EXPECT_EQ(d->priority, store::Outbox::kUrgentPriority);
  EXPECT_EQ(d->deadline_at, 1'000 + kCallbackAnswerWindowMs);
  auto call = api_call_for(row_from(*d));
  ASSERT_TRUE(call);
  EXPECT_EQ(call->throttle, telegram::Throttle::none);
  EXPECT_FALSE(call->may_duplicate);

  telegram::AnswerPreCheckoutQuery p;
  p.pre_checkout_query_id = "pc";
  auto pd = outbox_draft(9, p, 2'000);
  ASSERT_TRUE(pd);
  EXPECT_EQ(pd->deadline_at, 2'000 + kPreCheckoutAnswerWindowMs);
  EXPECT_EQ(pd->priority, store::Outbox::kUrgentPriority);
  telegram::AnswerCallbackQuery no_id;
  EXPECT_FALSE(outbox_draft(9, no_id, 0));
}

TEST(OutboxDrafts, EditsAndDeletes) {
  telegram::EditMessageText e;
  e.chat_id = 3;
  e.message_id = 44;
  e.text = "new";
  auto d = outbox_draft(e, {"screen", "3"});
  ASSERT_TRUE(d);
  EXPECT_EQ(json::parse(d->params_json)["message_id"], 44);
  auto call = api_call_for(row_from(*d));
  ASSERT_TRUE(call);
  EXPECT_EQ(call->throttle, telegram::Throttle::message);
  EXPECT_FALSE(call->may_duplicate);

  auto del = outbox_draft(DeleteMessage{3, 44});
  ASSERT_TRUE(del);
  EXPECT_EQ(del->method, "deleteMessage");
  EXPECT_EQ(del->chat_id, 3);
}

TEST(OutboxDrafts, ACorruptRowIsAnError) {
  store::OutboxRow r;
  r.method = "sendMessage";
  r.params_json = "[1,2";
  EXPECT_FALSE(api_call_for(r));
}

}  // namespace
}  // namespace kb::services
