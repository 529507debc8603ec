// Every example update of telegram-api.md §9 parses into the right structures.
#include <gtest/gtest.h>

#include "telegram/parse.hpp"
#include "unit/telegram/examples.hpp"

namespace kb::telegram {
namespace {

Update parse_example(const std::string& name) {
  auto text = test::read_example(name);
  EXPECT_FALSE(text.empty()) << name;
  auto update = parse_update(text);
  EXPECT_TRUE(update.has_value()) << name << ": " << (update ? "" : update.error().message);
  return update ? *update : Update{};
}

void expect_alice(const User& u) {
  EXPECT_EQ(u.id, 5550001001);
  EXPECT_FALSE(u.is_bot);
  EXPECT_EQ(u.first_name, "Alice");
  EXPECT_EQ(u.last_name, "Moreau");
  EXPECT_EQ(u.username, "alice_m");
  EXPECT_EQ(u.language_code, "en");
  EXPECT_TRUE(u.is_premium);
}

void expect_bob(const User& u) {
  EXPECT_EQ(u.id, 5550001002);
  EXPECT_EQ(u.first_name, "Bob");
  EXPECT_EQ(u.language_code, "de");
  EXPECT_FALSE(u.is_premium);
  EXPECT_TRUE(u.last_name.empty());
}

TEST(UpdateExamples, PrivateText) {
  auto u = parse_example("01_private_text");
  EXPECT_EQ(u.update_id, 870000001);
  ASSERT_EQ(u.kind, UpdateKind::message);
  ASSERT_TRUE(u.message);
  const auto& m = *u.message;
  EXPECT_EQ(m.message_id, 101);
  ASSERT_TRUE(m.from);
  expect_alice(*m.from);
  EXPECT_EQ(m.chat.id, 5550001001);
  EXPECT_EQ(m.chat.type, ChatType::private_chat);
  EXPECT_EQ(m.chat.first_name, "Alice");
  EXPECT_EQ(m.date, 1767225600);
  EXPECT_EQ(m.text, "Draw a lighthouse at dusk, watercolor");
  EXPECT_FALSE(m.is_forwarded());
  EXPECT_TRUE(m.photo.empty());
  EXPECT_EQ(u.chat_id(), 5550001001);
  EXPECT_EQ(u.user_id(), 5550001001);
}

TEST(UpdateExamples, StartWithDeepLink) {
  auto u = parse_example("02_start_deep_link");
  ASSERT_TRUE(u.message);
  const auto& m = *u.message;
  EXPECT_EQ(m.message_id, 1);
  expect_bob(*m.from);
  EXPECT_EQ(m.text, "/start ref_123");
  ASSERT_EQ(m.entities.size(), 1u);
  EXPECT_EQ(m.entities[0].type, "bot_command");
  EXPECT_EQ(m.entities[0].offset, 0);
  EXPECT_EQ(m.entities[0].length, 6);
}

TEST(UpdateExamples, PhotoWithSizesAndCaption) {
  auto u = parse_example("03_photo_caption");
  ASSERT_TRUE(u.message);
  const auto& m = *u.message;
  ASSERT_EQ(m.photo.size(), 4u);
  EXPECT_EQ(m.photo[0].width, 90);
  EXPECT_EQ(m.photo[0].height, 68);
  EXPECT_EQ(m.photo[0].file_size, 1432);
  EXPECT_EQ(m.photo[3].file_id, "AgACAgIAAxkBAAIBZmlTe5tFakePhotoSizeY0001AAMCAAN5AAM2BB");
  EXPECT_EQ(m.photo[3].file_unique_id, "AQADFkPh0s01Axx8");
  EXPECT_EQ(m.photo[3].width, 1280);
  EXPECT_EQ(m.photo[3].file_size, 142310);
  EXPECT_EQ(m.caption, "Make this one cyberpunk");
  EXPECT_FALSE(m.text);
  EXPECT_EQ(m.text_or_caption(), "Make this one cyberpunk");
}

TEST(UpdateExamples, ImageSentAsDocument) {
  auto u = parse_example("04_document_image");
  ASSERT_TRUE(u.message);
  const auto& m = *u.message;
  ASSERT_TRUE(m.document);
  EXPECT_EQ(m.document->file_name, "sketch.png");
  EXPECT_EQ(m.document->mime_type, "image/png");
  EXPECT_EQ(m.document->file_size, 2483921);
  EXPECT_EQ(m.document->file_id, "BQACAgIAAxkBAAIBZ2lTe5xFakeDocument0001AAJBZgACFkDcSw1234NgQ");
  EXPECT_EQ(m.document->file_unique_id, "AgADFkDoc0001Ax");
  ASSERT_TRUE(m.document->thumbnail);
  EXPECT_EQ(m.document->thumbnail->width, 320);
  EXPECT_TRUE(m.photo.empty());
}

TEST(UpdateExamples, Video) {
  auto u = parse_example("05_video");
  ASSERT_TRUE(u.message && u.message->video);
  const auto& v = *u.message->video;
  EXPECT_EQ(v.duration, 12);
  EXPECT_EQ(v.width, 1280);
  EXPECT_EQ(v.height, 720);
  EXPECT_EQ(v.file_name, "clip.mp4");
  EXPECT_EQ(v.mime_type, "video/mp4");
  EXPECT_EQ(v.file_size, 4718592);
  EXPECT_EQ(v.file_unique_id, "AgADFkVid0001Ax");
  ASSERT_TRUE(v.thumbnail);
  EXPECT_EQ(v.thumbnail->height, 180);
  EXPECT_EQ(u.message->caption, "Animate this");
}

TEST(UpdateExamples, VideoNote) {
  auto u = parse_example("06_video_note");
  ASSERT_TRUE(u.message && u.message->video_note);
  const auto& v = *u.message->video_note;
  EXPECT_EQ(v.duration, 9);
  EXPECT_EQ(v.length, 384);
  EXPECT_EQ(v.file_size, 611234);
  EXPECT_EQ(v.file_id, "DQACAgIAAxkBAAIBaWlTe55FakeVideoNote01AAJDZgACFkVnSw1234NgQ");
}

TEST(UpdateExamples, Voice) {
  auto u = parse_example("07_voice");
  ASSERT_TRUE(u.message && u.message->voice);
  const auto& v = *u.message->voice;
  EXPECT_EQ(v.duration, 4);
  EXPECT_EQ(v.mime_type, "audio/ogg");
  EXPECT_EQ(v.file_size, 15873);
  EXPECT_EQ(v.file_unique_id, "AgADFkVoi0001Ax");
}

TEST(UpdateExamples, Audio) {
  auto u = parse_example("08_audio");
  ASSERT_TRUE(u.message && u.message->audio);
  const auto& a = *u.message->audio;
  EXPECT_EQ(a.duration, 183);
  EXPECT_EQ(a.file_name, "night_theme.mp3");
  EXPECT_EQ(a.mime_type, "audio/mpeg");
  EXPECT_EQ(a.title, "Night Theme");
  EXPECT_EQ(a.performer, "Demo Artist");
  EXPECT_EQ(a.file_size, 4398210);
}

TEST(UpdateExamples, ForwardedPhotoFromUser) {
  auto u = parse_example("09_forward_user_photo");
  ASSERT_TRUE(u.message);
  const auto& m = *u.message;
  EXPECT_TRUE(m.is_forwarded());
  ASSERT_TRUE(m.forward_origin);
  EXPECT_EQ(m.forward_origin->type, MessageOrigin::Type::user);
  EXPECT_EQ(m.forward_origin->date, 1767100000);
  ASSERT_TRUE(m.forward_origin->sender_user);
  EXPECT_EQ(m.forward_origin->sender_user->id, 5550001003);
  EXPECT_EQ(m.forward_origin->sender_user->username, "carol_pix");
  ASSERT_TRUE(m.legacy_forward.from);
  EXPECT_EQ(m.legacy_forward.from->first_name, "Carol");
  EXPECT_EQ(m.legacy_forward.date, 1767100000);
  EXPECT_EQ(m.photo.size(), 3u);
}

TEST(UpdateExamples, ForwardedChannelPost) {
  auto u = parse_example("10_forward_channel");
  ASSERT_TRUE(u.message && u.message->forward_origin);
  const auto& o = *u.message->forward_origin;
  EXPECT_EQ(o.type, MessageOrigin::Type::channel);
  ASSERT_TRUE(o.chat);
  EXPECT_EQ(o.chat->id, -1001234567890);
  EXPECT_EQ(o.chat->type, ChatType::channel);
  EXPECT_EQ(o.chat->title, "Art Feed");
  EXPECT_EQ(o.message_id, 77);
  EXPECT_EQ(o.author_signature, "Editor");
  const auto& legacy = u.message->legacy_forward;
  ASSERT_TRUE(legacy.from_chat);
  EXPECT_EQ(legacy.from_chat->username, "artfeed_demo");
  EXPECT_EQ(legacy.from_message_id, 77);
  EXPECT_EQ(legacy.signature, "Editor");
  EXPECT_EQ(u.message->text, "Prompt of the day: a fox made of origami");
}

TEST(UpdateExamples, ForwardFromHiddenUser) {
  auto u = parse_example("11_forward_hidden_user");
  ASSERT_TRUE(u.message && u.message->forward_origin);
  EXPECT_EQ(u.message->forward_origin->type, MessageOrigin::Type::hidden_user);
  EXPECT_EQ(u.message->forward_origin->sender_user_name, "Dave H.");
  EXPECT_FALSE(u.message->forward_origin->sender_user);
  EXPECT_EQ(u.message->legacy_forward.sender_name, "Dave H.");
  EXPECT_EQ(u.message->legacy_forward.date, 1767050000);
}

TEST(UpdateExamples, AlbumItemsShareTheGroupId) {
  auto first = parse_example("12a_album");
  auto second = parse_example("12b_album");
  ASSERT_TRUE(first.message && second.message);
  EXPECT_EQ(first.update_id, 870000012);
  EXPECT_EQ(second.update_id, 870000013);
  EXPECT_EQ(first.message->media_group_id, "13912345678901234");
  EXPECT_EQ(second.message->media_group_id, "13912345678901234");
  EXPECT_EQ(first.message->caption, "Blend these two");
  EXPECT_FALSE(second.message->caption);
  ASSERT_EQ(second.message->photo.size(), 2u);
  EXPECT_EQ(second.message->photo[1].width, 1080);
}

TEST(UpdateExamples, CallbackQueryOnBotMessage) {
  auto u = parse_example("13_callback_query");
  ASSERT_EQ(u.kind, UpdateKind::callback_query);
  ASSERT_TRUE(u.callback_query);
  const auto& q = *u.callback_query;
  EXPECT_EQ(q.id, "4721893645012376541");
  expect_alice(q.from);
  EXPECT_EQ(q.chat_instance, "-5278163420019873345");
  EXPECT_EQ(q.data, "style:wc:job81");
  ASSERT_TRUE(q.message);
  EXPECT_FALSE(q.message->inaccessible());
  EXPECT_EQ(q.message->message_id, 131);
  ASSERT_TRUE(q.message->from);
  EXPECT_TRUE(q.message->from->is_bot);
  ASSERT_TRUE(q.message->reply_markup);
  const auto& rows = q.message->reply_markup->rows;
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0].size(), 2u);
  EXPECT_EQ(rows[0][1].text, "Pixel art");
  EXPECT_EQ(rows[0][1].callback_data, "style:px:job81");
  EXPECT_EQ(rows[1][0].callback_data, "cancel:job81");
  EXPECT_EQ(u.chat_id(), 5550001001);
  EXPECT_EQ(u.user_id(), 5550001001);
}

