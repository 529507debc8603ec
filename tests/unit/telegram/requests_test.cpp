// Request shapes built from typed parameters (no server needed), keyboards, form encoding and the
// plain-text fallback.
#include <gtest/gtest.h>

#include "telegram/requests.hpp"

namespace kb::telegram {
namespace {

using Json = nlohmann::json;

TEST(Keyboard, BuildsAndSerializes) {
  InlineKeyboard k;
  k.row({InlineButton::callback("A", "a:1"), InlineButton::callback("B", "b:2")})
      .row({InlineButton::link("Site", "https://example.com")});
  k.add(InlineButton::copy("Copy", "text"));
  EXPECT_EQ(k.button_count(), 4u);
  ASSERT_TRUE(validate(k));
  EXPECT_EQ(to_json(k), Json::parse(R"({"inline_keyboard":[
      [{"text":"A","callback_data":"a:1"},{"text":"B","callback_data":"b:2"}],
      [{"text":"Site","url":"https://example.com"},{"text":"Copy","copy_text":{"text":"text"}}]]})"));
}

TEST(Keyboard, ValidationCatchesOurMistakes) {
  InlineKeyboard too_long;
  too_long.add(InlineButton::callback("x", std::string(65, 'd')));
  EXPECT_FALSE(validate(too_long));
  InlineKeyboard exactly_64;
  exactly_64.add(InlineButton::callback("x", std::string(64, 'd')));
  EXPECT_TRUE(validate(exactly_64));
  InlineKeyboard no_action;
  no_action.add(InlineButton{"text"});
  EXPECT_FALSE(validate(no_action));
  InlineKeyboard empty_text;
  empty_text.add(InlineButton::callback("", "d"));
  EXPECT_FALSE(validate(empty_text));
  InlineKeyboard late_pay;
  late_pay.add(InlineButton::callback("x", "d")).add(InlineButton::pay_button("Pay"));
  EXPECT_FALSE(validate(late_pay));
}

TEST(Requests, SendMessageShape) {
  SendMessage p;
  p.chat_id = 42;
  p.text = "<b>Hi</b>";
  p.reply_markup = InlineKeyboard{}.add(InlineButton::callback("Go", "go"));
  p.reply_to_message_id = 7;
  p.disable_link_preview = true;
  auto call = build_send_message(p);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->method, "sendMessage");
  EXPECT_EQ(call->throttle, Throttle::message);
  EXPECT_EQ(call->chat_id, 42);
  EXPECT_TRUE(call->may_duplicate);
  EXPECT_TRUE(call->uploads.empty());
  EXPECT_EQ(call->params["chat_id"], 42);
  EXPECT_EQ(call->params["text"], "<b>Hi</b>");
  EXPECT_EQ(call->params["parse_mode"], "HTML");
  EXPECT_EQ(call->params["reply_markup"]["inline_keyboard"][0][0]["callback_data"], "go");
  EXPECT_EQ(call->params["reply_parameters"]["message_id"], 7);
  EXPECT_EQ(call->params["reply_parameters"]["allow_sending_without_reply"], true);
  EXPECT_EQ(call->params["link_preview_options"]["is_disabled"], true);
}

TEST(Requests, TextLimitsAreCheckedBeforeSending) {
  SendMessage p;
  p.chat_id = 1;
  p.text = "  ";
  EXPECT_FALSE(build_send_message(p));
  p.text = std::string(4097, 'x');
  EXPECT_FALSE(build_send_message(p));
  // Markup does not count: 4096 visible characters inside a tag are fine.
  p.text = "<b>" + std::string(4096, 'x') + "</b>";
  EXPECT_TRUE(build_send_message(p));
  p.parse_mode = ParseMode::none;  // now the tags are characters
  EXPECT_FALSE(build_send_message(p));

  SendMedia m;
  m.chat_id = 1;
  m.file = InputFile::by_id_or_url("AgAC");
  m.caption = std::string(1025, 'c');
  EXPECT_FALSE(build_send_media(m));
}

TEST(Requests, InvalidKeyboardIsRefusedLocally) {
  SendMessage p;
  p.chat_id = 1;
  p.text = "x";
  p.reply_markup = InlineKeyboard{}.add(InlineButton::callback("x", std::string(70, 'y')));
  auto call = build_send_message(p);
  ASSERT_FALSE(call);
}

