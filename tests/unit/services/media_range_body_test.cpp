// RangeBody: skipping and cutting across chunk boundaries, early upstream ends, the held slot.
#include <deque>

#include <gtest/gtest.h>

#include "services/media/range_body.hpp"
#include "services/media/stream_slots.hpp"
#include "support/async_test.hpp"

namespace kb::services {
namespace {

// An upstream body made of fixed chunks; counts how many were pulled.
class ChunkStream final : public net::ResponseStream {
 public:
  explicit ChunkStream(std::vector<std::string> chunks, bool fail_at_end = false)
      : chunks_(chunks.begin(), chunks.end()), fail_at_end_(fail_at_end) {}
  int status() const override { return 200; }
  const net::Headers& headers() const override { return headers_; }
  std::optional<std::uint64_t> content_length() const override { return std::nullopt; }
  Task<Result<std::optional<std::string>>> next_chunk() override {
    ++*pulled_;
    if (chunks_.empty()) {
      if (fail_at_end_) co_return fail(Errc::upstream, "connection reset");
      co_return std::optional<std::string>();
    }
    auto c = std::move(chunks_.front());
    chunks_.pop_front();
    co_return std::optional<std::string>(std::move(c));
  }
  std::shared_ptr<int> pulled_ = std::make_shared<int>(0);

 private:
  std::deque<std::string> chunks_;
  bool fail_at_end_;
  net::Headers headers_;
};

struct Drained {
  std::string body;
  std::optional<Error> error;
};

Drained drain(net::BodySource& body) {
  test::IoThread io;
  return io.run<Drained>([&]() -> Task<Drained> {
    Drained out;
    for (;;) {
      auto chunk = co_await body.next_chunk();
      if (!chunk) {
        out.error = chunk.error();
        co_return out;
      }
      if (!chunk->has_value()) co_return out;
      EXPECT_FALSE((*chunk)->empty());
      out.body += **chunk;
    }
  });
}

std::unique_ptr<ChunkStream> chunks(std::vector<std::string> c, bool fail_at_end = false) {
  return std::make_unique<ChunkStream>(std::move(c), fail_at_end);
}

TEST(RangeBody, WholeBodyWithKnownLength) {
  RangeBody body(chunks({"abc", "def", "ghij"}), 0, 10);
  auto d = drain(body);
  EXPECT_FALSE(d.error);
  EXPECT_EQ(d.body, "abcdefghij");
  EXPECT_EQ(body.bytes_sent(), 10u);
}

TEST(RangeBody, UnknownLengthRelaysUntilTheEnd) {
  RangeBody body(chunks({"abc", "", "def"}), 0, std::nullopt);
  auto d = drain(body);
  EXPECT_FALSE(d.error);
  EXPECT_EQ(d.body, "abcdef");
}

TEST(RangeBody, SkipsAcrossChunksAndCutsTheTail) {
  // bytes 4..7 of "abcdefghij" = "efgh"
  auto upstream = chunks({"abc", "def", "ghij"});
  auto pulled = upstream->pulled_;
  RangeBody body(std::move(upstream), 4, 4);
  auto d = drain(body);
  EXPECT_FALSE(d.error);
  EXPECT_EQ(d.body, "efgh");
  EXPECT_EQ(*pulled, 3);  // the last chunk is needed for "gh"; nothing is read after the range
}

TEST(RangeBody, StopsReadingOnceTheRangeIsComplete) {
  auto upstream = chunks({"abcdef", "ghij", "klmn", "opqr"});
  auto pulled = upstream->pulled_;
  RangeBody body(std::move(upstream), 0, 3);
  auto d = drain(body);
  EXPECT_EQ(d.body, "abc");
  EXPECT_EQ(*pulled, 1);
}

TEST(RangeBody, SkipExactlyAtAChunkBoundary) {
  RangeBody body(chunks({"abc", "def"}), 3, 3);
  EXPECT_EQ(drain(body).body, "def");
  RangeBody suffix(chunks({"abc", "def"}), 5, 1);
  EXPECT_EQ(drain(suffix).body, "f");
}

TEST(RangeBody, UpstreamEndingEarlyIsAnError) {
  RangeBody short_body(chunks({"abc"}), 0, 5);
  auto d = drain(short_body);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.body, "abc");

  RangeBody short_skip(chunks({"abc"}), 5, std::nullopt);
  EXPECT_TRUE(drain(short_skip).error);
}

TEST(RangeBody, UpstreamFailurePropagates) {
  RangeBody body(chunks({"abc"}, true), 0, std::nullopt);
  auto d = drain(body);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->message, "connection reset");
}

TEST(RangeBody, HoldsItsSlotUntilFinishedOrDropped) {
  StreamSlots slots(2);
  {
    RangeBody body(chunks({"abc"}), 0, 3, slots.try_acquire());
    EXPECT_EQ(slots.in_use(), 1u);
    drain(body);
    EXPECT_EQ(slots.in_use(), 0u);  // released at the end, before the body object goes
  }
  {
    RangeBody dropped(chunks({"abc"}), 0, 3, slots.try_acquire());
    EXPECT_EQ(slots.in_use(), 1u);
  }
  EXPECT_EQ(slots.in_use(), 0u);
}

TEST(StreamSlots, RefusesBeyondTheLimitAndOutlivesItsOwner) {
  StreamSlots::Permit kept;
  std::function<double()> reader;
  {
    StreamSlots slots(2);
    reader = slots.reader();
    auto a = slots.try_acquire();
    auto b = slots.try_acquire();
    EXPECT_TRUE(a && b);
    EXPECT_FALSE(slots.try_acquire());
    EXPECT_EQ(slots.in_use(), 2u);
    a.reset();
    EXPECT_EQ(slots.in_use(), 1u);
    EXPECT_TRUE(slots.try_acquire());  // a temporary: released at once
    kept = std::move(b);
  }
  EXPECT_EQ(reader(), 1.0);
  kept.reset();
  EXPECT_EQ(reader(), 0.0);
}

}  // namespace
}  // namespace kb::services