TEST(UpdateExamples, CallbackQueryOnInaccessibleMessage) {
  auto u = parse_example("14_callback_inaccessible");
  ASSERT_TRUE(u.callback_query && u.callback_query->message);
  const auto& m = *u.callback_query->message;
  EXPECT_TRUE(m.inaccessible());
  EXPECT_EQ(m.message_id, 55);
  EXPECT_EQ(m.chat.id, 5550001002);
  EXPECT_EQ(u.callback_query->data, "regen:job12");
  EXPECT_EQ(u.chat_id(), 5550001002);
}

TEST(UpdateExamples, PreCheckoutQuery) {
  auto u = parse_example("15_pre_checkout_query");
  ASSERT_EQ(u.kind, UpdateKind::pre_checkout_query);
  ASSERT_TRUE(u.pre_checkout_query);
  const auto& q = *u.pre_checkout_query;
  EXPECT_EQ(q.id, "2201234567890123456");
  expect_alice(q.from);
  EXPECT_EQ(q.currency, "XTR");
  EXPECT_EQ(q.total_amount, 50);
  EXPECT_EQ(q.invoice_payload, "ord_20260101_000042");
  EXPECT_EQ(u.chat_id(), 5550001001);
}

TEST(UpdateExamples, SuccessfulPayment) {
  auto u = parse_example("16_successful_payment");
  ASSERT_TRUE(u.message && u.message->successful_payment);
  const auto& p = *u.message->successful_payment;
  EXPECT_EQ(p.currency, "XTR");
  EXPECT_EQ(p.total_amount, 50);
  EXPECT_EQ(p.invoice_payload, "ord_20260101_000042");
  EXPECT_EQ(p.telegram_payment_charge_id, "stxFAKEm3Q1cHargeIdForTests0000000000000000000000001");
  EXPECT_EQ(p.provider_payment_charge_id, "5550001001_42");
  EXPECT_FALSE(p.is_recurring);
}

