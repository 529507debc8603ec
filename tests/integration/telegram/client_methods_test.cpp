// BotClient against the fake Bot API: each method's request shape (as the fake received it) and
// the parsed response.
#include <fstream>

#include "client_fixture.hpp"
#include "core/log.hpp"
#include "telegram/errors.hpp"
#include "telegram/parse.hpp"

namespace kb::telegram::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

TEST_F(ClientTest, GetMe) {
  start();
  auto me = run<Result<BotInfo>>([&] { return client->get_me(); });
  ASSERT_TRUE(me) << me.error().describe();
  EXPECT_EQ(me->user.id, 7000000001);
  EXPECT_TRUE(me->user.is_bot);
  EXPECT_EQ(me->user.username, "genart_test_bot");
  EXPECT_TRUE(me->can_join_groups);
  auto calls = fake->calls("getMe");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].encoding, "json");
}

TEST_F(ClientTest, WebhookLifecycle) {
  start();
  StaticFiles hook;
  SetWebhook w;
  w.url = hook.url("hook");
  w.secret_token = "secret_token_1";
  w.max_connections = 10;
  w.allowed_updates = std::vector<std::string>{"message", "callback_query", "pre_checkout_query"};
  auto set = run<Result<void>>([&] { return client->set_webhook(w); });
  ASSERT_TRUE(set) << set.error().describe();
  auto call = fake->calls("setWebhook").at(0);
  EXPECT_EQ(call.param("secret_token"), "secret_token_1");
  EXPECT_EQ(call.json_param("allowed_updates"),
            Json::parse(R"(["message","callback_query","pre_checkout_query"])"));
  EXPECT_FALSE(call.has("drop_pending_updates"));

  auto info = run<Result<WebhookInfo>>([&] { return client->get_webhook_info(); });
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_EQ(info->url, w.url);
  EXPECT_EQ(info->max_connections, 10);
  EXPECT_EQ(info->allowed_updates.size(), 3u);

  // Polling while a webhook is set: 409, a fatal (configuration) error.
  auto conflict = run<Result<std::vector<RawUpdate>>>([&] { return client->get_updates({}); });
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().status, 409);
  EXPECT_EQ(classify(conflict.error()).kind, ErrorKind::conflict);

  auto deleted = run<Result<void>>([&] { return client->delete_webhook(false); });
  ASSERT_TRUE(deleted) << deleted.error().describe();
  EXPECT_TRUE(fake->webhook().url.empty());
}

TEST_F(ClientTest, GetUpdatesReturnsRawUpdatesAndConfirmsWithTheOffset) {
  start();
  fake->send_text(alice, "hello bot");
  fake->send_command(alice, "start", "ref_42");
  auto batch = run<Result<std::vector<RawUpdate>>>([&] {
    GetUpdates p;
    p.timeout_seconds = 1;
    return client->get_updates(p);
  });
  ASSERT_TRUE(batch) << batch.error().describe();
  ASSERT_EQ(batch->size(), 2u);
  auto first = parse_update((*batch)[0].json);
  ASSERT_TRUE(first && first->message);
  EXPECT_EQ(first->update_id, (*batch)[0].update_id);
  EXPECT_EQ(first->message->text, "hello bot");
  auto second = parse_update((*batch)[1].json);
  ASSERT_TRUE(second && second->message);
  EXPECT_EQ(second->message->text, "/start ref_42");
  ASSERT_EQ(second->message->entities.size(), 1u);

  auto next = run<Result<std::vector<RawUpdate>>>([&] {
    GetUpdates p;
    p.offset = (*batch)[1].update_id + 1;
    return client->get_updates(p);
  });
  ASSERT_TRUE(next);
  EXPECT_TRUE(next->empty());
  EXPECT_EQ(fake->pending_update_count(), 0u);
}

