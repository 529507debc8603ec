// End to end: a user's photo on the fake Bot API, stored by the wizard's media step, resolved when
// the job is submitted, and fetched by the fake KIE — through the signed proxy (proxy mode) or
// through the provider's upload API (kie_upload mode) — arriving byte for byte. Also a provider
// result file offered through a signed result link.
#include <thread>

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "kie/create_budget.hpp"
#include "kie/kie_client.hpp"
#include "kie/sleeper.hpp"
#include "media_fixture.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "services/media/kie_upload_resolver.hpp"
#include "services/media/proxy_resolver.hpp"
#include "services/media/result_links.hpp"

namespace kb::services::media_test {
namespace {

using namespace std::chrono_literals;

class MediaEndToEndTest : public MediaFixture {
 protected:
  void SetUp() override {
    MediaFixture::SetUp();
    sandbox::FakeKieOptions options;
    options.clock = &clock;
    options.accept_any_model = true;
    options.tick_interval = 20ms;
    kie = std::make_unique<sandbox::FakeKie>(io.io(), http, options);
    auto port = kie->start();
    ASSERT_TRUE(port) << port.error().describe();
    kie::KieClientOptions client_options;
    client_options.api_key = "test-kie-key";
    client_options.base_url = kie->base_url();
    client_options.upload_base_url = kie->base_url();
    client_options.request_timeout = 10s;
    client = std::make_unique<kie::KieClient>(http, client_options, budget, sleeper, clock);
  }
  void TearDown() override {
    client.reset();
    if (kie) io.run<void>([this]() { return kie->stop(); });
    kie.reset();
    MediaFixture::TearDown();
  }

  Result<std::vector<std::string>> resolve(MediaResolver& resolver,
                                           std::vector<std::string> references) {
    return io.run<Result<std::vector<std::string>>>(
        [&resolver, references]() { return resolver.resolve(references); });
  }

  kie::CreateResult create_with_image(const std::string& url) {
    return io.run<kie::CreateResult>([this, url]() {
      return client->create_task(kie::CreateTaskRequest{
          "google/nano-banana-edit", {{"prompt", "make it blue"}, {"image_urls", {url}}}, ""});
    });
  }

  // Waits (real time) until the fake KIE finished downloading the inputs of `task_id`.
  std::vector<sandbox::DownloadView> downloads_of(const std::string& task_id) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
      std::vector<sandbox::DownloadView> out;
      for (auto& d : kie->downloads())
        if (d.task_id == task_id) out.push_back(d);
      if (!out.empty() || std::chrono::steady_clock::now() > deadline) return out;
      std::this_thread::sleep_for(10ms);
    }
  }

  ProxyResolverOptions proxy_options() { return {server->url(""), 7200s}; }

  kie::UnlimitedCreateBudget budget;
  kie::AsioSleeper sleeper;
  std::unique_ptr<sandbox::FakeKie> kie;
  std::unique_ptr<kie::KieClient> client;
};

TEST_F(MediaEndToEndTest, ProxyModeTheProviderDownloadsExactlyTheUsersPhoto) {
  auto photo = user_sends_photo(320, 240);
  ASSERT_GT(photo.ref_id, 0);
  ProxyMediaResolver resolver(*db, *signer, clock, proxy_options());

  auto urls = resolve(resolver, {photo.reference, "https://example.com/their-own.png"});
  ASSERT_TRUE(urls) << urls.error().describe();
  ASSERT_EQ(urls->size(), 2u);
  EXPECT_TRUE((*urls)[0].starts_with(server->url("/media/"))) << (*urls)[0];
  EXPECT_TRUE((*urls)[0].ends_with(".jpg"));
  EXPECT_EQ((*urls)[1], "https://example.com/their-own.png");  // links pass through
  const auto token_suffix = tg->token().substr(tg->token().find(':') + 1);
  EXPECT_EQ((*urls)[0].find(token_suffix), std::string::npos);
  EXPECT_EQ((*urls)[0].find(kMediaSecret), std::string::npos);

  auto created = create_with_image((*urls)[0]);
  ASSERT_EQ(created.outcome, kie::CreateOutcome::created);
  auto downloads = downloads_of(created.task_id);
  ASSERT_EQ(downloads.size(), 1u);
  EXPECT_TRUE(downloads[0].ok()) << downloads[0].error;
  EXPECT_EQ(downloads[0].http_status, 200);
  EXPECT_EQ(downloads[0].size, photo.bytes.size());
  EXPECT_EQ(downloads[0].sha256_hex, crypto::hex(crypto::sha256(photo.bytes)));
}

TEST_F(MediaEndToEndTest, ProxyModeUrlsExpireAfterTheConfiguredLifetime) {
  auto photo = user_sends_photo(64, 64);
  ProxyMediaResolver resolver(*db, *signer, clock, ProxyResolverOptions{server->url(""), 600s});
  auto urls = resolve(resolver, {photo.reference});
  ASSERT_TRUE(urls);
  EXPECT_EQ(must_fetch((*urls)[0]).status, 200);
  clock.advance(601s);
  EXPECT_EQ(must_fetch((*urls)[0]).status, 410);
}