TEST(Requests, EditsAndDeletes) {
  auto edit = build_edit_message_text({5, 9, "new", ParseMode::none, std::nullopt, false});
  ASSERT_TRUE(edit);
  EXPECT_EQ(edit->method, "editMessageText");
  EXPECT_EQ(edit->params["message_id"], 9);
  EXPECT_FALSE(edit->params.contains("parse_mode"));
  EXPECT_FALSE(edit->may_duplicate);

  auto markup = build_edit_message_reply_markup({5, 9, std::nullopt});
  ASSERT_TRUE(markup);
  EXPECT_FALSE(markup->params.contains("reply_markup"));  // omitted: removes the keyboard

  auto del = build_delete_message(5, 9);
  EXPECT_EQ(del.throttle, Throttle::none);
  EXPECT_EQ(del.params, Json::parse(R"({"chat_id":5,"message_id":9})"));
}

TEST(Requests, MediaByIdByUrlAndUpload) {
  SendMedia by_id;
  by_id.chat_id = 3;
  by_id.type = MediaType::video;
  by_id.file = InputFile::by_id_or_url("BAACAgIAAxk");
  by_id.caption = "clip";
  by_id.supports_streaming = true;
  auto call = build_send_media(by_id);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->method, "sendVideo");
  EXPECT_EQ(call->params["video"], "BAACAgIAAxk");
  EXPECT_EQ(call->params["supports_streaming"], true);
  EXPECT_TRUE(call->uploads.empty());

  SendMedia upload;
  upload.chat_id = 3;
  upload.type = MediaType::photo;
  upload.file = InputFile::from_memory("PNGDATA", "a.png", "image/png");
  upload.thumbnail = InputFile::from_memory("JPEG", "t.jpg", "image/jpeg");
  call = build_send_media(upload);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->method, "sendPhoto");
  EXPECT_FALSE(call->params.contains("photo"));
  ASSERT_EQ(call->uploads.size(), 2u);
  EXPECT_EQ(call->uploads[0].name, "photo");
  EXPECT_EQ(call->uploads[0].file.data, "PNGDATA");
  EXPECT_EQ(call->params["thumbnail"], "attach://thumbnail_file");
  EXPECT_EQ(call->uploads[1].name, "thumbnail_file");
  EXPECT_FALSE(call->single_shot);

  SendMedia streamed;
  streamed.chat_id = 3;
  streamed.type = MediaType::document;
  streamed.file = InputFile::from_stream(nullptr, "big.bin");
  call = build_send_media(streamed);
  ASSERT_TRUE(call);
  EXPECT_TRUE(call->single_shot);
}

TEST(Requests, MediaGroupUsesAttachParts) {
  SendMediaGroup g;
  g.chat_id = 8;
  InputMedia a;
  a.media = InputFile::from_memory("one", "1.png", "image/png");
  a.caption = "<i>first</i>";
  InputMedia b;
  b.type = MediaType::video;
  b.media = InputFile::by_id_or_url("https://example.com/v.mp4");
  InputMedia c;
  c.media = InputFile::from_path("/tmp/x.jpg");
  g.media = {a, b, c};
  auto call = build_send_media_group(g);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->method, "sendMediaGroup");
  EXPECT_EQ(call->cost, 3);
  const auto& media = call->params["media"];
  ASSERT_EQ(media.size(), 3u);
  EXPECT_EQ(media[0]["type"], "photo");
  EXPECT_EQ(media[0]["media"], "attach://file0");
  EXPECT_EQ(media[0]["caption"], "<i>first</i>");
  EXPECT_EQ(media[0]["parse_mode"], "HTML");
  EXPECT_EQ(media[1]["type"], "video");
  EXPECT_EQ(media[1]["media"], "https://example.com/v.mp4");
  EXPECT_EQ(media[2]["media"], "attach://file2");
  ASSERT_EQ(call->uploads.size(), 2u);
  EXPECT_EQ(call->uploads[0].name, "file0");
  EXPECT_EQ(call->uploads[1].name, "file2");
  EXPECT_EQ(call->uploads[1].file.filename, "x.jpg");

  g.media = {a};
  EXPECT_FALSE(build_send_media_group(g));
  g.media = std::vector<InputMedia>(11, a);
  EXPECT_FALSE(build_send_media_group(g));
}

TEST(Requests, CallbackAnswerIsCut) {
  auto call = build_answer_callback_query({"q1", std::string(300, 'a'), true, "", 0});
  EXPECT_EQ(call.throttle, Throttle::none);
  EXPECT_EQ(call.params["callback_query_id"], "q1");
  EXPECT_EQ(call.params["show_alert"], true);
  EXPECT_LE(call.params["text"].get<std::string>().size(), 203u);
}