TEST_F(ClientTest, SendEditAndDeleteMessages) {
  start();
  SendMessage p;
  p.chat_id = alice.id;
  p.text = "<b>Choose</b> a style:";
  p.reply_markup = InlineKeyboard{}.row({InlineButton::callback("Watercolor", "style:wc"),
                                         InlineButton::callback("Pixel", "style:px")});
  auto sent = run<Result<Message>>([&] { return client->send_message(p); });
  ASSERT_TRUE(sent) << sent.error().describe();
  EXPECT_EQ(sent->text, "Choose a style:");
  EXPECT_EQ(sent->chat.id, alice.id);
  ASSERT_TRUE(sent->reply_markup);
  EXPECT_EQ(sent->reply_markup->rows[0][1].callback_data, "style:px");
  auto call = fake->calls("sendMessage").at(0);
  EXPECT_EQ(call.param("parse_mode"), "HTML");
  EXPECT_EQ(call.json_param("reply_markup")["inline_keyboard"][0][0]["callback_data"], "style:wc");

  // Editing the text keeps the keyboard only when it is sent again (omitted: removed).
  EditMessageText edit{alice.id,        sent->message_id, "Generating…",
                       ParseMode::none, p.reply_markup,   false};
  auto edited = run<Result<Message>>([&] { return client->edit_message_text(edit); });
  ASSERT_TRUE(edited) << edited.error().describe();
  EXPECT_EQ(fake->message(alice.id, sent->message_id)->text, "Generating…");
  EXPECT_EQ(fake->message(alice.id, sent->message_id)->inline_keyboard.size(), 1u);

  // The same edit again: "message is not modified", an expected outcome.
  auto again = run<Result<Message>>([&] { return client->edit_message_text(edit); });
  ASSERT_FALSE(again);
  EXPECT_EQ(classify(again.error()).kind, ErrorKind::message_not_modified);
  EXPECT_EQ(classify(again.error()).error_class, ErrorClass::expected);

  auto markup = run<Result<Message>>([&] {
    return client->edit_message_reply_markup({alice.id, sent->message_id, std::nullopt});
  });
  ASSERT_TRUE(markup) << markup.error().describe();
  EXPECT_TRUE(fake->message(alice.id, sent->message_id)->inline_keyboard.empty());

  auto deleted =
      run<Result<void>>([&] { return client->delete_message(alice.id, sent->message_id); });
  ASSERT_TRUE(deleted) << deleted.error().describe();
  EXPECT_TRUE(fake->message(alice.id, sent->message_id)->deleted);
  auto gone = run<Result<void>>([&] { return client->delete_message(alice.id, sent->message_id); });
  ASSERT_FALSE(gone);
  EXPECT_EQ(classify(gone.error()).kind, ErrorKind::message_to_delete_not_found);
}

TEST_F(ClientTest, RejectedMarkupIsResentOnceAsPlainText) {
  start();
  SendMessage p;
  p.chat_id = alice.id;
  p.text = "<p>Result</p> ready &amp; waiting";
  auto sent = run<Result<Message>>([&] { return client->send_message(p); });
  ASSERT_TRUE(sent) << sent.error().describe();
  auto calls = fake->calls("sendMessage");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].status, 400);
  EXPECT_EQ(calls[1].status, 200);
  EXPECT_FALSE(calls[1].has("parse_mode"));
  EXPECT_EQ(fake->last_bot_message(alice.id)->text, "Result ready & waiting");
}

TEST_F(ClientTest, LongTextIsSplitAndTheKeyboardGoesLast) {
  start();
  SendMessage p;
  p.chat_id = alice.id;
  p.text = std::string(3000, 'a') + "\n\n<b>" + std::string(3000, 'b') + "</b>";
  p.reply_markup = InlineKeyboard{}.add(InlineButton::callback("Home", "home"));
  auto sent = run<Result<std::vector<Message>>>([&] { return send_long_text(*client, p); });
  ASSERT_TRUE(sent) << sent.error().describe();
  ASSERT_EQ(sent->size(), 2u);
  EXPECT_FALSE((*sent)[0].reply_markup);
  ASSERT_TRUE((*sent)[1].reply_markup);
  EXPECT_EQ((*sent)[1].text, std::string(3000, 'b'));
  ASSERT_EQ((*sent)[1].entities.size(), 1u);
  EXPECT_EQ((*sent)[1].entities[0].type, "bold");
}

