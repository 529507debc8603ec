// Multipart parts whose bytes come from a ResponseStream (MultipartPart::stream): known and unknown
// length, a slow source (the transfer pauses and resumes), and a failing source.
#include <atomic>

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/with_timeout.hpp"
#include "net/http_client.hpp"
#include "net/multipart.hpp"
#include "support/async_test.hpp"

namespace kb::net {
namespace {

using namespace std::chrono_literals;

// Produces `total` bytes in `chunk`-sized pieces, optionally waiting before each, and optionally
// failing after `fail_after` bytes.
class GeneratedStream final : public ResponseStream {
 public:
  GeneratedStream(std::size_t total, std::size_t chunk, std::chrono::milliseconds pause = 0ms,
                  std::optional<std::size_t> fail_after = std::nullopt)
      : total_(total), chunk_(chunk), pause_(pause), fail_after_(fail_after) {}

  static std::string expected(std::size_t total) {
    std::string s(total, '\0');
    for (std::size_t i = 0; i < total; ++i) s[i] = static_cast<char>((i * 13 + 5) % 256);
    return s;
  }

  int status() const override { return 200; }
  const Headers& headers() const override { return headers_; }
  std::optional<std::uint64_t> content_length() const override { return total_; }
  Task<Result<std::optional<std::string>>> next_chunk() override {
    if (pause_ > 0ms) co_await sleep_for(pause_);
    if (fail_after_ && sent_ >= *fail_after_) co_return fail(Errc::upstream, "source broke");
    if (sent_ == total_) co_return std::optional<std::string>();
    std::size_t n = std::min(chunk_, total_ - sent_);
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>(((sent_ + i) * 13 + 5) % 256);
    sent_ += n;
    ++chunks_;
    co_return std::optional<std::string>(std::move(out));
  }
  int chunks() const { return chunks_; }

 private:
  std::size_t total_, chunk_;
  std::chrono::milliseconds pause_;
  std::optional<std::size_t> fail_after_;
  std::size_t sent_ = 0;
  std::atomic<int> chunks_{0};
  Headers headers_;
};

class StreamUploadTest : public testing::Test {
 protected:
  StreamUploadTest() {
    // Answers with the SHA-256 of the `file` part and the value of the `note` part.
    router.add("POST", "/upload", [](Request& req) -> Task<Response> {
      auto boundary = multipart_boundary(req.headers.get_or("Content-Type"));
      if (!boundary) co_return Response::text(400, "no boundary");
      auto parts = parse_multipart(req.body, *boundary);
      if (!parts) co_return Response::text(400, parts.error().message);
      std::string digest, note;
      for (const auto& p : *parts) {
        if (p.name == "file") digest = crypto::hex(crypto::sha256(p.data));
        if (p.name == "note") note = p.data;
      }
      co_return Response::text(200, digest + " " + note + " " +
                                        (req.headers.has("Content-Length") ? "sized" : "chunked"));
    });
    server = std::make_unique<test::TestServer>(router);
  }

  Result<ClientResponse> upload(std::shared_ptr<ResponseStream> stream,
                                std::optional<std::uint64_t> size) {
    ClientRequest req;
    req.method = "POST";
    req.url = server->url("/upload");
    req.timeout = 20s;
    MultipartPart file;
    file.name = "file";
    file.filename = "data.bin";
    file.content_type = "application/octet-stream";
    file.stream = std::move(stream);
    file.stream_size = size;
    MultipartPart note;
    note.name = "note";
    note.data = "hello";
    req.multipart = {file, note};
    return io.run<Result<ClientResponse>>([&]() { return client.send(req); });
  }

  Router router;
  std::unique_ptr<test::TestServer> server;
  HttpClient client;
  test::IoThread io;
};

TEST_F(StreamUploadTest, KnownLengthStreamArrivesIntact) {
  const std::size_t total = 2 * 1024 * 1024 + 3;
  auto stream = std::make_shared<GeneratedStream>(total, 64 * 1024);
  auto r = upload(stream, total);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body,
            crypto::hex(crypto::sha256(GeneratedStream::expected(total))) + " hello sized");
  EXPECT_EQ(stream->chunks(), 33);
}

TEST_F(StreamUploadTest, UnknownLengthIsSentChunked) {
  const std::size_t total = 300'000;
  auto r = upload(std::make_shared<GeneratedStream>(total, 10'000), std::nullopt);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body,
            crypto::hex(crypto::sha256(GeneratedStream::expected(total))) + " hello chunked");
}

TEST_F(StreamUploadTest, SlowSourcePausesAndResumesTheTransfer) {
  const std::size_t total = 200'000;
  auto r = upload(std::make_shared<GeneratedStream>(total, 20'000, 20ms), total);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body,
            crypto::hex(crypto::sha256(GeneratedStream::expected(total))) + " hello sized");
}

TEST_F(StreamUploadTest, FailingSourceAbortsWithItsError) {
  auto r = upload(std::make_shared<GeneratedStream>(1'000'000, 50'000, 0ms, 200'000), 1'000'000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::io);
  EXPECT_NE(r.error().message.find("source broke"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace kb::net
