// Fake KIE files over real HTTP: result files (Range, HEAD, expiry), the three upload routes and
// the downloads of input URLs.
#include "core/crypto.hpp"
#include "core/with_timeout.hpp"
#include "fake_kie_fixture.hpp"
#include "sandbox/media/png_encoder.hpp"
#include "sandbox/media/sample_media.hpp"

namespace kb::sandbox::test {
namespace {

net::MultipartPart file_part(std::string name, std::string filename, std::string type,
                             std::string data) {
  net::MultipartPart p;
  p.name = std::move(name);
  p.filename = std::move(filename);
  p.content_type = std::move(type);
  p.data = std::move(data);
  return p;
}

net::MultipartPart field_part(std::string name, std::string value) {
  net::MultipartPart p;
  p.name = std::move(name);
  p.data = std::move(value);
  return p;
}

std::uint32_t be32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

std::string sha_hex(std::string_view bytes) {
  return crypto::hex(crypto::sha256(bytes));
}

class FakeKieFilesTest : public FakeKieTest {
 protected:
  net::ClientRequest get(const std::string& url) {
    net::ClientRequest r;
    r.url = url;
    r.timeout = 5s;
    return r;
  }

  std::vector<std::string> result_urls(const std::string& id) {
    auto d = record(id)["data"];
    if (!d["resultJson"].is_string()) return {};
    return nlohmann::json::parse(d["resultJson"].get<std::string>())["resultUrls"]
        .get<std::vector<std::string>>();
  }
};

TEST_F(FakeKieFilesTest, ResultImagesAreServedWithRangeAndHead) {
  start();
  kie->set_lifecycle("*", lifecycle_with([](Lifecycle& l) { l.outputs = 2; }));
  auto id = create_ok(z_image("a lighthouse"));
  clock.advance(2s);
  auto urls = result_urls(id);
  ASSERT_EQ(urls.size(), 2u);

  auto full = must_send(get(urls[0]));
  EXPECT_EQ(full.status, 200);
  EXPECT_EQ(full.headers.get_or("Content-Type"), "image/png");
  EXPECT_EQ(full.headers.get_or("Accept-Ranges"), "bytes");
  EXPECT_EQ(full.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(must_send(get(urls[0])).body, full.body);  // stable
  EXPECT_NE(must_send(get(urls[1])).body, full.body);  // each output differs

  auto ranged = get(urls[0]);
  ranged.headers.set("Range", "bytes=0-15");
  auto part = must_send(ranged);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, full.body.substr(0, 16));
  EXPECT_EQ(part.headers.get_or("Content-Range"), "bytes 0-15/" + std::to_string(full.body.size()));

  ranged.headers.set("Range", "bytes=999999-");
  EXPECT_EQ(must_send(ranged).status, 416);

  auto head = get(urls[0]);
  head.method = "HEAD";
  auto h = must_send(head);
  EXPECT_EQ(h.status, 200);
  EXPECT_TRUE(h.body.empty());
  EXPECT_EQ(h.headers.get_or("Content-Length"), std::to_string(full.body.size()));

  EXPECT_EQ(must_send(get(kie->base_url() + "/files/" + id + "/2.png")).status, 404);
  EXPECT_EQ(must_send(get(kie->base_url() + "/files/" + id + "/0.mp4")).status, 404);
  EXPECT_EQ(must_send(get(kie->base_url() + "/files/nope/0.png")).status, 404);
}

TEST_F(FakeKieFilesTest, ResultImagesShowTheTaskPrompt) {
  start();
  const std::string x = "a lighthouse at dusk", y = "маяк на закате";
  auto id_x = create_ok(z_image(x));
  auto id_y = create_ok(z_image(y));
  auto wide_request = z_image(x);
  wide_request["input"]["aspect_ratio"] = "16:9";
  auto id_wide = create_ok(wide_request);
  clock.advance(2s);
  auto fetch = [&](const std::string& id) {
    auto urls = result_urls(id);
    EXPECT_EQ(urls.size(), 1u);
    return urls.empty() ? std::string() : must_send(get(urls[0])).body;
  };
  auto image_x = fetch(id_x);
  auto image_y = fetch(id_y);
  EXPECT_NE(image_x, image_y);
  // The served file is the prompt's gradient with the prompt written on it, not the bare gradient.
  auto captioned = media::sample_for("image", x, {x, "1:1"});
  auto bare = media::sample_for("image", x, {"", "1:1"});
  ASSERT_TRUE(captioned && bare);
  EXPECT_EQ(image_x, captioned->bytes);
  EXPECT_NE(image_x, bare->bytes);
  EXPECT_EQ(fetch(id_y), media::sample_for("image", y, {y, "1:1"})->bytes);
  // The shape follows the aspect_ratio input (IHDR width and height).
  auto wide = fetch(id_wide);
  ASSERT_GT(wide.size(), 24u);
  EXPECT_EQ(wide, media::sample_for("image", x, {x, "16:9"})->bytes);
  EXPECT_GT(be32(wide, 16), be32(wide, 20));
}

TEST_F(FakeKieFilesTest, VideoAndAudioResults) {
  start();
  auto video = create_ok(
      {{"model", "kling-2.6/text-to-video"},
       {"input",
        {{"prompt", "waves"}, {"sound", false}, {"aspect_ratio", "16:9"}, {"duration", "5"}}}});
  auto audio = create_ok({{"model", "elevenlabs/sound-effect-v2"}, {"input", {{"text", "rain"}}}});
  clock.advance(2s);
  auto v = result_urls(video);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0].ends_with(".mp4"));
  auto mp4 = must_send(get(v[0]));
  EXPECT_EQ(mp4.headers.get_or("Content-Type"), "video/mp4");
  EXPECT_EQ(mp4.body.substr(4, 4), "ftyp");
  auto a = result_urls(audio);
  ASSERT_EQ(a.size(), 1u);
  auto wav = must_send(get(a[0]));
  EXPECT_EQ(wav.headers.get_or("Content-Type"), "audio/wav");
  EXPECT_EQ(wav.body.substr(0, 4), "RIFF");
}