TEST_F(ClientTest, CallbackQueriesAreAnswered) {
  start();
  auto sent = run<Result<Message>>([&] {
    return client->send_message({alice.id, "Pick", ParseMode::none,
                                 InlineKeyboard{}.add(InlineButton::callback("Go", "go"))});
  });
  ASSERT_TRUE(sent);
  auto press = fake->press_button(alice, sent->message_id, "go");
  auto answered = run<Result<void>>([&] {
    return client->answer_callback_query({press.callback_query_id, "Working on it", false, "", 0});
  });
  ASSERT_TRUE(answered) << answered.error().describe();
  auto record = fake->callback_query(press.callback_query_id);
  ASSERT_TRUE(record);
  EXPECT_TRUE(record->answered);
  EXPECT_EQ(record->answer_text, "Working on it");
}

TEST_F(ClientTest, SendPhotoUploadedFromMemory) {
  start();
  auto bytes = png(64, 48);
  auto sent = run<Result<Message>>([&] {
    SendMedia m;
    m.chat_id = alice.id;
    m.type = MediaType::photo;
    m.file = InputFile::from_memory(bytes, "result.png", "image/png");
    m.caption = "<i>Done</i>";
    m.reply_markup = InlineKeyboard{}.add(InlineButton::callback("Repeat", "repeat:1"));
    return client->send_media(m);
  });
  ASSERT_TRUE(sent) << sent.error().describe();
  ASSERT_FALSE(sent->photo.empty());
  EXPECT_EQ(sent->caption, "Done");
  auto call = fake->calls("sendPhoto").at(0);
  EXPECT_EQ(call.encoding, "multipart");
  ASSERT_EQ(call.files.size(), 1u);
  EXPECT_EQ(call.files[0].name, "photo");
  EXPECT_EQ(call.files[0].filename, "result.png");
  EXPECT_EQ(call.files[0].size, bytes.size());
  EXPECT_EQ(call.param("parse_mode"), "HTML");
  EXPECT_EQ(call.json_param("reply_markup")["inline_keyboard"][0][0]["text"], "Repeat");
  auto largest = sent->photo.back();
  EXPECT_EQ(fake->file_content(largest.file_id), bytes);
}

TEST_F(ClientTest, SendDocumentFromAFileVideoByUrlAudioByFileId) {
  start();
  StaticFiles files;
  std::string doc_path = ::testing::TempDir() + "kiebot_client_doc.pdf";
  std::ofstream(doc_path, std::ios::binary) << "%PDF-1.4 fake document";
  auto doc = run<Result<Message>>([&] {
    return client->send_document(alice.id, InputFile::from_path(doc_path, "", "application/pdf"),
                                 "Your file");
  });
  ASSERT_TRUE(doc) << doc.error().describe();
  ASSERT_TRUE(doc->document);
  EXPECT_EQ(doc->document->file_name, "kiebot_client_doc.pdf");
  EXPECT_EQ(fake->file_content(doc->document->file_id), "%PDF-1.4 fake document");
  std::remove(doc_path.c_str());

  files.put("clip.mp4", std::string(5000, 'v'), "video/mp4");
  auto video = run<Result<Message>>([&] {
    SendMedia m;
    m.chat_id = alice.id;
    m.type = MediaType::video;
    m.file = InputFile::by_id_or_url(files.url("clip.mp4"));
    m.supports_streaming = true;
    return client->send_media(m);
  });
  ASSERT_TRUE(video) << video.error().describe();
  ASSERT_TRUE(video->video);
  EXPECT_EQ(fake->calls("sendVideo").at(0).param("video"), files.url("clip.mp4"));
  EXPECT_EQ(fake->file_content(video->video->file_id), std::string(5000, 'v'));

  auto user_audio = fake->send_audio(alice, std::string(3000, 'a'));
  auto audio_id = fake->message(alice.id, user_audio.message_id)->file_id;
  auto audio = run<Result<Message>>(
      [&] { return client->send_audio(alice.id, InputFile::by_id_or_url(audio_id)); });
  ASSERT_TRUE(audio) << audio.error().describe();
  ASSERT_TRUE(audio->audio);
  EXPECT_EQ(audio->audio->file_id, audio_id);
}