TEST_F(MediaEndToEndTest, ProxyResolverRefusals) {
  ProxyMediaResolver resolver(*db, *signer, clock, proxy_options());
  auto missing = resolve(resolver, {media_ref(99999)});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  auto garbage = resolve(resolver, {"javascript:alert(1)"});
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, Errc::invalid_input);

  auto photo = user_sends_photo(32, 32);
  ProxyMediaResolver no_base(*db, *signer, clock, ProxyResolverOptions{"", 7200s});
  auto unreachable = resolve(no_base, {photo.reference});
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code, Errc::invalid_input);
  EXPECT_NE(unreachable.error().message.find("kie_upload"), std::string::npos);
  auto links_only = resolve(no_base, {"https://example.com/a.png"});
  ASSERT_TRUE(links_only);
  EXPECT_EQ(links_only->front(), "https://example.com/a.png");
}

TEST_F(MediaEndToEndTest, KieUploadModeStreamsTheFileIntoTheUploadApi) {
  auto video = user_sends_video(pattern_bytes(700'000, 5));
  auto photo = user_sends_photo(200, 100);
  KieUploadMediaResolver resolver(*db, *bot, *client);

  auto urls = resolve(resolver, {photo.reference, video.reference, "https://example.com/x.png"});
  ASSERT_TRUE(urls) << urls.error().describe();
  ASSERT_EQ(urls->size(), 3u);
  EXPECT_EQ((*urls)[2], "https://example.com/x.png");

  auto uploads = kie->uploads();
  ASSERT_EQ(uploads.size(), 2u);
  EXPECT_EQ(uploads[0].route, "stream");
  EXPECT_EQ(uploads[0].download_url, (*urls)[0]);
  EXPECT_EQ(uploads[0].sha256_hex, crypto::hex(crypto::sha256(photo.bytes)));
  EXPECT_EQ(uploads[0].mime_type, "image/jpeg");
  EXPECT_TRUE(uploads[0].file_path.starts_with("kiebot/user-media/")) << uploads[0].file_path;
  EXPECT_TRUE(uploads[0].file_path.ends_with(".jpg")) << uploads[0].file_path;
  EXPECT_EQ(uploads[1].download_url, (*urls)[1]);
  EXPECT_EQ(uploads[1].size, video.bytes.size());
  EXPECT_EQ(uploads[1].sha256_hex, crypto::hex(crypto::sha256(video.bytes)));
  EXPECT_EQ(uploads[1].mime_type, "video/mp4");

  // The model input is the provider's own URL, and it serves the user's bytes.
  auto created = create_with_image((*urls)[0]);
  ASSERT_EQ(created.outcome, kie::CreateOutcome::created);
  auto downloads = downloads_of(created.task_id);
  ASSERT_EQ(downloads.size(), 1u);
  EXPECT_TRUE(downloads[0].ok()) << downloads[0].error;
  EXPECT_EQ(downloads[0].sha256_hex, crypto::hex(crypto::sha256(photo.bytes)));
}

TEST_F(MediaEndToEndTest, KieUploadModeFailures) {
  KieUploadMediaResolver resolver(*db, *bot, *client);
  auto missing = resolve(resolver, {media_ref(4242)});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);

  auto photo = user_sends_photo(40, 40);
  // The provider's upload fails twice with a server error: both attempts are used, then the
  // job runner is told to try later.
  kie->fail_next("upload", sandbox::Fault{500, 500, "Server error", 0, false, false, false}, 2);
  auto failed = resolve(resolver, {photo.reference});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::unavailable);
  EXPECT_EQ(kie->calls("upload"), 2u);
  // Once the fault is gone, the next try works.
  auto ok = resolve(resolver, {photo.reference});
  ASSERT_TRUE(ok) << ok.error().describe();

  // Telegram forgot the file: not_found, no upload attempted.
  sandbox::tg::InjectedError wrong_id;
  wrong_id.error_code = 400;
  wrong_id.description = "Bad Request: wrong file identifier/HTTP URL specified";
  tg->inject_error("getFile", wrong_id);
  auto gone = resolve(resolver, {photo.reference});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::not_found);
  EXPECT_EQ(kie->calls("upload"), 3u);
}

TEST_F(MediaEndToEndTest, AProviderResultIsServedThroughASignedResultLink) {
  sandbox::Lifecycle lifecycle;
  lifecycle.states = {{"waiting", 0}};
  lifecycle.finish_after_ms = 0;
  lifecycle.output_kind = "video";
  kie->set_lifecycle("*", lifecycle);
  auto created = io.run<kie::CreateResult>([this]() {
    return client->create_task(kie::CreateTaskRequest{"kling/v2-1-pro", {{"prompt", "waves"}}, ""});
  });
  ASSERT_EQ(created.outcome, kie::CreateOutcome::created);
  clock.advance(1s);
  kie->tick();
  auto task = kie->task(created.task_id);
  ASSERT_TRUE(task);
  ASSERT_EQ(task->state, "success");
  ASSERT_FALSE(task->result_urls.empty());
  const auto provider_url = task->result_urls.front();

  SignedResultLinks links(*signer, clock, ResultLinkOptions{server->url(""), 24h});
  auto link = links.link_for(provider_url, "result-1-1.mp4");
  auto direct = must_fetch(provider_url);
  ASSERT_EQ(direct.status, 200);
  auto proxied = must_fetch(link);
  EXPECT_EQ(proxied.status, 200);
  EXPECT_TRUE(proxied.body == direct.body);
  EXPECT_EQ(proxied.headers.get_or("Content-Type"), direct.headers.get_or("Content-Type"));
  auto tail = fetch_range(link, "bytes=-100");
  EXPECT_EQ(tail.status, 206);
  EXPECT_TRUE(tail.body == direct.body.substr(direct.body.size() - 100));
}

}  // namespace
}  // namespace kb::services::media_test