TEST_F(FakeKieFilesTest, ResultFilesExpire) {
  FakeKieOptions o;
  o.result_ttl = 60s;
  start(o);
  auto id = create_ok(z_image());
  clock.advance(2s);
  auto urls = result_urls(id);
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(must_send(get(urls[0])).status, 200);
  clock.advance(58s);  // completed at +1 s: 59 s old
  EXPECT_EQ(must_send(get(urls[0])).status, 200);
  clock.advance(1s);
  EXPECT_EQ(must_send(get(urls[0])).status, 404);
}

TEST_F(FakeKieFilesTest, FilesOfRunningTasksDoNotExistYet) {
  start();
  auto id = create_ok(z_image());
  EXPECT_EQ(must_send(get(kie->base_url() + "/files/" + id + "/0.png")).status, 404);
}

TEST_F(FakeKieFilesTest, StreamUploadThroughCurlMultipartIsServedBack) {
  start();
  const std::string bytes = media::encode_png_rgb(1, 1, "\x10\x20\x30");
  auto request = api("POST", "/api/file-stream-upload");
  request.multipart = {file_part("file", "photo.png", "image/png", bytes),
                       field_part("uploadPath", "images/user-uploads"),
                       field_part("fileName", "u1.png")};
  auto r = must_send(request);
  auto j = body_of(r);
  EXPECT_EQ(j["success"], true);
  EXPECT_EQ(j["code"], 200);
  EXPECT_EQ(j["msg"], "File uploaded successfully");
  auto d = j["data"];
  EXPECT_EQ(d["fileName"], "u1.png");
  EXPECT_EQ(d["filePath"], "images/user-uploads/u1.png");
  EXPECT_EQ(d["fileSize"], bytes.size());
  EXPECT_EQ(d["mimeType"], "image/png");
  EXPECT_EQ(d["uploadedAt"], "2026-01-01T00:00:00.000Z");  // FakeClock start
  auto url = d["downloadUrl"].get<std::string>();
  EXPECT_EQ(url, kie->base_url() + "/uploads/images/user-uploads/u1.png");

  auto served = must_send(get(url));
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.body, bytes);
  EXPECT_EQ(served.headers.get_or("Content-Type"), "image/png");
  auto uploads = kie->uploads();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].route, "stream");
  EXPECT_EQ(uploads[0].sha256_hex, sha_hex(bytes));
}