TEST_F(ClientTest, UrlRefusedByTelegramIsAnExpectedErrorToUploadInstead) {
  start();
  StaticFiles files;
  files.put("huge.png", std::string(6 << 20, 'x'), "image/png");  // over the 5 MB by-URL limit
  auto sent = run<Result<Message>>(
      [&] { return client->send_photo(alice.id, InputFile::by_id_or_url(files.url("huge.png"))); });
  ASSERT_FALSE(sent);
  auto info = classify(sent.error());
  EXPECT_EQ(info.error_class, ErrorClass::expected) << sent.error().describe();
  EXPECT_TRUE(info.kind == ErrorKind::url_content_rejected || info.kind == ErrorKind::file_too_big)
      << error_kind_name(info.kind);
}

TEST_F(ClientTest, AnimationAndVoiceUploads) {
  start();
  auto animation = run<Result<Message>>([&] {
    return client->send_animation(
        alice.id, InputFile::from_memory(std::string(2000, 'g'), "loop.mp4", "video/mp4"));
  });
  ASSERT_TRUE(animation) << animation.error().describe();
  EXPECT_TRUE(animation->animation);
  auto voice = run<Result<Message>>([&] {
    return client->send_voice(
        alice.id, InputFile::from_memory(std::string(900, 'o'), "note.ogg", "audio/ogg"));
  });
  ASSERT_TRUE(voice) << voice.error().describe();
  ASSERT_TRUE(voice->voice);
  EXPECT_EQ(fake->file_content(voice->voice->file_id), std::string(900, 'o'));
}

TEST_F(ClientTest, UploadStreamedFromADownload) {
  start();
  StaticFiles files;
  std::string body(300 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7 % 256);
  files.put("big.bin", body, "application/octet-stream");
  auto sent = run<Result<Message>>([&]() -> Task<Result<Message>> {
    net::ClientRequest get;
    get.url = files.url("big.bin");
    auto opening = http.open(get);  // arguments outside co_await: GCC 12 destroys them twice
    auto stream = co_await std::move(opening);
    if (!stream) co_return fail(stream.error());
    auto size = (*stream)->content_length();
    std::shared_ptr<net::ResponseStream> shared(std::move(*stream));
    auto sending = client->send_document(
        alice.id, InputFile::from_stream(shared, "big.bin", "application/octet-stream", size));
    co_return co_await std::move(sending);
  });
  ASSERT_TRUE(sent) << sent.error().describe();
  ASSERT_TRUE(sent->document);
  EXPECT_EQ(fake->file_content(sent->document->file_id), body);
}

TEST_F(ClientTest, MediaGroupWithAttachPartsAndAFileId) {
  start();
  auto user_photo = fake->send_photo(alice, png(40, 40));
  auto existing = fake->message(alice.id, user_photo.message_id)->file_id;
  auto first = png(30, 20), second = png(20, 30);
  auto album = run<Result<std::vector<Message>>>([&] {
    SendMediaGroup g;
    g.chat_id = alice.id;
    InputMedia a;
    a.media = InputFile::from_memory(first, "a.png", "image/png");
    a.caption = "<b>Three</b> results";
    InputMedia b;
    b.media = InputFile::from_memory(second, "b.png", "image/png");
    InputMedia c;
    c.media = InputFile::by_id_or_url(existing);
    g.media = {a, b, c};
    return client->send_media_group(g);
  });
  ASSERT_TRUE(album) << album.error().describe();
  ASSERT_EQ(album->size(), 3u);
  EXPECT_FALSE((*album)[0].media_group_id.empty());
  EXPECT_EQ((*album)[0].media_group_id, (*album)[2].media_group_id);
  EXPECT_EQ((*album)[0].caption, "Three results");
  auto call = fake->calls("sendMediaGroup").at(0);
  EXPECT_EQ(call.encoding, "multipart");
  auto media = call.json_param("media");
  EXPECT_EQ(media[0]["media"], "attach://file0");
  EXPECT_EQ(media[1]["media"], "attach://file1");
  EXPECT_EQ(media[2]["media"], existing);
  ASSERT_EQ(call.files.size(), 2u);
  EXPECT_EQ(fake->file_content((*album)[0].photo.back().file_id), first);
  EXPECT_EQ(fake->file_content((*album)[1].photo.back().file_id), second);
}