TEST(UpdateExamples, EditedMessage) {
  auto u = parse_example("17_edited_message");
  ASSERT_EQ(u.kind, UpdateKind::edited_message);
  EXPECT_FALSE(u.message);
  ASSERT_TRUE(u.edited_message);
  EXPECT_EQ(u.edited_message->message_id, 101);
  EXPECT_EQ(u.edited_message->edit_date, 1767225660);
  EXPECT_EQ(u.edited_message->text, "Draw a lighthouse at dawn, watercolor");
  EXPECT_EQ(u.chat_id(), 5550001001);
}

TEST(UpdateExamples, MyChatMemberUserBlockedTheBot) {
  auto u = parse_example("18_my_chat_member_blocked");
  ASSERT_EQ(u.kind, UpdateKind::my_chat_member);
  ASSERT_TRUE(u.my_chat_member);
  const auto& c = *u.my_chat_member;
  EXPECT_EQ(c.chat.id, 5550001002);
  expect_bob(c.from);
  EXPECT_EQ(c.old_chat_member.status, "member");
  EXPECT_EQ(c.new_chat_member.status, "kicked");
  EXPECT_EQ(c.new_chat_member.until_date, 0);
  EXPECT_TRUE(c.new_chat_member.user.is_bot);
  EXPECT_TRUE(c.user_blocked_bot());
  EXPECT_FALSE(c.user_unblocked_bot());
  EXPECT_EQ(u.user_id(), 5550001002);
}

TEST(UpdateExamples, AnimationWithDuplicateDocument) {
  auto u = parse_example("19_animation");
  ASSERT_TRUE(u.message && u.message->animation && u.message->document);
  const auto& a = *u.message->animation;
  EXPECT_EQ(a.duration, 3);
  EXPECT_EQ(a.width, 480);
  EXPECT_EQ(a.height, 270);
  EXPECT_EQ(a.mime_type, "video/mp4");
  EXPECT_EQ(a.file_id, u.message->document->file_id);
}

TEST(UpdateExamples, EveryCorpusFileParses) {
  for (const auto& name : test::example_names()) {
    auto result = parse_update(test::read_example(name));
    EXPECT_TRUE(result.has_value()) << name << ": " << (result ? "" : result.error().message);
  }
}

}  // namespace
}  // namespace kb::telegram
