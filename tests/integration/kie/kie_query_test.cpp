// recordInfo, credits, download-url and uploads against the fake KIE server.
#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "kie_fixture.hpp"
#include "net/router.hpp"

namespace kb::kie::test {
namespace {

using namespace std::chrono_literals;
using sandbox::Fault;
using sandbox::Lifecycle;

class KieQueryTest : public KieFakeTest {
 protected:
  std::string created_task() {
    auto r = create();
    EXPECT_EQ(r.outcome, CreateOutcome::created) << r.failure.detail;
    return r.task_id;
  }
  net::ClientResponse fetch(const std::string& url) {
    auto r = run<Result<net::ClientResponse>>([&]() {
      net::ClientRequest req;
      req.url = url;
      return http.send(req);
    });
    EXPECT_TRUE(r) << r.error().describe();
    return r.value_or(net::ClientResponse{});
  }
};

TEST_F(KieQueryTest, FollowsTheLifecycleToSuccessWithResultFiles) {
  start();
  Lifecycle life;
  life.outputs = 2;
  fake->set_lifecycle("*", life);
  auto id = created_task();
  auto waiting = record(id);
  ASSERT_TRUE(waiting.ok()) << waiting.failure.detail;
  EXPECT_EQ(waiting.value->state, TaskState::waiting);
  clock.advance(250ms);
  EXPECT_EQ(record(id).value->state, TaskState::queuing);
  clock.advance(250ms);
  EXPECT_EQ(record(id).value->state, TaskState::generating);
  clock.advance(600ms);
  auto done = record(id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done.value->task_id, id);
  EXPECT_EQ(done.value->state, TaskState::success);
  EXPECT_EQ(done.value->model, "google/nano-banana");
  ASSERT_EQ(done.value->result_urls.size(), 2u);
  EXPECT_EQ(done.value->result_urls, fake->task(id)->result_urls);
  EXPECT_EQ(done.value->fail_code, "");
  ASSERT_TRUE(done.value->credits_consumed);
  EXPECT_EQ(fetch(done.value->result_urls[0]).status, 200);
  EXPECT_EQ(fake->task(id)->record_info_calls, 4);
}

TEST_F(KieQueryTest, FailedTask) {
  start();
  Lifecycle life;
  life.fail = true;
  life.fail_code = "500";
  life.fail_msg = "Internal server error";
  fake->set_lifecycle("*", life);
  auto id = created_task();
  clock.advance(2s);
  auto r = record(id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->state, TaskState::fail);
  EXPECT_EQ(r.value->fail_code, "500");
  EXPECT_EQ(r.value->fail_message, "Internal server error");
  EXPECT_EQ(r.value->fail_reason, FailureReason::generation_failed);
  EXPECT_TRUE(r.value->result_urls.empty());
}

TEST_F(KieQueryTest, ResultJsonAsObjectAndMessageKeyVariants) {
  start();
  Lifecycle life;
  life.result_json_as_object = true;
  life.use_message_key = true;
  fake->set_lifecycle("*", life);
  auto id = created_task();
  clock.advance(2s);
  auto r = record(id);
  ASSERT_TRUE(r.ok()) << r.failure.detail;
  EXPECT_EQ(r.value->state, TaskState::success);
  EXPECT_EQ(r.value->result_urls.size(), 1u);
}

TEST_F(KieQueryTest, InvisibleRightAfterCreateIsRetriedWithinTheGraceWindow) {
  start();
  Lifecycle life;
  life.invisible_for_ms = 2500;
  fake->set_lifecycle("*", life);
  auto created_at = clock.now();
  auto id = created_task();
  auto r = record(id, created_at);
  ASSERT_TRUE(r.ok()) << failure_reason_name(r.failure.reason);
  EXPECT_GT(r.attempts, 1);
  EXPECT_EQ(fake->task(id)->record_info_calls, r.attempts);
  // The sleeper moved the clock past the invisible period.
  EXPECT_GE(clock.now() - created_at, 2500ms);
}

TEST_F(KieQueryTest, NotFoundWithoutCreationTimeOrAfterGraceIsFinal) {
  start();
  auto missing = record("0123456789abcdef0123456789abcdef");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.failure.reason, FailureReason::task_not_found);
  EXPECT_EQ(missing.attempts, 1);
  auto old = record("0123456789abcdef0123456789abcdef", clock.now() - 60s);
  EXPECT_EQ(old.attempts, 1);
  // Within the grace window it is retried until the window closes, then reported.
  auto fresh = record("0123456789abcdef0123456789abcdef", clock.now());
  EXPECT_EQ(fresh.failure.reason, FailureReason::task_not_found);
  EXPECT_GT(fresh.attempts, 2);
  EXPECT_EQ(fake->calls("recordInfo"), static_cast<std::size_t>(2 + fresh.attempts));
}

TEST_F(KieQueryTest, TransientRecordInfoFaultsAreRetried) {
  start();
  auto id = created_task();
  Fault rate;
  rate.code = 429;
  Fault server;
  server.http_status = 500;
  Fault garbage;
  garbage.malformed_json = true;
  Fault cut;
  cut.close_without_response = true;
  fake->fail_next("recordInfo", rate);
  fake->fail_next("recordInfo", server);
  fake->fail_next("recordInfo", garbage);
  auto r = record(id);
  ASSERT_TRUE(r.ok()) << r.failure.detail;
  EXPECT_EQ(r.attempts, 4);
  fake->fail_next("recordInfo", cut);
  auto after_cut = record(id);
  ASSERT_TRUE(after_cut.ok()) << after_cut.failure.detail;
  EXPECT_EQ(after_cut.attempts, 2);
}

TEST_F(KieQueryTest, PersistentFaultsGiveUpAfterMaxAttempts) {
  start();
  auto id = created_task();
  Fault server;
  server.code = 500;
  fake->fail_next("recordInfo", server, 10);
  auto r = record(id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure.reason, FailureReason::provider_unavailable);
  EXPECT_EQ(r.failure.retry, Retry::later);
  EXPECT_EQ(r.attempts, client->options().query_backoff.max_attempts);
}

TEST_F(KieQueryTest, AuthFailureIsNotRetried) {
  auto co = client_options();
  co.api_key = "another-wrong-key";
  start(fake_options(), co);
  auto r = record("0123456789abcdef0123456789abcdef");
  EXPECT_EQ(r.failure.reason, FailureReason::provider_auth_failed);
  EXPECT_EQ(r.attempts, 1);
}

TEST_F(KieQueryTest, Credits) {
  start();
  fake->set_credits(123.5);
  auto r = run<KieResult<double>>([&]() { return client->credits(); });
  ASSERT_TRUE(r.ok()) << r.failure.detail;
  EXPECT_DOUBLE_EQ(*r.value, 123.5);
  Fault server;
  server.http_status = 503;
  fake->fail_next("credit", server);
  fake->set_credits(42);
  auto retried = run<KieResult<double>>([&]() { return client->credits(); });
  ASSERT_TRUE(retried.ok());
  EXPECT_DOUBLE_EQ(*retried.value, 42);
  EXPECT_EQ(retried.attempts, 2);
}

TEST_F(KieQueryTest, DownloadUrlForResultsAndRefusalForOtherHosts) {
  start();
  auto id = created_task();
  clock.advance(2s);
  auto rec = record(id);
  ASSERT_TRUE(rec.ok() && !rec.value->result_urls.empty());
  auto link = run<KieResult<std::string>>(
      [&]() { return client->download_url(rec.value->result_urls[0]); });
  ASSERT_TRUE(link.ok()) << link.failure.detail;
  EXPECT_EQ(fetch(*link.value).status, 200);
  auto other =
      run<KieResult<std::string>>([&]() { return client->download_url("https://elsewhere/x"); });
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.failure.reason, FailureReason::invalid_request);
  EXPECT_EQ(other.attempts, 1);
}

