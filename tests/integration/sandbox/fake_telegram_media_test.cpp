// Media over the fake Bot API: multipart uploads, URLs the fake downloads (with the by-URL limits),
// file_id resends, albums with attach://, getFile and file downloads.
#include "fake_telegram_fixture.hpp"

namespace kb::sandbox::tg::test_support {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::int64_t kChat = 5550001001;

net::MultipartPart field(std::string name, std::string value) {
  net::MultipartPart p;
  p.name = std::move(name);
  p.data = std::move(value);
  return p;
}

net::MultipartPart file(std::string name, std::string filename, std::string type,
                        std::string data) {
  net::MultipartPart p;
  p.name = std::move(name);
  p.filename = std::move(filename);
  p.content_type = std::move(type);
  p.data = std::move(data);
  return p;
}

TEST_F(FakeTelegramTest, UploadedPhotoGetsSizesAndCanBeDownloaded) {
  start(unlimited());
  auto bytes = png(1280, 960);
  auto r = call_multipart(
      "sendPhoto", {field("chat_id", std::to_string(kChat)), field("caption", "<i>art</i>"),
                    field("parse_mode", "HTML"), file("photo", "art.png", "image/png", bytes)});
  ASSERT_TRUE(r.ok()) << r.body;
  auto photo = r.result()["photo"];
  ASSERT_EQ(photo.size(), 4u);
  EXPECT_EQ(photo[0]["width"], 90);
  EXPECT_EQ(photo[3]["width"], 1280);
  EXPECT_EQ(photo[3]["height"], 960);
  EXPECT_EQ(photo[3]["file_size"], bytes.size());
  EXPECT_EQ(r.result()["caption"], "art");
  EXPECT_EQ(r.result()["caption_entities"][0]["type"], "italic");
  auto calls = tg->calls("sendPhoto");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].encoding, "multipart");
  ASSERT_EQ(calls[0].files.size(), 1u);
  EXPECT_EQ(calls[0].files[0].filename, "art.png");
  EXPECT_EQ(calls[0].files[0].size, bytes.size());

  auto largest = photo[3]["file_id"].get<std::string>();
  auto view = tg->last_bot_message(kChat);
  EXPECT_EQ(view->kind, "photo");
  EXPECT_EQ(view->file_id, largest);
  EXPECT_EQ(tg->file_content(largest), bytes);

  auto info = call("getFile", {{"file_id", largest}});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.result()["file_id"], largest);
  EXPECT_EQ(info.result()["file_unique_id"], photo[3]["file_unique_id"]);
  auto path = info.result()["file_path"].get<std::string>();
  EXPECT_EQ(path.rfind("photos/", 0), 0u);
  auto download = raw_get("/file/bot" + tg->token() + "/" + path);
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body, bytes);
  EXPECT_EQ(raw_get("/file/bot" + tg->token() + "/photos/nope.jpg").status, 404);
  EXPECT_EQ(raw_get("/file/bot7000000001:AAWrongTokenWrongTokenWrongTokenWrong12/" + path).status,
            404);

  // Resending by file_id reuses the same files (type must match).
  auto again = call("sendPhoto", {{"chat_id", kChat}, {"photo", largest}});
  ASSERT_TRUE(again.ok()) << again.body;
  EXPECT_EQ(again.result()["photo"], photo);
  auto as_doc = call("sendDocument", {{"chat_id", kChat}, {"document", largest}});
  EXPECT_EQ(as_doc.description(), "Bad Request: type of file mismatch");
  EXPECT_EQ(call("sendPhoto", {{"chat_id", kChat}, {"photo", "AgACAgIAAxkBAAIUnknownFileId"}})
                .description(),
            "Bad Request: wrong file identifier/HTTP URL specified");
  EXPECT_EQ(call("getFile", {{"file_id", "nope"}}).description(),
            "Bad Request: wrong file identifier/HTTP URL specified");
}

