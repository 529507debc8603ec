#include "net/http_range.hpp"

#include <gtest/gtest.h>

namespace kb::net {
namespace {

TEST(HttpRange, FirstMiddleSuffixAndOpenEnded) {
  auto d = decide_range("bytes=0-99", 1000);
  ASSERT_EQ(d.outcome, RangeOutcome::partial);
  EXPECT_EQ(d.range.first, 0u);
  EXPECT_EQ(d.range.last, 99u);
  EXPECT_EQ(d.range.content_range(1000), "bytes 0-99/1000");
  d = decide_range("bytes=500-599", 1000);
  EXPECT_EQ(d.range.first, 500u);
  EXPECT_EQ(d.range.length(), 100u);
  d = decide_range("bytes=-100", 1000);
  EXPECT_EQ(d.range.first, 900u);
  EXPECT_EQ(d.range.last, 999u);
  d = decide_range("bytes=990-", 1000);
  EXPECT_EQ(d.range.first, 990u);
  EXPECT_EQ(d.range.last, 999u);
  d = decide_range("bytes=990-5000", 1000);
  EXPECT_EQ(d.range.last, 999u);
  d = decide_range("bytes=-5000", 1000);
  EXPECT_EQ(d.range.first, 0u);
}

TEST(HttpRange, InvalidRangesAreUnsatisfiable) {
  EXPECT_EQ(decide_range("bytes=1000-", 1000).outcome, RangeOutcome::unsatisfiable);
  EXPECT_EQ(decide_range("bytes=5-1", 1000).outcome, RangeOutcome::unsatisfiable);
  EXPECT_EQ(decide_range("bytes=abc", 1000).outcome, RangeOutcome::unsatisfiable);
  EXPECT_EQ(decide_range("bytes=-0", 1000).outcome, RangeOutcome::unsatisfiable);
  EXPECT_EQ(decide_range("bytes=x-1", 1000).outcome, RangeOutcome::unsatisfiable);
}

TEST(HttpRange, NoHeaderOtherUnitsAndMultiRangeServeFull) {
  EXPECT_EQ(decide_range(std::nullopt, 10).outcome, RangeOutcome::full);
  EXPECT_EQ(decide_range("items=0-1", 10).outcome, RangeOutcome::full);
  EXPECT_EQ(decide_range("bytes=0-1,3-4", 10).outcome, RangeOutcome::full);
}

}  // namespace
}  // namespace kb::net
