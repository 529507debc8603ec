// Media proxy HTTP pieces: answers, headers, Content-Range parsing, MIME table, getFile cache.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "services/media/file_path_cache.hpp"
#include "services/media/media_types.hpp"
#include "services/media/proxy_http.hpp"

namespace kb::services {
namespace {

using namespace proxy_http;

TEST(ProxyHttp, FullAnswerAnnouncesLengthAndProtectiveHeaders) {
  auto r = file_answer(net::RangeDecision{}, 1000, "image/png");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_length, 1000u);
  EXPECT_EQ(r.headers.get_or("Content-Type"), "image/png");
  EXPECT_EQ(r.headers.get_or("Accept-Ranges"), "bytes");
  EXPECT_EQ(r.headers.get_or("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.headers.get_or("Content-Security-Policy"), "sandbox");
  EXPECT_FALSE(r.headers.has("Content-Range"));
  EXPECT_FALSE(r.headers.has("Location"));
}

TEST(ProxyHttp, PartialAnswer) {
  net::RangeDecision d{net::RangeOutcome::partial, {10, 19}};
  auto r = file_answer(d, 1000, "video/mp4");
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.content_length, 10u);
  EXPECT_EQ(r.headers.get_or("Content-Range"), "bytes 10-19/1000");
}

TEST(ProxyHttp, UnknownSizeServesWholeWithoutRanges) {
  auto r = file_answer(net::RangeDecision{}, std::nullopt, "video/mp4");
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.content_length);
  EXPECT_FALSE(r.headers.has("Accept-Ranges"));
}

TEST(ProxyHttp, Refusals) {
  auto busy = try_later(std::chrono::seconds(7));
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.headers.get_or("Retry-After"), "7");
  auto bad_range = range_not_satisfiable(500);
  EXPECT_EQ(bad_range.status, 416);
  EXPECT_EQ(bad_range.headers.get_or("Content-Range"), "bytes */500");
  EXPECT_EQ(refusal(403, "forbidden\n").headers.get_or("Cache-Control"), "private, no-store");
}

TEST(ProxyHttp, SingleByteRanges) {
  EXPECT_TRUE(is_single_byte_range("bytes=0-99"));
  EXPECT_TRUE(is_single_byte_range(" bytes=-5 "));
  EXPECT_FALSE(is_single_byte_range("bytes=0-1,5-6"));
  EXPECT_FALSE(is_single_byte_range("items=0-1"));
  EXPECT_FALSE(is_single_byte_range("bytes="));
}

TEST(ProxyHttp, ContentRangeParsing) {
  auto a = parse_content_range("bytes 0-99/1000");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->first, 0u);
  EXPECT_EQ(a->last, 99u);
  EXPECT_EQ(a->total, 1000u);
  auto b = parse_content_range("bytes 5-9/*");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->total);
  EXPECT_FALSE(parse_content_range("bytes */1000"));
  EXPECT_FALSE(parse_content_range("bytes 9-5/1000"));
  EXPECT_FALSE(parse_content_range("bytes 0-1000/1000"));
  EXPECT_FALSE(parse_content_range("items 0-1/2"));
  EXPECT_FALSE(parse_content_range(""));
}

TEST(MediaTypes, BothDirections) {
  EXPECT_EQ(extension_for_mime("image/jpeg"), "jpg");
  EXPECT_EQ(extension_for_mime("Video/MP4; codecs=avc1"), "mp4");
  EXPECT_EQ(extension_for_mime("application/x-unknown"), "");
  EXPECT_EQ(mime_for_extension("PNG"), "image/png");
  EXPECT_EQ(mime_for_extension("oga"), "audio/ogg");
  EXPECT_EQ(mime_for_extension("exe"), "application/octet-stream");
  EXPECT_EQ(extension_of_path("videos/file_3.MP4"), "mp4");
  EXPECT_EQ(extension_of_path("https://x.example/a.b/c.webp?sig=1.2#f.g"), "webp");
  EXPECT_EQ(extension_of_path("https://x.example/a.b/noext"), "");
}

telegram::File file(std::string id, std::string path) {
  telegram::File f;
  f.file_id = std::move(id);
  f.file_path = std::move(path);
  f.file_size = 10;
  return f;
}

TEST(FilePathCache, EntriesExpireBeforeTelegramsLinkDoes) {
  FakeClock clock;
  FilePathCache cache(clock, std::chrono::seconds(50 * 60), 10);
  cache.put("A", file("A", "photos/file_1.jpg"));
  ASSERT_TRUE(cache.get("A"));
  EXPECT_EQ(cache.get("A")->file_path, "photos/file_1.jpg");
  clock.advance(std::chrono::minutes(49));
  EXPECT_TRUE(cache.get("A"));
  clock.advance(std::chrono::minutes(1));
  EXPECT_FALSE(cache.get("A"));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(FilePathCache, ForgetAndBoundedSize) {
  FakeClock clock;
  FilePathCache cache(clock, std::chrono::seconds(3000), 3);
  for (std::string id : {"A", "B", "C"}) {
    cache.put(id, file(id, id + ".jpg"));
    clock.advance(std::chrono::seconds(1));
  }
  cache.forget("B");
  EXPECT_FALSE(cache.get("B"));
  cache.put("D", file("D", "d.jpg"));
  cache.put("E", file("E", "e.jpg"));  // full: the oldest (A) goes
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.get("A"));
  EXPECT_TRUE(cache.get("C"));
  EXPECT_TRUE(cache.get("E"));
}

}  // namespace
}  // namespace kb::services