TEST_F(FakeTelegramTest, UploadLimits) {
  start(unlimited());
  auto big_photo = call_multipart(
      "sendPhoto", {field("chat_id", std::to_string(kChat)),
                    file("photo", "big.png", "image/png", std::string((10 << 20) + 1, 'x'))});
  EXPECT_EQ(big_photo.description(), "Bad Request: file is too big");
  auto empty = call_multipart("sendDocument", {field("chat_id", std::to_string(kChat)),
                                               file("document", "e.txt", "text/plain", "")});
  EXPECT_EQ(empty.description(), "Bad Request: file must be non-empty");
  // Documents up to 50 MB upload fine, but getFile refuses files over 20 MB.
  auto doc = call_multipart("sendDocument", {field("chat_id", std::to_string(kChat)),
                                             file("document", "big.bin", "application/octet-stream",
                                                  std::string((20 << 20) + 1, 'd'))});
  ASSERT_TRUE(doc.ok()) << doc.body;
  EXPECT_EQ(doc.result()["document"]["file_name"], "big.bin");
  auto too_big = call("getFile", {{"file_id", doc.result()["document"]["file_id"]}});
  EXPECT_EQ(too_big.status, 400);
  EXPECT_EQ(too_big.description(), "Bad Request: file is too big");
}

TEST_F(FakeTelegramTest, MediaByUrlFollowsTheCloudLimits) {
  FileServer files;
  files.put("ok.png", png(320, 240), "image/png");
  files.put("big.png", std::string((5 << 20) + 10, 'p'), "image/png");
  files.put("page.html", "<html></html>", "text/html");
  files.put("clip.mp4", std::string(1000, 'v'), "video/mp4");
  files.put("sheet.pdf", "%PDF-1.4", "application/pdf");
  files.put("big.mp4", std::string((20 << 20) + 10, 'v'), "video/mp4");
  start(unlimited());
  auto ok = call("sendPhoto", {{"chat_id", kChat}, {"photo", files.url("ok.png")}});
  ASSERT_TRUE(ok.ok()) << ok.body;
  EXPECT_EQ(ok.result()["photo"].back()["width"], 320);
  EXPECT_EQ(call("sendPhoto", {{"chat_id", kChat}, {"photo", files.url("big.png")}}).description(),
            "Bad Request: failed to get HTTP URL content");
  EXPECT_EQ(
      call("sendPhoto", {{"chat_id", kChat}, {"photo", files.url("page.html")}}).description(),
      "Bad Request: wrong type of the web page content");
  EXPECT_EQ(
      call("sendPhoto", {{"chat_id", kChat}, {"photo", files.url("missing.png")}}).description(),
      "Bad Request: failed to get HTTP URL content");
  auto video =
      call("sendVideo", {{"chat_id", kChat}, {"video", files.url("clip.mp4")}, {"duration", 4}});
  ASSERT_TRUE(video.ok()) << video.body;
  EXPECT_EQ(video.result()["video"]["duration"], 4);
  EXPECT_EQ(video.result()["video"]["mime_type"], "video/mp4");
  EXPECT_EQ(video.result()["video"]["thumbnail"], video.result()["video"]["thumb"]);
  EXPECT_EQ(call("sendVideo", {{"chat_id", kChat}, {"video", files.url("big.mp4")}}).description(),
            "Bad Request: failed to get HTTP URL content");
  EXPECT_TRUE(
      call("sendDocument", {{"chat_id", kChat}, {"document", files.url("sheet.pdf")}}).ok());
  EXPECT_EQ(
      call("sendDocument", {{"chat_id", kChat}, {"document", files.url("clip.mp4")}}).description(),
      "Bad Request: wrong type of the web page content");
  // The same big image uploaded instead of by URL is accepted (5 MB < 10 MB upload limit).
  auto upload = call_multipart(
      "sendDocument", {field("chat_id", std::to_string(kChat)),
                       file("document", "big.png", "image/png", std::string((5 << 20) + 10, 'p'))});
  EXPECT_TRUE(upload.ok()) << upload.body;
  EXPECT_EQ(tg->bot_messages(kChat).size(), 4u);
}

