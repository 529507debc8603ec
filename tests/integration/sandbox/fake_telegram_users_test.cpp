// Simulated users of the fake Bot API produce updates shaped like the real server's (§9 of the
// Telegram reference): entities, photo sizes, legacy thumb and forward fields, albums, edits.
#include "fake_telegram_fixture.hpp"

namespace kb::sandbox::tg::test_support {
namespace {

using nlohmann::json;

const User kAlice{5550001001, "Alice", "Moreau", "alice_m", "en", true};
const User kBob{5550001002, "Bob", "", "", "de", false};

json last_message(FakeTelegram& tg) {
  return tg.updates().back()["message"];
}

TEST_F(FakeTelegramTest, TextAndCommandsFromUsers) {
  start();
  auto sent = tg->send_text(kAlice, "Draw a lighthouse at dusk, watercolor");
  auto m = last_message(*tg);
  EXPECT_EQ(m["message_id"], sent.message_id);
  EXPECT_EQ(
      m["from"],
      json::parse(R"({"id":5550001001,"is_bot":false,"first_name":"Alice","last_name":"Moreau",
                                       "username":"alice_m","language_code":"en","is_premium":true})"));
  EXPECT_EQ(m["chat"], json::parse(R"({"id":5550001001,"first_name":"Alice","last_name":"Moreau",
                                       "username":"alice_m","type":"private"})"));
  EXPECT_EQ(m["date"], clock.now_seconds());
  EXPECT_FALSE(m.contains("entities"));
  EXPECT_FALSE(m["from"].contains("can_join_groups"));

  tg->send_command(kBob, "start", "ref_123");
  auto c = last_message(*tg);
  EXPECT_EQ(c["text"], "/start ref_123");
  EXPECT_EQ(c["entities"], json::parse(R"([{"offset":0,"length":6,"type":"bot_command"}])"));
  EXPECT_FALSE(c["from"].contains("is_premium"));  // false booleans are omitted
  EXPECT_FALSE(c["from"].contains("last_name"));
  EXPECT_EQ(c["message_id"], 1);  // message ids count per chat
  auto link = tg->send_text(kBob, "use https://example.com/cat.png please");
  EXPECT_EQ(last_message(*tg)["entities"][0]["type"], "url");
  EXPECT_EQ(tg->messages(kBob.id).size(), 2u);
  EXPECT_EQ(tg->message(kBob.id, link.message_id)->text, "use https://example.com/cat.png please");
}

TEST_F(FakeTelegramTest, PhotosDocumentsAndFilesFromUsers) {
  start();
  auto bytes = png(1280, 960);
  tg->send_photo(kAlice, bytes, "Make this one cyberpunk");
  auto m = last_message(*tg);
  ASSERT_EQ(m["photo"].size(), 4u);
  EXPECT_EQ(m["photo"][0]["width"], 90);
  EXPECT_EQ(m["photo"][3]["width"], 1280);
  EXPECT_EQ(m["caption"], "Make this one cyberpunk");
  auto id = m["photo"][3]["file_id"].get<std::string>();
  EXPECT_EQ(id.rfind("AgAC", 0), 0u);
  // The bot downloads it like any file.
  auto info = call("getFile", {{"file_id", id}});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(
      raw_get("/file/bot" + tg->token() + "/" + info.result()["file_path"].get<std::string>()).body,
      bytes);

  tg->send_document(kBob, "PNGDATA", "image/png", "sketch.png");
  auto d = last_message(*tg)["document"];
  EXPECT_EQ(d["file_name"], "sketch.png");
  EXPECT_EQ(d["mime_type"], "image/png");
  EXPECT_EQ(d["file_size"], 7);
  EXPECT_EQ(d["file_id"].get<std::string>().rfind("BQAC", 0), 0u);

  tg->send_voice(kAlice, "OggS", 4);
  EXPECT_EQ(last_message(*tg)["voice"]["duration"], 4);
  EXPECT_EQ(last_message(*tg)["voice"]["mime_type"], "audio/ogg");
  tg->send_audio(kBob, "ID3", "night_theme.mp3");
  EXPECT_EQ(last_message(*tg)["audio"]["file_name"], "night_theme.mp3");
  tg->send_video(kAlice, "mp4", "Animate this", 12, 1280, 720);
  auto v = last_message(*tg)["video"];
  EXPECT_EQ(v["duration"], 12);
  EXPECT_EQ(v["width"], 1280);
  EXPECT_EQ(v["thumbnail"], v["thumb"]);  // legacy duplicate
  EXPECT_EQ(last_message(*tg)["caption"], "Animate this");
  tg->send_video_note(kBob, "vn");
  EXPECT_EQ(last_message(*tg)["video_note"]["length"], 384);
  EXPECT_EQ(last_message(*tg)["video_note"]["thumbnail"], last_message(*tg)["video_note"]["thumb"]);
  tg->send_animation(kAlice, "gif", "loop.mp4");
  auto a = last_message(*tg);
  EXPECT_EQ(a["animation"]["file_id"], a["document"]["file_id"]);
  EXPECT_EQ(a["document"]["file_name"], "loop.mp4");
  tg->send_sticker(kBob, "RIFF");
  EXPECT_EQ(last_message(*tg)["sticker"]["type"], "regular");
  EXPECT_EQ(tg->messages(kAlice.id).back().kind, "animation");
}

TEST_F(FakeTelegramTest, AlbumsShareAMediaGroupId) {
  start();
  auto sent = tg->send_album(kBob, {png(1280, 853), png(1080, 1080)}, "Blend these two");
  ASSERT_EQ(sent.size(), 2u);
  auto updates = tg->updates();
  ASSERT_EQ(updates.size(), 2u);
  auto first = updates[0]["message"], second = updates[1]["message"];
  EXPECT_TRUE(first["media_group_id"].is_string());
  EXPECT_EQ(first["media_group_id"], second["media_group_id"]);
  EXPECT_EQ(first["caption"], "Blend these two");
  EXPECT_FALSE(second.contains("caption"));
  EXPECT_EQ(second["photo"].back()["width"], 1080);
  EXPECT_EQ(sent[1].update_id, sent[0].update_id + 1);
}

TEST_F(FakeTelegramTest, ForwardsCarryNewAndLegacyFields) {
  start();
  ForwardOrigin from_user;
  from_user.sender_user = User{5550001003, "Carol", "", "carol_pix", "", false};
  from_user.date = 1767100000;
  tg->forward_photo(kAlice, png(800, 800), from_user);
  auto m = last_message(*tg);
  EXPECT_EQ(m["forward_origin"]["type"], "user");
  EXPECT_EQ(m["forward_origin"]["sender_user"]["first_name"], "Carol");
  EXPECT_EQ(m["forward_from"], m["forward_origin"]["sender_user"]);
  EXPECT_EQ(m["forward_date"], 1767100000);
  EXPECT_EQ(m["photo"].size(), 3u);

  ForwardOrigin channel;
  channel.type = ForwardOrigin::Type::channel;
  channel.chat_username = "artfeed_demo";
  channel.author_signature = "Editor";
  channel.date = 1767000000;
  tg->forward_text(kBob, "Prompt of the day: a fox made of origami", channel);
  auto c = last_message(*tg);
  EXPECT_EQ(c["forward_origin"]["type"], "channel");
  EXPECT_EQ(c["forward_origin"]["chat"]["type"], "channel");
  EXPECT_EQ(c["forward_origin"]["message_id"], 77);
  EXPECT_EQ(c["forward_from_chat"]["username"], "artfeed_demo");
  EXPECT_EQ(c["forward_from_message_id"], 77);
  EXPECT_EQ(c["forward_signature"], "Editor");

  ForwardOrigin hidden;
  hidden.type = ForwardOrigin::Type::hidden_user;
  hidden.sender_user_name = "Dave H.";
  tg->forward_text(kAlice, "use a 16:9 frame please", hidden);
  auto h = last_message(*tg);
  EXPECT_EQ(h["forward_origin"]["sender_user_name"], "Dave H.");
  EXPECT_EQ(h["forward_sender_name"], "Dave H.");
  EXPECT_EQ(h["forward_date"], clock.now_seconds() - 86400);
}

TEST_F(FakeTelegramTest, EditsAndReplies) {
  start();
  auto sent = tg->send_text(kAlice, "Draw a lighthouse at dusk");
  clock.advance(std::chrono::seconds(60));
  auto edited = tg->edit_text(kAlice, sent.message_id, "Draw a lighthouse at dawn");
  ASSERT_TRUE(edited);
  auto e = tg->updates().back()["edited_message"];
  EXPECT_EQ(e["message_id"], sent.message_id);
  EXPECT_EQ(e["edit_date"], e["date"].get<std::int64_t>() + 60);
  EXPECT_EQ(e["text"], "Draw a lighthouse at dawn");
  EXPECT_FALSE(tg->edit_text(kAlice, 999, "x"));

  auto bot = call("sendMessage", {{"chat_id", kAlice.id}, {"text", "Which style?"}});
  tg->reply_text(kAlice, bot.result()["message_id"], "Watercolor");
  auto r = last_message(*tg);
  EXPECT_EQ(r["reply_to_message"]["text"], "Which style?");
  EXPECT_EQ(r["reply_to_message"]["from"]["is_bot"], true);
}

TEST_F(FakeTelegramTest, UsersGetIdsAndNames) {
  start();
  auto a = tg->make_user("Ann", "ru");
  auto b = tg->make_user("Ben");
  EXPECT_NE(a.id, b.id);
  EXPECT_GT(a.id, 0);
  EXPECT_EQ(tg->user(a.id)->language_code, "ru");
  tg->send_text(a, "привет");
  EXPECT_EQ(tg->updates().back()["message"]["from"]["language_code"], "ru");
  EXPECT_EQ(tg->chat_ids(), (std::vector<std::int64_t>{a.id}));
  // Sending to @username resolves the user's private chat.
  User named{0, "Cleo", "", "cleo_x", "en"};
  auto c = tg->add_user(named);
  auto r = call("sendMessage", {{"chat_id", "@cleo_x"}, {"text", "hi"}});
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.result()["chat"]["id"], c.id);
}

}  // namespace
}  // namespace kb::sandbox::tg::test_support