TEST(Requests, WebhookAndUpdates) {
  SetWebhook w;
  w.url = "https://bot.example.com/telegram/webhook";
  w.secret_token = "s3cr3t";
  w.max_connections = 40;
  w.allowed_updates = std::vector<std::string>{"message", "callback_query", "pre_checkout_query"};
  auto call = build_set_webhook(w);
  EXPECT_EQ(call.params["allowed_updates"][2], "pre_checkout_query");
  EXPECT_FALSE(call.params.contains("drop_pending_updates"));
  EXPECT_EQ(build_delete_webhook(false).params, Json::object());
  auto updates = build_get_updates({100, 50, 30, std::nullopt});
  EXPECT_EQ(updates.params, Json::parse(R"({"offset":100,"limit":50,"timeout":30})"));
}

TEST(Requests, CommandsWithLanguage) {
  SetMyCommands c;
  c.commands = {{"start", "Start"}, {"help", "Help"}};
  c.language_code = "ru";
  auto call = build_set_my_commands(c);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->params["language_code"], "ru");
  EXPECT_EQ(call->params["commands"][1]["command"], "help");
  EXPECT_FALSE(call->params.contains("scope"));
  c.commands = {{"Start", "bad name"}};
  EXPECT_FALSE(build_set_my_commands(c));
}

TEST(Requests, StarsInvoices) {
  SendInvoice p;
  p.chat_id = 5550001001;
  p.invoice.title = "50 image credits";
  p.invoice.description = "Pack of 50 AI image generations";
  p.invoice.payload = "ord_20260101_000042";
  p.invoice.prices = {{"50 credits", 50}};
  auto call = build_send_invoice(p);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->params, Json::parse(R"({"chat_id": 5550001001, "title": "50 image credits",
      "description": "Pack of 50 AI image generations", "payload": "ord_20260101_000042",
      "provider_token": "", "currency": "XTR", "prices": [{"label": "50 credits", "amount": 50}]})"));

  auto link = p.invoice;
  link.subscription_period = 2592000;
  auto link_call = build_create_invoice_link(link);
  ASSERT_TRUE(link_call);
  EXPECT_EQ(link_call->params["subscription_period"], 2592000);

  p.invoice.prices.push_back({"extra", 1});
  EXPECT_FALSE(build_send_invoice(p));  // Stars: exactly one price
  p.invoice.prices = {{"x", 1}};
  p.invoice.payload = std::string(129, 'p');
  EXPECT_FALSE(build_send_invoice(p));

  EXPECT_FALSE(build_answer_pre_checkout_query({"id", false, ""}));
  auto ok = build_answer_pre_checkout_query({"id", true, ""});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->params, Json::parse(R"({"pre_checkout_query_id":"id","ok":true})"));
  auto refund = build_refund_star_payment(5, "stx1");
  EXPECT_EQ(refund.params["telegram_payment_charge_id"], "stx1");
}

TEST(Requests, FormFieldsEncodeComplexValuesAsJson) {
  Json params = {{"chat_id", 5},
                 {"text", "hi"},
                 {"flag", true},
                 {"reply_markup", {{"a", 1}}},
                 {"skip", nullptr}};
  auto fields = form_fields(params);
  std::map<std::string, std::string> m(fields.begin(), fields.end());
  EXPECT_EQ(m["chat_id"], "5");
  EXPECT_EQ(m["text"], "hi");
  EXPECT_EQ(m["flag"], "true");
  EXPECT_EQ(m["reply_markup"], R"({"a":1})");
  EXPECT_FALSE(m.count("skip"));
}

TEST(Requests, StripFormatting) {
  Json params = {{"text", "<b>a</b> &amp; b"}, {"parse_mode", "HTML"}};
  EXPECT_TRUE(strip_formatting(params));
  EXPECT_EQ(params, Json::parse(R"({"text":"a & b"})"));
  EXPECT_FALSE(strip_formatting(params));

  Json album = {{"media", {{{"type", "photo"}, {"caption", "<i>x</i>"}, {"parse_mode", "HTML"}}}}};
  EXPECT_TRUE(strip_formatting(album));
  EXPECT_EQ(album["media"][0]["caption"], "x");
  EXPECT_FALSE(album["media"][0].contains("parse_mode"));
}

}  // namespace
}  // namespace kb::telegram
