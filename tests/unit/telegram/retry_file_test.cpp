// Retry decisions, file download locations and local-mode file streams.
#include <fstream>

#include <gtest/gtest.h>

#include "telegram/file_location.hpp"
#include "telegram/local_file_stream.hpp"
#include "telegram/retry.hpp"

#include "support/async_test.hpp"

namespace kb::telegram {
namespace {

using namespace std::chrono_literals;

RetryPolicy no_jitter() {
  RetryPolicy p;
  p.jitter = 0;
  return p;
}

TEST(Retry, RateLimitWaitsExactlyRetryAfterWithinTheBudget) {
  auto p = no_jitter();
  p.max_rate_limit_wait = 10s;
  RetryState s;
  auto d = decide_retry(p, s, FailureType::rate_limited, 4, true, false, 0.5);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, 4s);
  d = decide_retry(p, s, FailureType::rate_limited, 6, true, false, 0.5);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, 6s);
  d = decide_retry(p, s, FailureType::rate_limited, 1, true, false, 0.5);
  EXPECT_FALSE(d.retry);  // 4 + 6 + 1 > 10
  RetryState fresh;
  EXPECT_FALSE(decide_retry(p, fresh, FailureType::rate_limited, 3600, true, false, 0.5).retry);
  EXPECT_EQ(decide_retry(p, fresh, FailureType::rate_limited, 0, true, false, 0.5).delay, 1s);
}

TEST(Retry, NetworkFailuresBackOffExponentiallyWithACap) {
  auto p = no_jitter();
  p.max_attempts = 6;
  RetryState s;
  std::vector<std::chrono::milliseconds> delays;
  for (;;) {
    auto d = decide_retry(p, s, FailureType::not_sent, std::nullopt, true, false, 0.5);
    if (!d.retry) break;
    delays.push_back(d.delay);
  }
  ASSERT_EQ(delays.size(), 5u);  // 6 attempts in total
  EXPECT_EQ(delays[0], 500ms);
  EXPECT_EQ(delays[1], 1000ms);
  EXPECT_EQ(delays[2], 2000ms);
  EXPECT_EQ(delays[3], 4000ms);
  EXPECT_EQ(delays[4], 8000ms);  // capped
  p.max_backoff = 3s;
  EXPECT_EQ(backoff_delay(p, 10, 0.5), 3s);
  p.jitter = 0.2;
  EXPECT_EQ(backoff_delay(p, 1, 0.0), 400ms);
  EXPECT_EQ(backoff_delay(p, 1, 1.0), 600ms);
}

TEST(Retry, AmbiguousSendsAreRepeatedAtMostOnce) {
  auto p = no_jitter();
  RetryState send;
  EXPECT_TRUE(decide_retry(p, send, FailureType::ambiguous, std::nullopt, true, false, 0.5).retry);
  EXPECT_FALSE(decide_retry(p, send, FailureType::ambiguous, std::nullopt, true, false, 0.5).retry);
  // Not a send (an edit, a getter): the normal attempt budget applies.
  RetryState edit;
  int retries = 0;
  while (decide_retry(p, edit, FailureType::ambiguous, std::nullopt, false, false, 0.5).retry)
    ++retries;
  EXPECT_EQ(retries, p.max_attempts - 1);
}

TEST(Retry, StreamsAndFinalFailuresAreNeverRepeated) {
  auto p = no_jitter();
  RetryState s;
  EXPECT_FALSE(decide_retry(p, s, FailureType::not_sent, std::nullopt, false, true, 0.5).retry);
  EXPECT_FALSE(decide_retry(p, s, FailureType::rate_limited, 1, false, true, 0.5).retry);
  EXPECT_FALSE(decide_retry(p, s, FailureType::final, std::nullopt, false, false, 0.5).retry);
}

File file_with(std::string path, std::optional<std::int64_t> size = 1000) {
  File f;
  f.file_id = "id";
  f.file_unique_id = "u";
  f.file_path = std::move(path);
  f.file_size = size;
  return f;
}

constexpr const char* kToken = "7000000001:AAFakeTokenForDocs";

TEST(FileLocation, CloudUrl) {
  auto loc =
      locate_file(file_with("documents/file 17.png"), "https://api.telegram.org/", kToken, false);
  ASSERT_TRUE(loc);
  EXPECT_FALSE(loc->on_disk);
  EXPECT_EQ(loc->url,
            "https://api.telegram.org/file/bot7000000001:AAFakeTokenForDocs/documents/"
            "file%2017.png");
}

TEST(FileLocation, CloudRefusesFilesOver20MbLikeTelegram) {
  auto loc = locate_file(file_with("videos/a.mp4", 21LL << 20), "https://x", kToken, false);
  ASSERT_FALSE(loc);
  EXPECT_EQ(loc.error().status, 400);
  EXPECT_NE(loc.error().message.find("file is too big"), std::string::npos);
  // A local server has no such limit.
  EXPECT_TRUE(locate_file(file_with("/var/lib/x/a.mp4", 21LL << 20), "https://x", kToken, true));
}

TEST(FileLocation, LocalModeAbsolutePathIsReadFromDisk) {
  auto loc = locate_file(
      file_with("/var/lib/telegram-bot-api/7000000001:AAFakeTokenForDocs/documents/file_17.png"),
      "http://localhost:8081", kToken, true);
  ASSERT_TRUE(loc);
  EXPECT_TRUE(loc->on_disk);
  EXPECT_EQ(loc->path,
            "/var/lib/telegram-bot-api/7000000001:AAFakeTokenForDocs/documents/file_17.png");
  // Relative paths still go to the file server in local mode.
  auto rel = locate_file(file_with("documents/a.png"), "http://localhost:8081", kToken, true);
  ASSERT_TRUE(rel);
  EXPECT_FALSE(rel->on_disk);
}

TEST(FileLocation, Refusals) {
  EXPECT_FALSE(locate_file(file_with(""), "https://x", kToken, false));
  EXPECT_FALSE(locate_file(file_with("../etc/passwd"), "https://x", kToken, false));
  EXPECT_FALSE(locate_file(file_with("/abs/path"), "https://x", kToken, false));
}

TEST(LocalFileStream, ReadsInChunksAndReportsMissingFiles) {
  std::string path = ::testing::TempDir() + "kiebot_local_file_stream_test.bin";
  std::string content(1000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i % 251);
  std::ofstream(path, std::ios::binary) << content;

  auto stream = open_local_file(path, 300);
  ASSERT_TRUE(stream);
  EXPECT_EQ((*stream)->status(), 200);
  EXPECT_EQ((*stream)->content_length(), 1000u);
  test::IoThread io;
  auto read = io.run<std::string>([&]() -> Task<std::string> {
    std::string all;
    int chunks = 0;
    for (;;) {
      auto chunk = co_await (*stream)->next_chunk();
      if (!chunk || !*chunk) break;
      EXPECT_LE((*chunk)->size(), 300u);
      all += **chunk;
      ++chunks;
    }
    EXPECT_EQ(chunks, 4);
    co_return all;
  });
  EXPECT_EQ(read, content);
  std::remove(path.c_str());

  auto missing = open_local_file(path);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

}  // namespace
}  // namespace kb::telegram