TEST_F(KieQueryTest, UploadsBytesAsMultipartAndServesThemBack) {
  start();
  std::string bytes(300'000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 % 256);
  FileUpload up;
  up.upload_path = "kiebot/inputs";
  up.file_name = "photo.jpg";
  up.content_type = "image/jpeg";
  up.bytes = bytes;
  auto r = run<KieResult<UploadedFile>>([&]() { return client->upload_file(std::move(up)); });
  ASSERT_TRUE(r.ok()) << r.failure.detail;
  EXPECT_EQ(r.value->file_path, "kiebot/inputs/photo.jpg");
  EXPECT_EQ(r.value->size, bytes.size());
  auto uploads = fake->uploads();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].route, "stream");
  EXPECT_EQ(uploads[0].sha256_hex, crypto::hex(crypto::sha256(bytes)));
  EXPECT_EQ(fetch(r.value->download_url).body, bytes);
}

TEST_F(KieQueryTest, UploadIsRetriedOnTransientFailureWhenTheSourceCanBeReread) {
  start();
  Fault server;
  server.http_status = 500;
  fake->fail_next("upload", server);
  FileUpload up;
  up.upload_path = "kiebot/inputs";
  up.bytes = "hello";
  auto r = run<KieResult<UploadedFile>>([&]() { return client->upload_file(std::move(up)); });
  ASSERT_TRUE(r.ok()) << r.failure.detail;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(fake->uploads().size(), 1u);
}