TEST_F(ClientTest, ChatActionAndCommands) {
  start();
  auto action =
      run<Result<void>>([&] { return client->send_chat_action(alice.id, "upload_photo"); });
  ASSERT_TRUE(action) << action.error().describe();
  EXPECT_EQ(fake->calls("sendChatAction").at(0).param("action"), "upload_photo");

  SetMyCommands ru;
  ru.commands = {{"start", "Главное меню"}, {"help", "Помощь"}};
  ru.language_code = "ru";
  auto set = run<Result<void>>([&] { return client->set_my_commands(ru); });
  ASSERT_TRUE(set) << set.error().describe();
  auto stored = fake->my_commands("ru");
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0]["command"], "start");
  EXPECT_EQ(stored[1]["description"], "Помощь");
  EXPECT_TRUE(fake->my_commands("").empty());
}

TEST_F(ClientTest, GetFileAndDownloadOverHttp) {
  start();
  auto bytes = png(120, 80);
  auto user_photo = fake->send_photo(alice, bytes, "use this");
  auto file_id = fake->message(alice.id, user_photo.message_id)->file_id;
  auto file = run<Result<File>>([&] { return client->get_file(file_id); });
  ASSERT_TRUE(file) << file.error().describe();
  EXPECT_EQ(file->file_id, file_id);
  EXPECT_FALSE(file->file_path.empty());
  EXPECT_EQ(file->file_size, static_cast<std::int64_t>(bytes.size()));
  auto data = run<Result<std::string>>([&] { return download_file(*client, *file, 1 << 20); });
  ASSERT_TRUE(data) << data.error().describe();
  EXPECT_EQ(*data, bytes);

  auto too_small = run<Result<std::string>>([&] { return download_file(*client, *file, 10); });
  EXPECT_FALSE(too_small);
}

TEST_F(ClientTest, LocalModeReadsAbsolutePathsFromDisk) {
  ClientConfig config;
  config.local_mode = true;
  start(unlimited(), config);
  std::string path = ::testing::TempDir() + "kiebot_local_mode_file.bin";
  std::ofstream(path, std::ios::binary) << "bytes on the Bot API server's disk";
  File file;
  file.file_id = "x";
  file.file_unique_id = "y";
  file.file_path = path;
  file.file_size = 33;
  auto data = run<Result<std::string>>([&] { return download_file(*client, file, 1 << 20); });
  ASSERT_TRUE(data) << data.error().describe();
  EXPECT_EQ(*data, "bytes on the Bot API server's disk");
  std::remove(path.c_str());
}