TEST_F(FakeKieFilesTest, StreamUploadErrors) {
  start();
  auto no_path = api("POST", "/api/file-stream-upload");
  no_path.multipart = {file_part("file", "a.png", "image/png", "x")};
  EXPECT_EQ(
      body_of(must_send(no_path)),
      nlohmann::json::parse(
          R"({"success":false,"code":400,"msg":"Missing required parameter: uploadPath","data":null})"));
  auto no_file = api("POST", "/api/file-stream-upload");
  no_file.multipart = {field_part("uploadPath", "images")};
  EXPECT_EQ(body_of(must_send(no_file))["msg"], "Missing required parameter: file");
  auto bad_key = api("POST", "/api/file-stream-upload", "", "wrong");
  bad_key.multipart = {file_part("file", "a.png", "image/png", "x"), field_part("uploadPath", "i")};
  EXPECT_EQ(
      body_of(must_send(bad_key)),
      nlohmann::json::parse(
          R"({"success":false,"code":401,"msg":"Authentication failed: Invalid API Key","data":null})"));
  EXPECT_TRUE(kie->uploads().empty());
}

TEST_F(FakeKieFilesTest, Base64UploadRawAndDataUrl) {
  start();
  auto raw = body_of(
      must_send(api("POST", "/api/file-base64-upload",
                    R"({"base64Data":"aGVsbG8=","uploadPath":"/docs/","fileName":"h.txt"})")));
  EXPECT_EQ(raw["success"], true);
  EXPECT_EQ(raw["data"]["filePath"], "docs/h.txt");
  EXPECT_EQ(raw["data"]["fileSize"], 5);
  EXPECT_EQ(must_send(get(raw["data"]["downloadUrl"].get<std::string>())).body, "hello");

  auto data_url = body_of(
      must_send(api("POST", "/api/file-base64-upload",
                    R"({"base64Data":"data:image/jpeg;base64,/9j/4AAQ","uploadPath":"images"})")));
  EXPECT_EQ(data_url["data"]["mimeType"], "image/jpeg");
  EXPECT_EQ(data_url["data"]["fileName"].get<std::string>().size(), 16u);  // random when absent

  auto bad = body_of(must_send(api("POST", "/api/file-base64-upload",
                                   R"({"base64Data":"%%%not base64","uploadPath":"x"})")));
  EXPECT_EQ(bad["success"], false);
  EXPECT_EQ(bad["msg"], "Base64 decoding failed: Invalid Base64 format");
}

TEST_F(FakeKieFilesTest, UrlUploadDownloadsTheFile) {
  MediaOrigin origin;
  start();
  auto source = origin.put("cat.png", "PNGDATA");
  auto j =
      body_of(must_send(api("POST", "/api/file-url-upload",
                            nlohmann::json{{"fileUrl", source}, {"uploadPath", "img"}}.dump())));
  EXPECT_EQ(j["success"], true);
  EXPECT_EQ(j["data"]["fileSize"], 7);
  EXPECT_EQ(j["data"]["mimeType"], "image/png");
  EXPECT_TRUE(j["data"]["fileName"].get<std::string>().ends_with(".png"));
  EXPECT_EQ(must_send(get(j["data"]["downloadUrl"].get<std::string>())).body, "PNGDATA");

  auto missing = body_of(must_send(
      api("POST", "/api/file-url-upload",
          nlohmann::json{{"fileUrl", origin.url("nope.png")}, {"uploadPath", "img"}}.dump())));
  EXPECT_EQ(missing["success"], false);
  auto downloads = kie->downloads();
  ASSERT_EQ(downloads.size(), 2u);
  EXPECT_TRUE(downloads[0].ok());
  EXPECT_EQ(downloads[1].http_status, 404);
  EXPECT_FALSE(downloads[1].ok());
}

