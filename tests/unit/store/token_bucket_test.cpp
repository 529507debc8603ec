// Token-bucket arithmetic of the persistent rate limits.
#include "store/repos/rate_limits.hpp"

#include <gtest/gtest.h>

namespace kb::store {
namespace {

TEST(TokenBucketTest, ANewBucketStartsFull) {
  auto d = take_from_bucket(std::nullopt, 1, 3, 60, 1000);
  EXPECT_FALSE(d.wait_ms);
  EXPECT_EQ(d.next.millitokens, 2000);
  EXPECT_EQ(d.next.updated_at, 1000);
}

TEST(TokenBucketTest, EmptyBucketSaysHowLongToWait) {
  // 60 per minute = one token per second.
  auto d = take_from_bucket(BucketState{0, 1000}, 1, 3, 60, 1000);
  ASSERT_TRUE(d.wait_ms);
  EXPECT_EQ(*d.wait_ms, 1000);
  EXPECT_EQ(d.next.millitokens, 0);
  auto half = take_from_bucket(BucketState{0, 1000}, 1, 3, 60, 1500);
  ASSERT_TRUE(half.wait_ms);
  EXPECT_EQ(*half.wait_ms, 500);
  EXPECT_EQ(half.next.millitokens, 500);
  auto later = take_from_bucket(half.next, 1, 3, 60, 2000);
  EXPECT_FALSE(later.wait_ms);
  EXPECT_EQ(later.next.millitokens, 0);
}

TEST(TokenBucketTest, RefillStopsAtCapacity) {
  auto d = take_from_bucket(BucketState{0, 0}, 1, 5, 20, 365LL * 24 * 3600 * 1000);
  EXPECT_FALSE(d.wait_ms);
  EXPECT_EQ(d.next.millitokens, 4000);
}

TEST(TokenBucketTest, ClockGoingBackwardsAddsNothing) {
  auto d = take_from_bucket(BucketState{500, 10'000}, 1, 5, 60, 9'000);
  ASSERT_TRUE(d.wait_ms);
  EXPECT_EQ(d.next.millitokens, 500);
}

}  // namespace
}  // namespace kb::store