TEST_F(ClientTest, StarsInvoicePaymentAndRefund) {
  start();
  SendInvoice inv;
  inv.chat_id = alice.id;
  inv.invoice.title = "50 image credits";
  inv.invoice.description = "Pack of 50 AI image generations";
  inv.invoice.payload = "ord_20260101_000042";
  inv.invoice.prices = {{"50 credits", 50}};
  auto sent = run<Result<Message>>([&] { return client->send_invoice(inv); });
  ASSERT_TRUE(sent) << sent.error().describe();
  auto invoice = fake->last_invoice(alice.id);
  ASSERT_TRUE(invoice);
  EXPECT_EQ(invoice->currency, "XTR");
  EXPECT_EQ(invoice->amount, 50);
  EXPECT_EQ(invoice->payload, "ord_20260101_000042");

  auto link = run<Result<std::string>>([&] { return client->create_invoice_link(inv.invoice); });
  ASSERT_TRUE(link) << link.error().describe();
  EXPECT_EQ(link->rfind("https://t.me/$", 0), 0u);

  auto payment = fake->pay(alice, *invoice);
  ASSERT_TRUE(payment);
  auto answered = run<Result<void>>([&] {
    return client->answer_pre_checkout_query({payment->pre_checkout_query_id, true, ""});
  });
  ASSERT_TRUE(answered) << answered.error().describe();
  ASSERT_TRUE(fake->wait_until([&] {
    auto p = fake->payment(payment->pre_checkout_query_id);
    return p && p->state == sandbox::tg::PaymentState::paid;
  }));
  auto paid = fake->payment(payment->pre_checkout_query_id);
  auto refunded = run<Result<void>>(
      [&] { return client->refund_star_payment(alice.id, paid->telegram_payment_charge_id); });
  ASSERT_TRUE(refunded) << refunded.error().describe();
  EXPECT_EQ(fake->payment(payment->pre_checkout_query_id)->state,
            sandbox::tg::PaymentState::refunded);
}

TEST_F(ClientTest, BlockedUserIsATypedExpectedError) {
  start();
  fake->block_bot(alice);
  auto sent = run<Result<Message>>([&] {
    return client->send_message({alice.id, "news", ParseMode::none});
  });
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().status, 403);
  EXPECT_TRUE(recipient_unreachable(sent.error()));
  EXPECT_EQ(classify(sent.error()).error_class, ErrorClass::expected);
  EXPECT_EQ(fake->call_count("sendMessage"), 1u);  // never retried
}

TEST_F(ClientTest, ServerErrorsAreRetriedButSendsAtMostOnce) {
  ClientConfig config;
  config.retry = quick_retries();
  start(unlimited(), config);
  fake->inject_error("getMe", sandbox::tg::InjectedError::server_error(502), 2);
  auto me = run<Result<BotInfo>>([&] { return client->get_me(); });
  ASSERT_TRUE(me) << me.error().describe();
  EXPECT_EQ(fake->call_count("getMe"), 3u);

  fake->inject_error("sendMessage", sandbox::tg::InjectedError::server_error(500), 5);
  auto sent = run<Result<Message>>([&] {
    return client->send_message({alice.id, "hi", ParseMode::none});
  });
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().status, 500);
  EXPECT_EQ(fake->call_count("sendMessage"), 2u);  // the first try and one retry
}

TEST_F(ClientTest, NetworkFailureWhenNothingListens) {
  ClientConfig config;
  config.retry = quick_retries();
  start(unlimited(), config);
  ClientConfig dead = config;
  dead.token = fake->token();
  dead.api_url = "http://127.0.0.1:1";  // refused: never reached, safe to retry, then give up
  BotClient nowhere(io.io().get_executor(), http, dead);
  auto me = run<Result<BotInfo>>([&] { return nowhere.get_me(); });
  ASSERT_FALSE(me);
  EXPECT_EQ(me.error().code, Errc::unavailable);
  EXPECT_EQ(classify(me.error()).kind, ErrorKind::network);
}

TEST_F(ClientTest, TheTokenNeverAppearsInLogs) {
  ClientConfig config;
  config.retry = quick_retries();
  start(unlimited(), config);
  log::Capture capture;
  fake->inject_error("sendMessage", sandbox::tg::InjectedError::bad_request("chat not found"), 1);
  (void)run<Result<Message>>([&] {
    return client->send_message({alice.id, "x", ParseMode::none});
  });
  (void)run<Result<File>>([&] { return client->get_file("no-such-file"); });
  EXPECT_GT(capture.lines().size(), 0u);
  auto secret_part = fake->token().substr(fake->token().find(':') + 1);
  for (const auto& line : capture.lines()) {
    EXPECT_EQ(line.find(secret_part), std::string::npos) << line;
    EXPECT_EQ(line.find("/bot"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace kb::telegram::test