TEST_F(KieQueryTest, InvalidUploadsNeverReachTheProvider) {
  start();
  FileUpload no_source;
  no_source.upload_path = "kiebot/inputs";
  FileUpload bad_path;
  bad_path.upload_path = "/abs/";
  bad_path.bytes = "x";
  for (auto* up : {&no_source, &bad_path}) {
    auto r = run<KieResult<UploadedFile>>([&]() { return client->upload_file(std::move(*up)); });
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.failure.reason, FailureReason::invalid_request);
  }
  EXPECT_EQ(fake->calls("upload"), 0u);
}

// A source server for streamed and URL uploads: a deterministic pattern of the requested size.
class SourceServer {
 public:
  explicit SourceServer(std::size_t size) {
    bytes_.resize(size);
    for (std::size_t i = 0; i < size; ++i) bytes_[i] = static_cast<char>((i * 31 + 7) % 251);
    router_.add("GET", "/source.bin", [this](net::Request&) -> Task<net::Response> {
      auto r = net::Response::text(200, bytes_);
      r.headers.set("Content-Type", "application/octet-stream");
      co_return r;
    });
    server_ = std::make_unique<kb::test::TestServer>(router_);
  }
  std::string url() const { return server_->url("/source.bin"); }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  net::Router router_;
  std::unique_ptr<kb::test::TestServer> server_;
};

TEST_F(KieQueryTest, StreamsADownloadIntoAnUploadWithoutBufferingIt) {
  SourceServer source(3 * 1024 * 1024 + 17);
  start();
  auto r = run<KieResult<UploadedFile>>([&]() -> Task<KieResult<UploadedFile>> {
    net::ClientRequest get;
    get.url = source.url();
    auto stream = co_await http.open(get);
    if (!stream) {
      KieResult<UploadedFile> failed;
      failed.failure.detail = stream.error().describe();
      co_return failed;
    }
    FileUpload up;
    up.upload_path = "kiebot/streamed";
    up.file_name = "video.mp4";
    up.content_type = "video/mp4";
    up.stream_size = (*stream)->content_length();
    up.stream = std::move(*stream);
    co_return co_await client->upload_file(std::move(up));
  });
  ASSERT_TRUE(r.ok()) << r.failure.detail;
  EXPECT_EQ(r.value->size, source.bytes().size());
  auto uploads = fake->uploads();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].sha256_hex, crypto::hex(crypto::sha256(source.bytes())));
}

TEST_F(KieQueryTest, StreamOfUnknownLengthIsSentChunked) {
  SourceServer source(700'000);
  start();
  auto r = run<KieResult<UploadedFile>>([&]() -> Task<KieResult<UploadedFile>> {
    net::ClientRequest get;
    get.url = source.url();
    auto stream = co_await http.open(get);
    FileUpload up;
    up.upload_path = "kiebot/streamed";
    up.file_name = "a.bin";
    up.stream = std::move(*stream);  // no size: chunked transfer encoding
    co_return co_await client->upload_file(std::move(up));
  });
  ASSERT_TRUE(r.ok()) << r.failure.detail;
  ASSERT_EQ(fake->uploads().size(), 1u);
  EXPECT_EQ(fake->uploads()[0].sha256_hex, crypto::hex(crypto::sha256(source.bytes())));
}

TEST_F(KieQueryTest, UrlUploadMakesTheProviderDownloadTheFile) {
  SourceServer source(50'000);
  start();
  auto r = run<KieResult<UploadedFile>>([&]() {
    return client->upload_url(UrlUpload{source.url(), "kiebot/by-url", "b.bin"});
  });
  ASSERT_TRUE(r.ok()) << r.failure.detail;
  auto uploads = fake->uploads();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].route, "url");
  EXPECT_EQ(uploads[0].sha256_hex, crypto::hex(crypto::sha256(source.bytes())));
}

}  // namespace
}  // namespace kb::kie::test