TEST_F(FakeKieFilesTest, UploadsExpire) {
  FakeKieOptions o;
  o.upload_ttl = 10s;
  start(o);
  auto j = body_of(must_send(api("POST", "/api/file-base64-upload",
                                 R"({"base64Data":"aGk=","uploadPath":"a","fileName":"b"})")));
  auto url = j["data"]["downloadUrl"].get<std::string>();
  EXPECT_EQ(must_send(get(url)).status, 200);
  clock.advance(10s);
  EXPECT_EQ(must_send(get(url)).status, 404);
}

TEST_F(FakeKieFilesTest, InputUrlsAreDownloadedAndRecorded) {
  MediaOrigin origin;
  start();
  const std::string photo = "the user's photo bytes";
  auto a = origin.put("a.png", photo);
  auto b = origin.put("b.png", "second");
  auto id = create_ok({{"model", "google/nano-banana-edit"},
                       {"input", {{"prompt", "make it pop"}, {"image_urls", {a, b}}}}});
  ASSERT_TRUE(wait_until([&] { return kie->downloads().size() == 2; }));
  auto downloads = kie->downloads();
  EXPECT_EQ(downloads[0].task_id, id);
  EXPECT_EQ(downloads[0].input_name, "image_urls");
  EXPECT_EQ(downloads[0].url, a);
  EXPECT_EQ(downloads[0].http_status, 200);
  EXPECT_EQ(downloads[0].size, photo.size());
  EXPECT_EQ(downloads[0].sha256_hex, sha_hex(photo));
  EXPECT_EQ(downloads[1].sha256_hex, sha_hex("second"));
  clock.advance(2s);
  EXPECT_EQ(record(id)["data"]["state"], "success");
}

TEST_F(FakeKieFilesTest, UnreachableInputFailsTheTaskWith451) {
  MediaOrigin origin;
  start();
  auto id = create_ok({{"model", "google/nano-banana-edit"},
                       {"input", {{"prompt", "x"}, {"image_urls", {origin.url("gone.png")}}}}});
  ASSERT_TRUE(wait_until([&] { return kie->task(id)->state == "fail"; }));
  auto d = record(id)["data"];
  EXPECT_EQ(d["failCode"], "451");
  EXPECT_NE(d["failMsg"].get<std::string>().find("HTTP 404"), std::string::npos);
  auto downloads = kie->downloads();
  ASSERT_EQ(downloads.size(), 1u);
  EXPECT_EQ(downloads[0].http_status, 404);
}

TEST_F(FakeKieFilesTest, NonStrictModeOnlyRecordsFailedDownloads) {
  MediaOrigin origin;
  FakeKieOptions o;
  o.strict_input_downloads = false;
  start(o);
  auto id = create_ok({{"model", "google/nano-banana-edit"},
                       {"input", {{"prompt", "x"}, {"image_urls", {"not-a-url"}}}}});
  ASSERT_TRUE(wait_until([&] { return kie->downloads().size() == 1; }));
  EXPECT_FALSE(kie->downloads()[0].ok());
  clock.advance(2s);
  EXPECT_EQ(record(id)["data"]["state"], "success");
}

TEST_F(FakeKieFilesTest, TaskWaitsForSlowDownloads) {
  net::Router router;
  router.add("GET", "/slow.png", [](net::Request&) -> Task<net::Response> {
    co_await sleep_for(300ms);
    co_return net::Response::text(200, "late bytes");
  });
  kb::test::TestServer slow(router);
  start();
  auto id = create_ok({{"model", "google/nano-banana-edit"},
                       {"input", {{"prompt", "x"}, {"image_urls", {slow.url("/slow.png")}}}}});
  clock.advance(5s);  // past finish_after_ms, but the input is still downloading
  EXPECT_EQ(record(id)["data"]["state"], "generating");
  ASSERT_TRUE(wait_until([&] { return kie->downloads().size() == 1; }));
  EXPECT_EQ(record(id)["data"]["state"], "success");
}

}  // namespace
}  // namespace kb::sandbox::test