TEST_F(FakeTelegramTest, OtherMediaShapes) {
  start(unlimited());
  auto chat = std::to_string(kChat);
  auto anim = call_multipart("sendAnimation", {field("chat_id", chat),
                                               file("animation", "loop.mp4", "video/mp4", "anim")});
  ASSERT_TRUE(anim.ok()) << anim.body;
  EXPECT_EQ(anim.result()["animation"]["file_id"], anim.result()["document"]["file_id"]);
  EXPECT_FALSE(anim.result()["document"].contains("duration"));
  auto voice = call_multipart("sendVoice", {field("chat_id", chat), field("duration", "3"),
                                            file("voice", "v.ogg", "audio/ogg", "OggS")});
  ASSERT_TRUE(voice.ok());
  EXPECT_EQ(voice.result()["voice"]["mime_type"], "audio/ogg");
  EXPECT_EQ(voice.result()["voice"]["duration"], 3);
  auto audio =
      call_multipart("sendAudio", {field("chat_id", chat), field("title", "Night"),
                                   field("performer", "Demo"), file("audio", "n.mp3", "", "ID3")});
  ASSERT_TRUE(audio.ok());
  EXPECT_EQ(audio.result()["audio"]["mime_type"], "audio/mpeg");  // guessed from the name
  EXPECT_EQ(audio.result()["audio"]["title"], "Night");
  auto note = call_multipart(
      "sendVideoNote", {field("chat_id", chat), file("video_note", "n.mp4", "video/mp4", "vn")});
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note.result()["video_note"]["length"], 240);
  EXPECT_EQ(call("sendVideoNote", {{"chat_id", kChat}, {"video_note", "https://example.com/n.mp4"}})
                .description(),
            "Bad Request: wrong file identifier/HTTP URL specified");
  auto long_caption = call_multipart(
      "sendDocument", {field("chat_id", chat), field("caption", std::string(1025, 'c')),
                       file("document", "a.txt", "text/plain", "a")});
  EXPECT_EQ(long_caption.description(), "Bad Request: message caption is too long");
}

TEST_F(FakeTelegramTest, MediaGroupWithAttachments) {
  start(unlimited());
  json media =
      json::array({{{"type", "photo"}, {"media", "attach://one"}, {"caption", "Blend these"}},
                   {{"type", "photo"}, {"media", "attach://two"}}});
  auto r = call_multipart("sendMediaGroup",
                          {field("chat_id", std::to_string(kChat)), field("media", media.dump()),
                           file("one", "1.png", "image/png", png(200, 100)),
                           file("two", "2.png", "image/png", png(100, 200))});
  ASSERT_TRUE(r.ok()) << r.body;
  ASSERT_EQ(r.result().size(), 2u);
  EXPECT_EQ(r.result()[0]["media_group_id"], r.result()[1]["media_group_id"]);
  EXPECT_TRUE(r.result()[0]["media_group_id"].is_string());
  EXPECT_EQ(r.result()[0]["caption"], "Blend these");
  EXPECT_FALSE(r.result()[1].contains("caption"));
  EXPECT_EQ(r.result()[1]["message_id"].get<int>(), r.result()[0]["message_id"].get<int>() + 1);
  EXPECT_EQ(r.result()[1]["photo"].back()["height"], 200);

  auto expect_error = [&](json m, const std::string& description) {
    auto e = call_multipart("sendMediaGroup",
                            {field("chat_id", std::to_string(kChat)), field("media", m.dump()),
                             file("one", "1.png", "image/png", png(10, 10))});
    EXPECT_EQ(e.description(), description) << m;
  };
  expect_error(json::array(), "Bad Request: there are no messages to send");
  json eleven = json::array();
  for (int i = 0; i < 11; ++i) eleven.push_back({{"type", "photo"}, {"media", "attach://one"}});
  expect_error(eleven, "Bad Request: too many messages to send as an album");
  expect_error(json::array({{{"type", "photo"}, {"media", "attach://one"}},
                            {{"type", "document"}, {"media", "attach://one"}}}),
               "Bad Request: document can't be mixed with other media types");
  expect_error(json::array({{{"type", "photo"}, {"media", "attach://one"}},
                            {{"type", "photo"}, {"media", "attach://missing"}}}),
               "Bad Request: can't parse InputMedia: media not found");
  expect_error(json::array({{{"type", "photo"}, {"media", "attach://one"}},
                            {{"type", "photo"}, {"media", "BAD_FILE_ID"}}}),
               "Bad Request: failed to send message #2 with the error message \"Wrong file "
               "identifier/HTTP URL specified\"");
  EXPECT_EQ(tg->bot_messages(kChat).size(), 2u);  // refused albums send nothing

  auto single = call_multipart("sendMediaGroup",
                               {field("chat_id", std::to_string(kChat)),
                                field("media", R"([{"type":"photo","media":"attach://one"}])"),
                                file("one", "1.png", "image/png", png(10, 10))});
  ASSERT_TRUE(single.ok());
  EXPECT_FALSE(single.result()[0].contains("media_group_id"));
}

}  // namespace
}  // namespace kb::sandbox::tg::test_support
